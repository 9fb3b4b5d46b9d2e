"""Figures, formatting and tile wording, checked against hand-made inputs."""

from types import SimpleNamespace

import pandas as pd
import pytest

from flightdeck.engine import catalogue
from flightdeck.present import (
    analysis,
    breakdown_charts,
    formatting,
    quality_charts,
    spc_charts,
    tiles,
)
from flightdeck.stats import spc


def kpi(unit: str, direction: str, noun: str = "crimes") -> SimpleNamespace:
    """A KPI as the tiles and the SPC reading use it."""
    return SimpleNamespace(
        id="K99", unit=unit, direction=direction, noun=noun, is_snapshot=False, kind="rate"
    )


def months(*labels: str) -> list[pd.Timestamp]:
    return [pd.Timestamp(f"{m}-01") for m in labels]


def series(values, complete=None, start="2024-01", numerators=None, denominators=None):
    n = len(values)
    return pd.DataFrame(
        {
            "month": pd.date_range(start, periods=n, freq="MS"),
            "value": values,
            "complete": complete if complete is not None else [True] * n,
            "numerator": numerators if numerators is not None else [None] * n,
            "denominator": denominators if denominators is not None else [None] * n,
        }
    )


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (0.41234, "fraction", "41.2%"),
        (87.0, "days", "87 days"),
        (312.0, "crimes", "312 crimes"),
        (5.44, "cases per FTE", "5.4 cases per FTE"),
        (None, "fraction", "n/a"),
        (float("nan"), "days", "n/a"),
    ],
)
def test_values_read_as_a_board_member_reads_them(value, unit, text):
    assert formatting.format_value(value, unit) == text


def test_changes_of_fractions_are_percentage_points():
    assert formatting.format_change(0.021, "fraction") == "+2.1 pts"
    assert formatting.format_change(-3.0, "crimes") == "-3 crimes"
    assert formatting.format_change(12.5, "days") == "+12.5 days"
    assert formatting.format_change(-1.0, "days") == "-1 day"
    assert formatting.format_change(1.0, "suspects") == "+1 suspect"
    assert formatting.format_value(1.0, "suspects") == "1 suspect"


def test_counts_are_singular_for_one():
    assert formatting.counted(1.0) == "1 crime"
    assert formatting.counted(1040.0) == "1,040 crimes"
    assert formatting.counted(49.7, "investigators") == "49.7 investigators"


def test_axis_titles_name_the_unit():
    assert formatting.axis_title("fraction") == "% of crimes"
    assert formatting.axis_title("fraction", "investigators") == "% of investigators"
    assert formatting.axis_title("days") == "Days (median)"
    assert formatting.axis_title("crimes") == "Crimes"


def test_hover_gives_the_counts_behind_each_value():
    frame = series([0.25, 0.5], numerators=[1.0, None], denominators=[4.0, 2.0])
    assert spc_charts.hover_counts(frame, "fraction") == [" (1 of 4 crimes)", " (0 of 2 crimes)"]
    assert spc_charts.hover_counts(frame, "days") == [
        " (median of 4 crimes)",
        " (median of 2 crimes)",
    ]
    assert spc_charts.hover_counts(frame, "crimes") == ["", ""]


def test_sparkline_draws_incomplete_months_hollow():
    fig = spc_charts.sparkline(series([0.2, 0.3, 0.25], complete=[True, True, False]), "fraction")
    line, latest, incomplete = fig.data
    assert list(line.y) == [0.2, 0.3]
    assert list(latest.y) == [0.3]
    assert list(incomplete.y) == [0.25]
    assert incomplete.marker.color == "white"


def test_spc_chart_names_its_month_axis():
    reading = analysis.analyse_series(series([10, 12] * 6), kpi("days", "down"), warmup=0)
    assert spc_charts.spc_chart(reading, title="t").layout.xaxis.title.text == "Month"
    fig = spc_charts.spc_chart(reading, title="t", month_title="Month of charge")
    assert fig.layout.xaxis.title.text == "Month of charge"


def test_month_axis_says_what_places_each_kpi_in_a_month():
    expected = {
        "K01": "Month recorded", "K02": "Month of outcome", "K03": "Month of outcome",
        "K04": "Month of outcome", "K05": "Month of charge", "K06": "Month end",
        "K07": "Month recorded", "K08": "Month recorded", "K09": "Month of first contact",
        "K10": "Month of outcome", "K11": "Month of CPS decision", "K12": "Month of referral",
        "K13": "Month recorded", "K14": "Month of application", "K15": "Month of first contact",
        "K16": "Month recorded", "K17": "Month recorded", "K18": "Month seized",
        "K19": "Month of outcome", "K20": "Month", "K21": "Month end",
    }  # fmt: skip
    got = {k.id: formatting.month_axis_title(k.basis) for k in catalogue.catalogue()}
    assert got == expected
    assert formatting.month_axis_title("") == "Month"


def test_shown_period_keeps_the_last_months():
    data = series(list(range(48)), start="2021-07")
    last_36 = tiles.shown_period(data, 36)
    assert len(last_36) == 36 and last_36["month"].min() == pd.Timestamp("2022-07-01")
    assert len(tiles.shown_period(data, None)) == 48
    # Ending at a chosen month: the 24 months Jul 2022 to Jun 2024.
    to_june = tiles.shown_period(data, 24, pd.Timestamp("2024-06-01"))
    assert (to_june["month"].min(), to_june["month"].max()) == (
        pd.Timestamp("2022-07-01"),
        pd.Timestamp("2024-06-01"),
    )
    assert tiles.shown_period(data.iloc[:0], 36).empty


def test_heatmap_cells_show_the_rate_and_the_counts_behind_it():
    frame = pd.DataFrame(
        {
            "age_band": ["18-24", "18-24", "0-12"],
            "gender": ["Female", "Male", "Female"],
            "value": [0.45, 0.25, 1.0],
            "numerator": [9.0, 1.0, 2.0],
            "denominator": [20.0, 4.0, 2.0],
        }
    )
    fig = breakdown_charts.age_gender_heatmap(frame, unit="fraction", title="t")
    heat = fig.data[0]
    assert list(heat.y) == ["0-12", "18-24"]  # age bands in their natural order
    assert list(heat.x) == ["Female", "Male"]
    assert heat.text[1][0] == "45.0%<br>9 of 20"
    assert heat.text[0][1] == ""  # no crimes: an empty cell, not a zero
    assert heat.z[0][1] is None


def test_feasibility_matrix_uses_symbols_as_well_as_colour():
    frame = pd.DataFrame(
        {
            "force": ["a", "a"],
            "kpi_id": ["K01", "K16"],
            "flag": ["feasible", "not_feasible"],
            "reason": ["", "column isva_referral_date is not recorded"],
            "declared_status": ["reported", "feasible"],
        }
    )
    fig = quality_charts.feasibility_matrix(frame, {"K01": "Recorded", "K16": "ISVA"})
    heat = fig.data[0]
    assert [row[0] for row in heat.text] == ["✓ reported", "✗ feasible"]
    assert list(heat.y) == ["K01 Recorded", "K16 ISVA"]


def test_tile_for_a_rate_with_changes_on_last_month_and_last_year():
    # Mar 2024 40 %, Feb 2025 40 %, Mar 2025 50 % (10 of 20); higher is better
    data = series(
        [0.4] + [0.45] * 10 + [0.4, 0.5],
        start="2024-03",
        numerators=[None] * 12 + [10.0],
        denominators=[None] * 12 + [20.0],
    )
    tile = tiles.build_tile(
        data, pd.Timestamp("2025-03-01"), kpi=kpi("fraction", "up"), flag="feasible", reason=""
    )
    assert tile.headline == "50.0%"
    assert tile.note == "10 of 20 crimes"
    # context only: no "better" or "worse" from two months
    assert tile.previous == tiles.Change("+10.0 pts on Feb 2025")
    assert tile.last_year == tiles.Change("+10.0 pts on Mar 2024")
    assert len(tile.spark) == 13


def test_tile_says_why_there_is_no_value():
    data = series([0.3, 0.2], complete=[True, False], numerators=[3.0, 3.0], denominators=[10, 10])
    month = pd.Timestamp("2024-02-01")
    kwargs = {"kpi": kpi("fraction", "up")}
    not_feasible = tiles.build_tile(
        data,
        month,
        flag="not_feasible",
        reason="column isva_referral_date is not recorded",
        **kwargs,
    )
    assert not_feasible.headline == "n/a"
    assert not_feasible.note == "n/a — not feasible: column isva_referral_date is not recorded"
    incomplete = tiles.build_tile(data, month, flag="feasible", reason="", **kwargs)
    assert incomplete.status == "incomplete"
    assert incomplete.note.endswith("(3 of 10 crimes so far)")
    empty = tiles.build_tile(data, pd.Timestamp("2024-05-01"), flag="feasible", reason="", **kwargs)
    assert (empty.headline, empty.status) == ("n/a", "no_data")


def test_counts_fill_months_without_crimes_with_zero():
    data = series([3.0, 5.0], numerators=[3.0, 5.0])
    data = data.iloc[[0]]  # February has no row: no crimes
    filled = tiles.fill_count_months(data, months("2024-01", "2024-02"))
    assert list(filled["value"]) == [3.0, 0.0]
    assert list(filled["complete"]) == [True, True]


def test_summary_line_counts_flags_and_declared_statuses():
    frame = pd.DataFrame(
        {
            "flag": ["feasible", "feasible", "partial", "not_feasible"],
            "declared_status": ["reported", "reported", None, "under_assessment"],
        }
    )
    assert tiles.summary_line(frame) == (
        "feasible 2 · partial 1 · not feasible 1; "
        "declared: reported 2, under assessment 1, none declared 1"
    )


def test_incomplete_rate_months_get_their_value_so_far():
    data = series([0.5, None], complete=[True, False], numerators=[5.0, 3.0], denominators=[10, 12])
    filled = tiles.value_so_far(data, "fraction")
    assert list(filled["value"]) == [0.5, 0.25]  # 3 of 12 so far
    assert tiles.value_so_far(data, "days")["value"].isna().iloc[1]  # a median is not guessed


def test_incomplete_tile_gives_the_latest_complete_month_and_its_signal(monkeypatch):
    monkeypatch.setenv("FLIGHTDECK_SPC_WARMUP_MONTHS", "0")  # three months: none of warm-up
    # Jan to Mar complete at 40 %, 50 %, 40 %; April still open with 2 of 8 so far
    data = series(
        [0.4, 0.5, 0.4, None],
        complete=[True, True, True, False],
        numerators=[4.0, 5.0, 4.0, 2.0],
        denominators=[10.0, 10.0, 10.0, 8.0],
    )
    tile = tiles.build_tile(
        data, pd.Timestamp("2024-04-01"), kpi=kpi("fraction", "up"), flag="feasible", reason="",
    )  # fmt: skip
    assert (tile.headline, tile.status) == ("incomplete", "incomplete")
    assert tile.note.endswith("(2 of 8 crimes so far)")
    assert tile.latest == "Latest complete month, Mar 2024: 40.0%"
    assert tile.signal == "No signal: ordinary month-to-month variation"
    assert list(tile.spark["value"]) == [0.4, 0.5, 0.4, 0.25]  # the open month drawn so far


def test_not_feasible_reason_in_plain_words():
    assert formatting.plain_reason(
        "isva_referral_date not recorded (absent or entirely blank)"
    ) == ("the force's extract does not record the ISVA referral date (isva_referral_date)")
    assert formatting.plain_reason("device_seized_date, device_returned_date not recorded (x)") == (
        "the force's extract does not record the device seized date or the device returned "
        "date (device_seized_date, device_returned_date)"
    )
    other = "charge_date filled in on 61 % of charged crimes"
    assert formatting.plain_reason(other) == other


def test_workforce_tiles_count_investigators():
    data = series([0.66], numerators=[33.0], denominators=[50.0])
    tile = tiles.build_tile(
        data, pd.Timestamp("2024-01-01"), kpi=kpi("fraction", "up", noun="investigators"),
        flag="feasible", reason="",
    )  # fmt: skip
    assert tile.note == "33 of 50 investigators"


def test_overview_groups_kpis_by_what_their_tile_says():
    empty = pd.DataFrame()

    def tile(status, assessment=None):
        return tiles.Tile("x", status, "", None, None, "", assessment, empty)

    deck = [
        ("K01", tile("value")),
        ("K02", tile("value", spc.IMPROVEMENT)),
        ("K03", tile("value", spc.CONCERN)),
        ("K07", tile("incomplete", spc.IMPROVEMENT)),  # last month's signal: not this month's
        ("K16", tile("not_feasible")),
        ("K05", tile("value", spc.CONCERN)),
    ]
    assert tiles.overview(deck) == {
        "concern": ["K03", "K05"],
        "improvement": ["K02"],
        "no_signal": ["K01"],
        "incomplete": ["K07"],
        "not_feasible": ["K16"],
    }


def test_summary_line_when_nothing_is_declared():
    frame = pd.DataFrame({"flag": ["feasible", "partial"], "declared_status": [None, ""]})
    expected = "feasible 1 · partial 1 · not feasible 0; declared: none yet"
    assert tiles.summary_line(frame) == expected


@pytest.mark.parametrize(
    ("n", "text"),
    [(295.0, "295"), (295.04, "295"), (295.3333, "295.3"), (1234.56, "1,234.6"), (0.1667, "0.2")],
)
def test_mean_counts_are_whole_when_whole_else_one_decimal(n, text):
    assert breakdown_charts.mean_count(n) == text


def test_bars_of_means_over_month_ends_say_on_average_at_a_month_end():
    # A snapshot's 12 month ends: 3,544 and 11,665 crime-month-ends -> means 295.3 and 972.1.
    frame = pd.DataFrame(
        {
            "age_band": ["18-24", "25-34"],
            "value": [3544 / 11665, 0.0],
            "numerator": [3544 / 12, 0.0],
            "denominator": [11665 / 12, 24 / 12],
        }
    )
    fig = breakdown_charts.breakdown_bars(
        frame, label="age_band", unit="fraction", title="t", mean_of=12, noun="open crimes"
    )
    bars = fig.data[0]
    assert list(bars.text) == [
        "30.4%  on average 295.3 of 972.1 open crimes at a month end",
        "0.0%  on average 0 of 2 open crimes at a month end",
    ]
    assert "(mean of 12 month ends)" in bars.hovertemplate
    # The same cells of one month, not averaged, keep their whole counts.
    plain = breakdown_charts.breakdown_bars(frame.round(), label="age_band", unit="fraction",
                                            title="t")  # fmt: skip
    assert "on average" not in plain.data[0].text[0]
    assert "mean of" not in plain.data[0].hovertemplate


def test_heatmap_cells_of_means_say_on_average():
    frame = pd.DataFrame(
        {
            "age_band": ["18-24"],
            "gender": ["Female"],
            "value": [0.5],
            "numerator": [1.5],
            "denominator": [3.0],
        }
    )
    fig = breakdown_charts.age_gender_heatmap(
        frame, unit="fraction", title="t", mean_of=5, noun="open crimes"
    )
    assert fig.data[0].text[0][0] == "50.0%<br>on average<br>1.5 of 3"  # a narrow cell
    hover = "50.0%<br>on average 1.5 of 3 open crimes at a month end"
    assert fig.data[0].customdata[0][0] == hover
    assert "(mean of 5 month ends)" in fig.data[0].hovertemplate


def test_flags_table_reads_as_words_not_codes():
    frame = pd.DataFrame(
        {
            "force": ["demo-a", "demo-b"],
            "kpi_id": ["K19", "K18"],
            "flag": ["feasible", "not_feasible"],
            "reason": ["all required columns present", "column device_return_date is not recorded"],
            "declared_status": ["not_feasible", None],
        }
    )
    table = quality_charts.flags_table(
        frame, {"K19": "DNA retention", "K18": "Devices returned"}, {"demo-a": "Force A"}
    )
    assert list(table.columns) == ["Force", "KPI", "From the data", "Why", "Declared to the board"]
    assert table.iloc[0].tolist() == [
        "Force A",
        "K19 DNA retention",
        "✓ feasible",
        "all required columns present",
        "not feasible",
    ]
    # a force without a name keeps its id; a status never declared says so
    assert table.iloc[1].tolist() == [
        "demo-b",
        "K18 Devices returned",
        "✗ not feasible",
        "column device_return_date is not recorded",
        "not declared",
    ]
