"""The figures of the national comparison on a tiny hand-built database: each force's published
figure over four quarters (forces with fewer left out, with the reason), and the same measures
from the case data held, counted as K01 to K04 count them."""

import datetime as dt

import pytest

from flightdeck import access
from flightdeck.national import figures, imports
from flightdeck.national.measures import MEASURES, measure
from flightdeck.store import loads
from helpers.national import OUTCOME_HEADER, outcome, recorded, write_table

ANALYST = access.User("ana", "analyst")
END = dt.date(2024, 1, 1)  # 2023/24 Q4: the window is April 2023 to March 2024
CASE_HEADER = "force,crime_id,recorded_date,offence_code,victim_age,victim_gender,suspect_id,"
CASE_HEADER += "outcome_type,outcome_date,cancelled"
CRIMES = [
    "demo-eastvale,C1,2023-03-31,19C,30,female,S1,1,2023-04-02,",  # recorded before the window
    "demo-eastvale,C2,2023-04-01,19C,30,female,S2,16,2024-03-31,",
    "demo-eastvale,C3,2023-10-10,20A,30,female,S3,15,2024-04-01,",  # outcome after the window
    "demo-eastvale,C4,2024-03-31,20A,30,female,,,,",
    "demo-eastvale,C5,2024-01-15,19D,14,female,,14,2024-02-01,",
    "demo-eastvale,C6,2023-06-01,20A,30,female,,18,2023-07-01,",
    "demo-eastvale,C7,2023-05-01,19C,30,female,,,,true",  # cancelled
]
LATE = ["demo-northmoor,N1,2023-05-01,19C,30,female,,1,2023-06-01,"]  # as of before the end


@pytest.fixture
def national(store, tmp_path):
    """Kent with all four quarters (and one before), Essex with three."""
    quarters = [(1, "2023/24"), (2, "2023/24"), (3, "2023/24"), (4, "2023/24")]
    rows = [recorded("19C", 100, quarter=4, year="2022/23")]
    rows += [recorded("19C", 9 + q, quarter=q, year=y) for q, y in quarters]
    rows += [recorded("20A", 20, quarter=q, year=y) for q, y in quarters]
    rows += [recorded("19C", 7, force="Essex", quarter=q) for q in (2, 3, 4)]
    out = [outcome("1A", 1, quarter=1)]
    for q, _ in quarters:
        out += [
            outcome("1", 2, quarter=q),
            outcome("14", 3, quarter=q),
            outcome("16", 5, quarter=q),
            outcome("15", 4, code="20A", quarter=q),
            outcome("18", 10, quarter=q),
        ]
    out += [outcome("15", 50, force="Essex", quarter=q) for q in (2, 3, 4)]
    files = [
        write_table(tmp_path / "prc.csv", {"": rows}),
        write_table(tmp_path / "out.xlsx", {"2023_24": out}, OUTCOME_HEADER),
    ]
    assert imports.import_national(store, files, user=ANALYST).status == "imported"
    return store


@pytest.fixture
def own_data(national, tmp_path):
    for name, rows, as_of in (("e.csv", CRIMES, "2024-06-30"), ("n.csv", LATE, "2024-02-29")):
        path = tmp_path / name
        path.write_text("\n".join([CASE_HEADER, *rows]) + "\n")
        done = loads.load_case_files(
            national, [path], as_of=dt.date.fromisoformat(as_of), user=ANALYST
        )
        assert done.status == "loaded", done.message
    return national


def test_latest_quarters_latest_first(national):
    assert figures.latest_quarters(national)[:2] == [
        ("2023/24", 4, dt.date(2024, 1, 1)),
        ("2023/24", 3, dt.date(2023, 10, 1)),
    ]
    assert figures.latest_quarters(national, "recorded")[-1] == ("2022/23", 4, dt.date(2023, 1, 1))
    assert len(figures.latest_quarters(national, "outcomes")) == 4
    assert figures.figures_synthetic(national) is False


@pytest.mark.parametrize(
    "measure_id, group, numerator, denominator",
    [
        ("recorded", None, 10 + 11 + 12 + 13 + 4 * 20, None),
        ("recorded", "rape", 46, None),
        ("recorded", "other_sexual", 80, None),
        ("charge", None, 4 * 2 + 1, 97),  # outcomes 1 and 1A over all 97
        ("victim_not_support", None, 4 * 3 + 4 * 5, 97),
        ("evidential", None, 16, 97),
        ("evidential", "rape", 0, 81),
        ("evidential", "other_sexual", 16, 16),
    ],
)
def test_published_figures_over_four_quarters(national, measure_id, group, numerator, denominator):
    found, left_out = figures.published(national, measure_id, END, offence_group=group)
    assert found["force"].tolist() == ["kent"]
    (row,) = found.to_dict("records")
    assert (row["numerator"], row["quarters"]) == (numerator, 4)
    if denominator is None:
        assert row["denominator"] != row["denominator"]  # NaN: the page divides by population
    else:
        assert row["denominator"] == denominator
    essex = left_out[left_out["force"] == "essex"].to_dict("records")
    assert essex == [
        {
            "force": "essex",
            "quarters": 3,
            "reason": "3 of the 4 quarters published; missing 2023/24 Q1",
        }
    ]
    absent = left_out[left_out["quarters"] == 0]
    assert len(absent) == 41  # the other territorial forces
    assert set(absent["reason"]) == {
        f"no published {measure(measure_id).table} figures in the window"
    }


def test_a_shorter_window(national):
    found, _ = figures.published(national, "recorded", END, quarters=3)
    assert found.sort_values("force")[["force", "numerator"]].values.tolist() == [
        ["essex", 21],
        ["kent", 11 + 12 + 13 + 60],
    ]


def test_own_figures_count_as_the_kpis_do(own_data):
    expected = {
        "recorded": (5, None),  # C2 to C6: not C1 (recorded before), not C7 (cancelled)
        "charge": (1, 4),  # given outcomes in the window: C1, C2, C5, C6
        "victim_not_support": (2, 4),
        "evidential": (0, 4),  # C3's outcome 15 comes after the window
    }
    first, last = figures.quarter_window(END)
    for m in MEASURES:
        got = figures.own(own_data, m.id, END)
        assert got["force"].tolist() == ["demo-eastvale"]  # northmoor's data ends too early
        numerator, denominator = expected[m.id]
        assert got["numerator"].tolist() == [numerator]
        assert got["denominator"].fillna(-1).tolist() == [denominator or -1]
        kpi = own_data.execute(
            """SELECT sum(numerator), sum(denominator) FROM kpi_results
               WHERE kpi_id = ? AND force = 'demo-eastvale' AND offence_group = 'All'
                 AND age_band = 'All' AND gender = 'All' AND month BETWEEN ? AND ?""",
            [m.kpi_id, first, last],
        ).fetchone()
        assert kpi == (numerator, denominator)


def test_own_figures_by_offence_group(own_data):
    rape = figures.own(own_data, "victim_not_support", END, offence_group="rape")
    assert rape[["numerator", "denominator"]].values.tolist() == [[2, 3]]  # C1, C2, C5
    other = figures.own(own_data, "recorded", END, offence_group="other_sexual")
    assert other["numerator"].tolist() == [3]  # C3, C4, C6
    # The KPI results of the group count the same crimes.
    first, last = figures.quarter_window(END)
    for got, kpi_id, group in ((rape, "K03", "rape"), (other, "K01", "other_sexual")):
        kpi = own_data.execute(
            """SELECT sum(numerator) FROM kpi_results
               WHERE kpi_id = ? AND force = 'demo-eastvale' AND offence_group = ?
                 AND age_band = 'All' AND gender = 'All' AND month BETWEEN ? AND ?""",
            [kpi_id, group, first, last],
        ).fetchone()
        assert kpi == (got["numerator"].item(),)


def test_measures_take_the_direction_of_their_kpi():
    assert [(m.id, m.kpi_id, m.kind, m.direction) for m in MEASURES] == [
        ("recorded", "K01", "count", "neutral"),
        ("charge", "K02", "proportion", "up"),
        ("victim_not_support", "K03", "proportion", "down"),
        ("evidential", "K04", "proportion", "down"),
    ]
    with pytest.raises(ValueError, match="no national measure 'arrests'"):
        measure("arrests")


def test_windows_and_quarter_labels():
    assert figures.quarter_window(END) == (dt.date(2023, 4, 1), dt.date(2024, 3, 31))
    assert figures.quarter_window(dt.date(2024, 7, 1), 2) == (
        dt.date(2024, 4, 1),
        dt.date(2024, 9, 30),
    )
    assert figures.quarter_label(dt.date(2024, 1, 1)) == "2023/24 Q4"
    assert figures.quarter_label(dt.date(2024, 4, 1)) == "2024/25 Q1"


def test_an_unknown_offence_group_is_refused(national):
    with pytest.raises(ValueError, match="offence_group must be rape, other_sexual or None"):
        figures.published(national, "recorded", END, offence_group="sexual")


def test_an_empty_database_has_no_figures(store):
    found, left_out = figures.published(store, "charge", END)
    assert found.empty and len(left_out) == 43
    assert figures.own(store, "recorded", END).empty
    assert figures.latest_quarters(store) == [] and not figures.figures_synthetic(store)
