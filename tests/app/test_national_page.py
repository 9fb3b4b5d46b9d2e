"""The page that compares a force with every force on the published national figures (AppTest),
on a small hand-built database: published tables for a dozen forces and a year of one force's
own case data."""

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from flightdeck import access
from flightdeck.national import imports
from flightdeck.reference import load_reference
from flightdeck.store import loads
from flightdeck.store.connection import connect
from helpers.national import OUTCOME_HEADER, outcome, recorded, write_table

ANALYST = access.User("ana", "analyst")
YEAR = "2023/24"  # the window: April 2023 to March 2024
FORCES = ["Kent", "Surrey", "Sussex", "Norfolk", "Suffolk", "Hertfordshire", "Bedfordshire",
          "Cambridgeshire", "Thames Valley", "Dorset", "Wiltshire"]  # fmt: skip
CASES = (
    "force,crime_id,recorded_date,offence_code,victim_age,victim_gender,outcome_type,outcome_date"
)
CRIMES = [
    "demo-eastvale,C1,2023-03-31,19C,30,female,1,2023-04-02",  # recorded before; outcome in
    "demo-eastvale,C2,2023-04-01,19C,30,female,16,2024-03-31",
    "demo-eastvale,C3,2023-10-10,20A,30,female,15,2024-04-01",  # outcome after the window
    "demo-eastvale,C4,2024-03-31,20A,30,female,,",
    "demo-eastvale,C5,2024-01-15,19D,14,female,14,2024-02-01",
    "demo-eastvale,C6,2023-06-01,20A,30,female,18,2023-07-01",
]


def _published(tmp_path):
    rows, out = [], []
    for i, force in enumerate(["Eastvale", *FORCES]):
        for quarter in (1, 2, 3, 4):
            rows.append(recorded("19C", 10 + i, force=force, quarter=quarter, year=YEAR))
            for kind, count in (("1", 2), ("14", 3), ("16", 5), ("15", 4), ("18", 10)):
                out.append(outcome(kind, count, force=force, quarter=quarter, year=YEAR))
    # Essex published only three quarters of the year.
    rows += [recorded("19C", 30, force="Essex", quarter=q, year=YEAR) for q in (2, 3, 4)]
    return [
        write_table(tmp_path / "prc.csv", {"": rows}),
        write_table(tmp_path / "out.csv", {"": out}, OUTCOME_HEADER),
    ]


@pytest.fixture
def database(tmp_path, monkeypatch):
    path = tmp_path / "n.duckdb"
    con = connect(path)
    cases = tmp_path / "cases.csv"
    cases.write_text("\n".join([CASES, *CRIMES]) + "\n")
    done = loads.load_case_files(con, [cases], as_of=dt.date(2024, 6, 30), user=ANALYST)
    assert done.status == "loaded", done.message
    assert imports.import_national(con, _published(tmp_path), user=ANALYST).status == "imported"
    con.close()
    monkeypatch.setenv("FLIGHTDECK_DB", str(path))
    return path


def _page():
    from flightdeck.app.pages import national

    national.render()


def _run():
    at = AppTest.from_function(_page, default_timeout=60)
    at.run()
    assert not at.exception
    return at


def _text(at) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    return "\n".join(parts + [w.value for w in at.warning] + [i.value for i in at.info])


def test_every_measure_has_its_funnel_with_the_force_own_figure_beside_it(database):
    at = _run()
    assert [s.value for s in at.subheader] == [
        "Recorded rape and other sexual offences per 100,000 people",
        "Share of outcomes that were charge or summons (outcomes 1, 1A)",
        "Share of outcomes where the victim does not support further action (outcomes 14, 16)",
        "Share of outcomes of evidential difficulties, victim supports action (outcome 15)",
    ]
    assert len(at.get("plotly_chart")) == 4
    text = _text(at)
    # Eastvale is a fictional force: the published figures beside it are a synthetic fixture.
    assert "The published figures here are a synthetic fixture" in text
    tables = [t.value for t in at.table]
    people = load_reference().population("demo-eastvale")[0]
    recorded_table = tables[0]
    # Published: 10 a quarter for a year = 40; own: C2, C3, C4, C5 and C6 were recorded in the
    # window (C1 before it) = 5.
    assert recorded_table.loc["Published (Home Office)", "Value"] == (
        f"{40 / people * 100_000:,.1f} per 100,000 people"
    )
    assert recorded_table.loc["From its own case data here", "Counted"] == "5"
    charge = tables[1]
    # Published: 2 charges of 24 outcomes a quarter = 8 of 96; own: C1, C2, C5 and C6 were
    # given an outcome in the window (C3 after it), one of them (C1) a charge = 1 of 4.
    assert charge.loc["Published (Home Office)", "Value"] == "8.3%"
    assert charge.loc["From its own case data here", "Value"] == "25.0%"
    assert charge.loc["From its own case data here", "Of"] == "4 outcomes"
    victim = tables[2]
    assert victim.loc["From its own case data here", "Value"] == "50.0%"  # C2 (16), C5 (14)


def test_forces_left_out_are_named_with_why(database):
    text = _text(_run())
    assert "Essex Police (3 of the 4 quarters published; missing 2023/24 Q1)" in text
    assert "Populations: ONS mid-2023 population estimates" in text


def test_limits_say_whether_they_are_adjusted(database):
    text = _text(_run())
    # Twelve forces with the same outcome shares: no overdispersion to adjust for.
    assert "**Exact binomial limits.** No overdispersion found" in text


def test_without_published_figures_the_page_says_how_to_import_them(tmp_path, monkeypatch):
    path = tmp_path / "empty.duckdb"
    connect(path).close()
    monkeypatch.setenv("FLIGHTDECK_DB", str(path))
    text = _text(_run())
    assert "No published national figures yet" in text
    assert "flightdeck import-national FILE... --db PATH" in text
