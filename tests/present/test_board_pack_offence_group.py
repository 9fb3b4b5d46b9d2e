"""A board pack of one offence group: its figures count the group's crimes only, and its title,
footer and audit row name the group; a pack of all RASSO crimes is as it always was."""

import datetime as dt

import pandas as pd
import pytest

from flightdeck import access
from flightdeck.engine import refresh
from flightdeck.present import board_pack, pack_data
from flightdeck.store.connection import connect
from helpers.packs import REAL_FORCE
from helpers.store import insert_case_load, insert_workforce_load

MAY = pd.Timestamp("2025-05-01")


def _crimes(code: str, prefix: str, n: int) -> list[dict]:
    return [
        {"force": REAL_FORCE, "crime_id": f"{prefix}{i}", "recorded_date": f"2025-05-{1 + i:02d}",
         "offence_code": code, "victim_age": 30, "victim_gender": "female"}
        for i in range(n)
    ]  # fmt: skip


@pytest.fixture
def con(tmp_path):
    """Cheshire in May 2025: 12 rapes (19C) and 15 other sexual offences (20A), and its
    workforce (10 investigators in post, 5 trained)."""
    con = connect(tmp_path / "groups.duckdb")
    insert_case_load(con, _crimes("19C", "R", 12) + _crimes("20A", "S", 15), as_of="2025-06-30")
    insert_workforce_load(
        con, [{"force": REAL_FORCE, "month": "2025-05-01", "in_post": 10, "trained": 5}]
    )
    refresh.refresh(con)
    yield con
    con.close()


def _shown(data: pack_data.PackData) -> pd.DataFrame:
    """The pack's headline rows as its pages show them: its group's, suppressed."""
    kinds = {k.id: k.kind for k in data.catalogue}
    whole = frozenset(k.id for k in data.catalogue if k.force_level)
    return board_pack.suppressed_totals(
        data.totals, data.force, kinds, data.rule, offence_group=data.offence_group,
        force_level=whole,
    )  # fmt: skip


def _k01(data: pack_data.PackData) -> float:
    totals = _shown(data)
    return totals.loc[(totals["kpi_id"] == "K01") & (totals["month"] == MAY), "numerator"].item()


def test_a_group_pack_counts_the_groups_crimes_and_says_so(con):
    everything = pack_data.gather(con, REAL_FORCE, MAY)
    rape = pack_data.gather(con, REAL_FORCE, MAY, offence_group="rape")
    other = pack_data.gather(con, REAL_FORCE, MAY, offence_group="other_sexual")
    assert (_k01(everything), _k01(rape), _k01(other)) == (27, 12, 15)
    html = board_pack.build(**rape.build_arguments())
    assert "RASSO flight deck: Cheshire Constabulary, Rape, May 2025" in html
    assert "<title>RASSO board pack: Cheshire Constabulary, Rape, May 2025</title>" in html
    assert pack_data.footer(rape) == (
        "RASSO board pack · Cheshire Constabulary · Rape · May 2025 · data as of 30 Jun 2025"
    )
    assert "Other sexual offences, May 2025" in board_pack.build(**other.build_arguments())
    plain = board_pack.build(**everything.build_arguments())
    assert "RASSO flight deck: Cheshire Constabulary, May 2025" in plain
    # K20 is force-level: counted for the force as a whole, so a group's pack shows the
    # force's figure (5 of 10 investigators trained), not nothing.
    assert set(_shown(everything)["kpi_id"]) == {"K01", "K20"}
    assert set(_shown(rape)["kpi_id"]) == set(_shown(other)["kpi_id"]) == {"K01", "K20"}
    k20 = _shown(rape)[lambda f: f["kpi_id"] == "K20"]
    assert k20[["numerator", "denominator", "value"]].values.tolist() == [[5.0, 10.0, 0.5]]


def test_a_small_group_figure_cannot_be_worked_out_from_two_packs(tmp_path):
    """12 rapes and 3 other sexual offences in May: the 3 is small and hidden in the other
    sexual offences pack; the packs of all RASSO crimes (15) and of rape would give it back as
    15 - 12, so the rape pack hides its 12 too (the smaller part of the line All = rape +
    other), while the pack of all RASSO crimes still shows its 15."""
    con = connect(tmp_path / "small.duckdb")
    insert_case_load(con, _crimes("19C", "R", 12) + _crimes("20A", "S", 3), as_of="2025-06-30")
    refresh.refresh(con)

    def k01(group: str):
        rows = _shown(pack_data.gather(con, REAL_FORCE, MAY, offence_group=group))
        row = rows[(rows["kpi_id"] == "K01") & (rows["month"] == MAY)].iloc[0]
        return bool(row["suppressed"]), row["numerator"]

    assert k01("All") == (False, 15)
    assert k01("rape")[0] and pd.isna(k01("rape")[1])
    assert k01("other_sexual")[0]
    con.close()


def test_a_group_pack_is_audited_with_its_group(con):
    user = access.User("board member", "viewer")
    pack_data.export(con, user, REAL_FORCE, MAY, "html", offence_group="rape")
    audited = con.execute("SELECT detail FROM audit_log WHERE action = 'export'").fetchall()
    assert audited == [("board pack of cheshire for 2025-05, rape (HTML)",)]


def test_an_unknown_offence_group_is_refused_in_one_line(con):
    with pytest.raises(pack_data.PackRefused, match=r"no offence group 'robbery' \(the groups: "):
        pack_data.gather(con, REAL_FORCE, MAY, offence_group="robbery")


def test_suppressed_totals_label_the_rows_with_their_group():
    totals = pd.DataFrame({"kpi_id": ["K01"], "month": [dt.date(2025, 5, 1)], "numerator": [3.0],
                           "denominator": [None], "value": [3.0], "complete": [True]})  # fmt: skip
    rule = pack_data.SuppressionRule.from_settings()
    safe = board_pack.suppressed_totals(totals, REAL_FORCE, {"K01": "count"}, rule,
                                        offence_group="rape")  # fmt: skip
    assert list(safe["offence_group"]) == ["rape"]
    assert list(safe["suppressed"]) == [True]  # a count of 3 is a small number
