"""The board pack: the flight-deck summary as one HTML file, small numbers suppressed, every KPI
accounted for at a glance and on its own page, changes as context only."""

import re
from types import SimpleNamespace

import pandas as pd
import pytest

from flightdeck import access
from flightdeck.peers.suppression import SuppressionRule
from flightdeck.present import board_pack, pack_data
from flightdeck.store.connection import connect
from helpers.packs import DEMO_FORCE, REAL_FORCE, build_demo_db, build_real_db

MONTHS = pd.date_range("2024-01-01", periods=14, freq="MS")
FEB_2025 = MONTHS[-1]


def kpi(id_, name, kind, unit, direction):
    return SimpleNamespace(id=id_, name=name, pillar="outcomes and timeliness", kind=kind,
                           unit=unit, direction=direction, uses_workforce=False, force_level=False,
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


@pytest.fixture(autouse=True)
def no_warmup(monkeypatch):
    """These series are 14 months long: no warm-up, so they are analysed from the first."""
    monkeypatch.setenv("FLIGHTDECK_SPC_WARMUP_MONTHS", "0")


def pack(synthetic=True, annotations=None, other_flags=None) -> str:
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
    if other_flags is not None:
        feasibility = pd.concat([feasibility, other_flags], ignore_index=True)
    return board_pack.build(
        force="demo-x", force_name="Xshire (synthetic)", month=FEB_2025, as_of="31 Mar 2025",
        synthetic=synthetic, catalogue=CATALOGUE, totals=totals, feasibility=feasibility,
        rule=SuppressionRule(), annotations=annotations,
    )  # fmt: skip


def summary(text: str) -> str:
    return text[text.index("<section class='summary'>") : text.index("</section>")]


def page_of(text: str, kpi_id: str) -> str:
    start = text.index(f"<section class='page kpi' id='{kpi_id}'>")
    return text[start : text.index("</section>", start)]


def test_pack_hides_small_numbers_and_shows_the_rest():
    text = pack()
    assert "RASSO flight deck: Xshire (synthetic), Feb 2025" in text
    assert "3 of 5" not in text and "60.0%" not in text  # K03's 3 of 5 crimes is suppressed
    assert "2 crimes" not in text  # K01's count of 2
    assert summary(text).count('<td class="fd-value fd-muted">suppressed (small numbers)</td>') == 3
    assert "34 of 40 crimes" in text and "85.0%" in text  # K10: 34 of 40, 6 not: shown


def test_a_rate_of_1_of_19_is_listed_as_suppressed_and_never_printed():
    text = pack()
    assert "1 of 19" not in text and "19 crimes" not in text
    assert "5.3%" not in text  # 1 / 19
    k12 = page_of(text, "K12")
    assert "<td class='value'>suppressed (small numbers)</td>" in k12
    assert "Too few to publish: fewer than 10 crimes, or from 1 to 4 counted" in k12
    assert "on Jan 2025" not in k12 and "Signal:" not in k12  # no change, no signal
    assert "No chart: Feb 2025&#x27;s figure is suppressed (small numbers)" in k12
    # Still counted at a glance and listed in the matrix, with the other two suppressed KPIs.
    assert "Feb 2025 at a glance, all 4 KPIs: 1 improvement · 3 suppressed (small numbers)" in text
    rows = re.findall(r'<tr class="[^"]*suppressed"><th scope="row"><a href="#(K\d\d)">', text)
    assert rows == ["K01", "K03", "K12"]


def test_pack_names_the_signal_and_draws_the_charts_of_the_kpis_it_may_show():
    text = pack()
    assert "Feb 2025 above the upper control limit: an improvement" in page_of(text, "K10")
    assert re.search(r'<tr class="[^"]*improvement"><th scope="row"><a href="#K10">K10 ', text)
    # Every KPI has a page; only K10's figure is published this month, so only it is drawn,
    # with plotly.js inline once (the pack opens offline).
    assert text.count("<section class='page kpi'") == 4
    assert text.count("plotly-graph-div") == 1 and text.count("<p class='nochart'>") == 3
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=", text)  # nothing fetched
    assert "Synthetic demo data" in text
    assert "Synthetic demo data" not in pack(synthetic=False)


def test_the_pack_prints_a4_landscape_one_kpi_a_page_with_its_mark_in_every_margin():
    text = pack()
    assert "@page{size:A4 landscape" in text and "@media print" in text
    assert ".page{break-before:page" in text
    assert '@top-center{content:"Synthetic demo data: fictional forces, not real cases."' in text
    assert 'counter(page) " of " counter(pages)' in text
    assert "@top-center" not in pack(synthetic=False)


def test_changes_are_context_never_better_or_worse():
    text = pack()
    # K10 rose 60 points in one month: said as a change, never judged from two months.
    assert "+60.0 pts on Jan 2025" in page_of(text, "K10")
    words = re.sub(r"(Higher|Lower|higher nor lower) is better", "", text)
    assert "better" not in words and "worse" not in words


def test_the_notes_page_lists_the_forces_change_points_and_notes():
    notes = pd.DataFrame({
        "id": [1, 2], "force": "demo-x", "kpi_id": ["K10", None],
        "month": pd.to_datetime(["2024-06-01", "2024-09-01"]),
        "kind": ["change_point", "note"], "text": ["New referral form", "Records system <v2>"],
        "recorded_by": "analyst", "recorded_at": pd.Timestamp("2025-03-01"),
    })  # fmt: skip
    text = pack(annotations=notes)
    page = text[text.index("<section class='page notes'>") :]
    assert "<td>Jun 2024</td><td>K10 Referral rate</td><td>Change point (new baseline)</td>" in page
    assert "<td>All KPIs</td><td>Note</td><td>Records system &lt;v2&gt;</td>" in page
    assert "change point 1, Jun 2024, K10: New referral form" in page_of(text, "K10")
    assert "<section class='page notes'>" not in pack()


@pytest.mark.parametrize("which", ["demo", "real"])
def test_every_kpi_is_accounted_for_at_a_glance_and_on_its_own_page(which, tmp_path):
    # The real catalogue: a synthetic force with 30 months, or a real force with three crimes
    # (every figure suppressed or not feasible).
    db = (
        build_demo_db(tmp_path / "d.duckdb")
        if which == "demo"
        else build_real_db(tmp_path / "r.duckdb")
    )
    con = connect(db)
    force = DEMO_FORCE if which == "demo" else REAL_FORCE
    data = pack_data.gather(con, force, pd.Timestamp("2025-05-01"))
    con.close()
    text = board_pack.build(**data.build_arguments())
    everyone = [f"K{i:02d}" for i in range(1, 22)]
    glance = re.search(r"<caption>May 2025 at a glance, all 21 KPIs: ([^<.]*)", text)[1]
    assert sum(int(n) for n in re.findall(r"(\d+) ", glance)) == 21  # every KPI counted once
    assert "suppressed (small numbers)" in glance
    assert sorted(re.findall(r'<th scope="row"><a href="#(K\d\d)">', summary(text))) == everyone
    assert sorted(re.findall(r"<section class='page kpi' id='(K\d\d)'>", text)) == everyone
    for kpi_id in everyone:
        page = page_of(text, kpi_id)
        assert ("plotly-graph-div" in page) != ("<p class='nochart'>No chart: " in page), kpi_id


def test_the_pack_is_the_same_whoever_builds_it_and_says_what_it_is(tmp_path):
    con = connect(build_real_db(tmp_path / "r.duckdb"))
    user = access.User("board member", "viewer")
    html = pack_data.export(con, user, REAL_FORCE, pd.Timestamp("2025-05-01"), "html")
    audited = con.execute(
        "SELECT user_name, detail, outcome FROM audit_log WHERE action = 'export'"
    ).fetchall()
    data = pack_data.gather(con, REAL_FORCE, pd.Timestamp("2025-05-01"))
    con.close()
    assert html.decode() == board_pack.build(**data.build_arguments())
    assert audited == [("board member", "board pack of cheshire for 2025-05 (HTML)", "ok")]
    assert pack_data.footer(data) == (
        "RASSO board pack · Cheshire Constabulary · May 2025 · data as of 30 Jun 2025"
    )


def test_an_unknown_force_or_month_is_refused_in_one_line(tmp_path):
    con = connect(build_real_db(tmp_path / "r.duckdb"))
    with pytest.raises(
        pack_data.PackRefused,
        match=r"no case data for the force 'atlantis' here \(forces held: cheshire\)",
    ):
        pack_data.gather(con, "atlantis", pd.Timestamp("2025-05-01"))
    with pytest.raises(
        pack_data.PackRefused,
        match=r"cheshire has no KPI results for 2031-01 \(months: 2025-05 to 2025-0\d\)",
    ):
        pack_data.gather(con, REAL_FORCE, pd.Timestamp("2031-01-01"))
    con.close()


def test_the_summary_counts_the_flags_of_the_packs_kpis_only():
    # The store holds flags for the supplementary measures too (S01 to S06); the pack's four
    # KPIs are all feasible, so the count is 4 feasible, whatever S01's flag.
    other = pd.DataFrame({"kpi_id": ["S01"], "flag": "not_feasible", "reason": "",
                          "declared_status": None})  # fmt: skip
    text = summary(pack(other_flags=other))
    assert "KPIs: feasible 4 · partial 0 · not feasible 0; declared: none yet" in text
