"""The board pack: the flight-deck summary as one HTML file, small numbers suppressed."""

from types import SimpleNamespace

import pandas as pd

from flightdeck.peers.suppression import SuppressionRule
from flightdeck.present import board_pack

MONTHS = pd.date_range("2024-01-01", periods=14, freq="MS")
FEB_2025 = MONTHS[-1]


def kpi(id_, name, kind, unit, direction):
    return SimpleNamespace(id=id_, name=name, pillar="outcomes and timeliness", kind=kind,
                           unit=unit, direction=direction, uses_workforce=False,
                           noun="crimes")  # fmt: skip


CATALOGUE = [
    kpi("K01", "Recorded crimes", "count", "crimes", "neutral"),
    kpi("K03", "Withdrawal rate", "rate", "fraction", "down"),
    kpi("K10", "Referral rate", "rate", "fraction", "up"),
    kpi("K12", "Early advice sought", "rate", "fraction", "up"),
]


def rows(kpi_id, numerators, denominators):
    return pd.DataFrame({
        "kpi_id": kpi_id, "month": MONTHS, "numerator": numerators, "denominator": denominators,
        "value": [n / d if d else n for n, d in zip(numerators, denominators, strict=True)],
        "complete": True,
    })  # fmt: skip


def pack(synthetic=True) -> str:
    # K10: 10 of 40 for 13 months, then 34 of 40: far above the upper limit, an improvement.
    # Hidden in the last month: K03's 3 of 5 (under 10 crimes), K01's count of 2 (1 to 4) and
    # K12's 1 of 19 (19 crimes are enough, but a numerator of 1 is not).
    totals = pd.concat([
        rows("K01", [12.0] * 13 + [2.0], [None] * 14),
        rows("K03", [8.0] * 13 + [3.0], [40.0] * 13 + [5.0]),
        rows("K10", [10.0] * 13 + [34.0], [40.0] * 14),
        rows("K12", [8.0] * 13 + [1.0], [19.0] * 14),
    ], ignore_index=True).assign(denominator=lambda f: f["denominator"].astype(float))  # fmt: skip
    totals.loc[totals["kpi_id"] == "K01", "value"] = totals["numerator"]
    feasibility = pd.DataFrame({"kpi_id": ["K01", "K03", "K10", "K12"], "flag": "feasible",
                                "reason": "", "declared_status": None})  # fmt: skip
    return board_pack.build(
        force="demo-x", force_name="Xshire (synthetic)", month=FEB_2025, as_of="31 Mar 2025",
        synthetic=synthetic, catalogue=CATALOGUE, totals=totals, feasibility=feasibility,
        rule=SuppressionRule(),
    )  # fmt: skip


def test_pack_hides_small_numbers_and_shows_the_rest():
    text = pack()
    assert "RASSO flight deck: Xshire (synthetic), Feb 2025" in text
    assert "3 of 5" not in text and "60.0%" not in text  # K03's 3 of 5 crimes is suppressed
    assert "2 crimes" not in text  # K01's count of 2
    assert text.count("<td class='value'>suppressed (small numbers)</td>") == 3
    assert "34 of 40 crimes" in text and "85.0%" in text  # K10: 34 of 40, 6 not: shown


def test_a_rate_of_1_of_19_is_listed_as_suppressed_and_never_printed():
    text = pack()
    assert "1 of 19" not in text and "19 crimes" not in text
    assert "5.3%" not in text  # 1 / 19
    k12 = next(r for r in text.split("<tr>") if r.startswith("<td>K12 ")).split("</tr>")[0]
    assert "<td class='value'>suppressed (small numbers)</td>" in k12
    assert "Too few to publish: fewer than 10 crimes, or from 1 to 4 counted" in k12
    assert "on Jan 2025" not in k12 and "Signal" not in k12  # no change, no signal
    # Still listed at a glance, with the other two suppressed KPIs, not dropped.
    assert (
        "<li class='suppressed'><b>Suppressed (small numbers) (3)</b>: K01 Recorded crimes, "
        "K03 Withdrawal rate, K12 Early advice sought</li>"
    ) in text
    glance = text[text.index("at a glance") : text.index("</ul>")]
    assert all(f"K{n}" in glance for n in ("01", "03", "10", "12"))


def test_pack_names_the_signal_and_draws_its_chart_once_with_plotly_inline():
    text = pack()
    assert "Feb 2025 above the upper control limit: an improvement" in text
    assert "<li class='improvement'><b>Improvements (1)</b>: K10 Referral rate</li>" in text
    assert text.count("plotly-graph-div") == 1  # only K10 has a signal
    assert "Synthetic demo data" in text
    assert "Synthetic demo data" not in pack(synthetic=False)
