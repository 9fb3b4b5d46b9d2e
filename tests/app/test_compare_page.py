"""The compare page (AppTest) and the comparison arithmetic behind it."""

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from flightdeck import access
from flightdeck.peers import comparison, export, imports
from flightdeck.store.connection import connect
from helpers.store import insert_case_load

JAN = "2025-01-01"
# The 12 months February 2024 to January 2025: every force has the same figures each month.
MONTHS = [d.date() for d in pd.date_range("2024-02-01", JAN, freq="MS")]
# K02 each month (numerator, denominator); Riverford, imported from another database, has 35 of
# 100. Pooled: 175 / 500 = 0.35 a month.
# One month (n = 100): the standard error is sqrt(0.35 * 0.65 / 100) = 0.0477, so the 99.8 %
# limits are about 0.35 +/- 3.09 * 0.0477 = 0.203 .. 0.497 and the 95 % limits 0.257 .. 0.443:
# Eastvale's 0.60 is far above the 99.8 % limit; Southdown's 0.22 is below the 95 % one but
# inside the 99.8 % one; Northmoor (0.30) and Westbury (0.28) are within.
# Twelve months (n = 1200): the error is 0.0138, the 99.8 % limits 0.307 .. 0.393, so Northmoor,
# Westbury and Southdown are all below the 99.8 % limit.
K02 = {
    "demo-eastvale": (60, 100),
    "demo-northmoor": (30, 100),
    "demo-westbury": (28, 100),
    "demo-southdown": (22, 100),
}

COLUMNS = (
    "(kpi_id, force, month, offence_group, age_band, gender, numerator, denominator, value, "
    "complete)"
)


def _results(con, force, num, den):
    rows = []
    for month in MONTHS:
        rows.append(["K02", force, month, "All", "All", "All", num, den, num / den, True])
        # K01: as many crimes recorded a month as outcomes given
        rows.append(["K01", force, month, "All", "All", "All", den, None, den, True])
    con.executemany(
        f"INSERT INTO kpi_results {COLUMNS} VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows
    )


def _crime(force):
    return {"force": force, "crime_id": "c1", "recorded_date": "2025-01-05",
            "offence_code": "19C", "victim_age": 30, "victim_gender": "female"}  # fmt: skip


@pytest.fixture
def database(tmp_path, monkeypatch):
    """Database B: four demo forces with own data, plus Riverford imported from database A."""
    a = connect(tmp_path / "a.duckdb")
    insert_case_load(a, [_crime("demo-riverford")], as_of="2025-03-31")
    _results(a, "demo-riverford", 35, 100)
    exported = export.export_results(
        a, "demo-riverford", tmp_path / "r.csv", user=access.LOCAL_USER
    )
    a.close()
    path = tmp_path / "b.duckdb"
    con = connect(path)
    for force, (num, den) in K02.items():
        insert_case_load(con, [_crime(force)], as_of="2025-03-31")
        _results(con, force, num, den)
    outcome = imports.import_results(con, exported.path, user=access.LOCAL_USER)
    assert outcome.status == "imported", outcome.report.to_text()
    con.close()
    monkeypatch.setenv("FLIGHTDECK_DB", str(path))
    return path


def _page():
    from flightdeck.app.pages import compare

    compare.render()


def _text(at) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [w.value for w in at.warning] + [i.value for i in at.info]
    return "\n".join(parts)


def _opened(kpi="K02", period=None):
    at = AppTest.from_function(_page, default_timeout=60)
    at.run()
    assert not at.exception
    at.selectbox(key="compare_kpi").set_value(kpi).run()
    if period:
        at.radio(key="compare_period").set_value(period).run()
    assert not at.exception
    return at


def test_rolling_twelve_months_is_the_default_and_words_do_not_overclaim(database):
    at = _opened()
    assert at.radio(key="compare_period").value == "Rolling 12 months to the month"
    text = _text(at)
    assert "Synthetic demo data" in text
    assert "the 12 months February 2024 to January 2025" in text
    assert (
        "**Eastvale Police (synthetic)** is above the 99.8 % limit, better than the group: a "
        "difference this large arises by chance alone about once in 500. Rule out recording "
        "practice, case mix or data completeness before reading it as performance." in text
    )
    for force in ("Northmoor Constabulary", "Westbury Police", "Southdown Constabulary"):
        assert f"**{force} (synthetic)** is below the 99.8 % limit, worse than the group" in text
    # Five forces are too few to estimate the between-force variation: limits say so.
    assert "5 forces are too few to estimate how much forces usually differ" in text
    assert "real difference, not chance" not in text
    charts = at.get("plotly_chart")
    assert len(charts) >= 3  # funnel, ranked dot plot, over time
    assert "Riverford" in charts[0].proto.spec  # the imported peer is on the funnel
    assert "Group value 35.0%" in charts[0].proto.spec


def test_a_single_month_stays_available(database):
    text = _text(_opened(period="The month alone"))
    assert "above the 99.8 % limit, better than the group" in text
    assert (
        "**Southdown Constabulary (synthetic)** is below the 95 % limit, worse than the group: "
        "about one force in 20 lies this far out by chance alone" in text
    )
    assert "Northmoor Constabulary (synthetic)** is" not in text


def test_group_members_without_data_are_named(database):
    text = _text(_opened())
    # The demo group lists every demo force; only five have figures here.
    assert "Highmoor Constabulary (synthetic) (no figures in this database" in text


def test_a_count_kpi_is_compared_per_100000_people(database):
    at = _opened("K01")
    text = _text(at)
    spec = at.get("plotly_chart")[0].proto.spec
    assert "Recorded RASSO crimes per 100,000 people" in spec
    assert "Populations: synthetic: fictional demo force" in text
    assert "per 100,000 people (their counts over their populations)" in text


def test_a_force_without_a_population_is_left_out_not_ranked_by_its_count(database, monkeypatch):
    from flightdeck.app.data import peers as peer_data

    known = peer_data.populations()
    monkeypatch.setattr(peer_data, "populations", lambda: known[known["force"] != "demo-westbury"])
    text = _text(_opened("K01"))
    assert "Westbury Police (synthetic) (no population figure in the reference list)" in text


def test_an_analyst_can_switch_the_adjustment_off(database):
    at = _opened()
    assert at.toggle(key="compare_adjust").value is True
    at.toggle(key="compare_adjust").set_value(False).run()
    assert not at.exception


def _rows(force, months, num, den, suppressed=()):
    out = []
    for m in months:
        hidden = m in suppressed
        out.append({
            "kpi_id": "K02", "force": force, "month": pd.Timestamp(m), "age_band": "All",
            "gender": "All", "numerator": None if hidden else num,
            "denominator": None if hidden else den, "value": None if hidden else num / den,
            "complete": True, "suppressed": hidden,
        })  # fmt: skip
    return out


def test_rolling_window_pools_twelve_months_and_leaves_out_a_gap():
    months = pd.date_range("2024-02-01", "2025-01-01", freq="MS")
    frame = pd.DataFrame(
        _rows("a", months, 3, 10) + _rows("b", months, 5, 20, suppressed={months[4]})
    )
    figures, left_out = comparison.window_totals(frame, months[-1], True, "rate")
    # a: 12 x 3 = 36 of 12 x 10 = 120 -> 0.3
    assert figures.set_index("force").loc["a", ["numerator", "denominator"]].tolist() == [36, 120]
    assert figures.set_index("force").loc["a", "value"] == pytest.approx(0.3)
    assert left_out == {"b": "1 of the 12 months suppressed, incomplete or missing"}
    single, _ = comparison.window_totals(frame, months[-1], False, "rate")
    assert single.set_index("force").loc["b", "value"] == 0.25


def test_peer_mean_is_the_pooled_rate_of_the_others():
    frame = pd.DataFrame(
        _rows("focus", ["2025-01-01"], 1, 10)
        + _rows("p1", ["2025-01-01"], 2, 10)
        + _rows("p2", ["2025-01-01"], 18, 30)
    )
    series = comparison.over_time(frame, "focus", "rate").set_index("series")
    assert series.loc["peer mean", "value"] == pytest.approx(20 / 40)  # not (0.2 + 0.6) / 2
    assert series.loc["focus", "value"] == pytest.approx(0.1)


def test_breakdown_keeps_only_labels_both_sides_have():
    rows = []
    for force, age, num, den in [("focus", "18-24", 2, 10), ("focus", "25-34", 3, 10),
                                 ("p1", "18-24", 4, 20), ("p2", "18-24", 6, 20)]:  # fmt: skip
        rows.append({"kpi_id": "K02", "force": force, "month": pd.Timestamp(JAN),
                     "age_band": age, "gender": "All", "numerator": num, "denominator": den,
                     "value": num / den, "complete": True, "suppressed": False})  # fmt: skip
    out = comparison.breakdown(pd.DataFrame(rows), "focus", [pd.Timestamp(JAN)], "age_band", "rate")
    assert set(out["label"]) == {"18-24"}
    assert out.set_index("side").loc["peers", "value"] == pytest.approx(10 / 40)


def _groups_page():
    from flightdeck.app.pages import peer_groups

    peer_groups.render()


def test_peer_groups_page_lists_imports_and_saves_a_group(database):
    at = AppTest.from_function(_groups_page, default_timeout=60)
    at.run()
    assert not at.exception
    tables = [d.value for d in at.dataframe]
    imports = next(t for t in tables if "imported_by" in t.columns)
    assert list(imports["force"]) == ["demo-riverford"]
    at.text_input(key="edit_group_name").set_value("Our peers")
    at.multiselect(key="edit_group_members").set_value(["demo-eastvale", "demo-riverford"])
    at.button[0].click().run()  # the form's "Save group"
    assert not at.exception
    assert "Saved peer group Our peers with 2 forces." in [s.value for s in at.success]
