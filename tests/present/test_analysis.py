"""A KPI's SPC reading: warm-up never analysed, baselines fixed after it, change points start
a new baseline, and the tile, chart and words all read it the same way. Hand-built series."""

from types import SimpleNamespace

import pandas as pd
import pytest

from flightdeck.present import analysis, spc_charts, spc_marks, style, tiles, verdict
from flightdeck.stats import spc

OPTIONS = spc.Options(baseline_points=12)


def kpi(unit="crimes", direction="up", snapshot=False, kind="count"):
    return SimpleNamespace(
        id="K99", unit=unit, direction=direction, noun="crimes", is_snapshot=snapshot, kind=kind
    )


def series(values, start="2020-01", complete=None):
    n = len(values)
    return pd.DataFrame(
        {
            "month": pd.date_range(start, periods=n, freq="MS"),
            "value": values,
            "complete": complete if complete is not None else [True] * n,
            "numerator": values,
            "denominator": [None] * n,
        }
    )


# 24 warm-up months climbing from 0 (as a history start makes them), then 12 baseline months
# alternating 10, 12 (average 11, limits 5.68 .. 16.32), then 12 more of the same.
CLIMB = list(range(24))
STEADY = [10, 12] * 12
DATA = series(CLIMB + STEADY)


def test_the_warm_up_is_drawn_but_never_analysed_or_a_baseline():
    reading = analysis.analyse_series(DATA, kpi(), options=OPTIONS, warmup=24)
    phases = reading.frame["phase"].value_counts().to_dict()
    assert phases == {"warm-up": 24, "analysed": 24}
    assert reading.warmup_end == pd.Timestamp("2022-01-01")
    assert reading.analysis.limits.mean == pytest.approx(11)
    assert [(b.first, b.last, b.points) for b in reading.baselines] == [
        (pd.Timestamp("2022-01-01"), pd.Timestamp("2022-12-01"), 12)
    ]
    assert reading.variation == "common_cause"
    assert reading.baseline_text() == (
        "Average and limits from the 12 months Jan 2022 to Dec 2022 (after the warm-up), "
        "fixed since."
    )
    # with no warm-up the climb would be the baseline (average 5.5) and flag every later month
    naive = analysis.analyse_series(DATA, kpi(), options=OPTIONS, warmup=0)
    assert naive.analysis.limits.mean == pytest.approx(5.5)
    assert naive.variation == "improvement_high"


def test_snapshots_take_twice_the_warm_up(monkeypatch):
    monkeypatch.setenv("FLIGHTDECK_SPC_WARMUP_MONTHS", "10")
    assert analysis.warmup_months(kpi()) == 10
    assert analysis.warmup_months(kpi(snapshot=True)) == 20


def test_limits_stay_fixed_as_months_are_added():
    early = analysis.analyse_series(DATA.iloc[:40], kpi(), options=OPTIONS, warmup=24)
    later = analysis.analyse_series(DATA, kpi(), options=OPTIONS, warmup=24)
    assert early.analysis.limits == later.analysis.limits
    until = analysis.analyse_series(
        DATA, kpi(), until=pd.Timestamp("2023-04-01"), options=OPTIONS, warmup=24
    )
    assert until.last_month == pd.Timestamp("2023-04-01")
    assert until.analysis.limits == later.analysis.limits


def test_a_change_point_starts_a_new_baseline_there():
    # after the steady months, 14 months alternating 20, 24 from Jan 2024: beyond the first
    # baseline's limits, ordinary against their own baseline from the change point
    data = series(CLIMB + STEADY + [20, 24] * 7)
    without = analysis.analyse_series(data, kpi(), options=OPTIONS, warmup=24)
    assert without.variation == "improvement_high"
    reading = analysis.analyse_series(
        data, kpi(), change_points=[pd.Timestamp("2024-01-01")], options=OPTIONS, warmup=24
    )
    assert reading.variation == "common_cause"
    assert reading.analysis.limits.mean == pytest.approx(22)
    assert [b.after for b in reading.baselines] == ["the warm-up", "the change point of Jan 2024"]
    # a change point inside the warm-up, or after the last month, is not used
    ignored = analysis.analyse_series(
        data,
        kpi(),
        change_points=[pd.Timestamp("2021-01-01"), pd.Timestamp("2030-01-01")],
        options=OPTIONS,
        warmup=24,
    )
    assert len(ignored.analysis.segments) == 1


def test_assurance_needs_a_target_and_a_direction():
    up = analysis.analyse_series(DATA, kpi(), options=OPTIONS, warmup=24, target=20)
    assert up.assurance == "consistent_fail"  # 20 is above the upper limit of 16.32
    assert verdict.assurance_words(up) == (
        "Target 20 crimes: the process will consistently miss it unless something changes"
    )
    assert analysis.analyse_series(DATA, kpi(), options=OPTIONS, warmup=24).assurance is None
    neutral = analysis.analyse_series(
        DATA, kpi(direction="neutral"), options=OPTIONS, warmup=24, target=20
    )
    assert neutral.assurance is None


def test_change_points_and_notes_for_a_kpi_include_those_for_all_kpis():
    notes = pd.DataFrame(
        {
            "month": pd.to_datetime(["2024-04-01", "2024-01-01", "2024-02-01"]),
            "kind": ["change_point", "note", "change_point"],
            "text": ["new team", "audit visit", "other KPI"],
            "kpi_id": [None, "K99", "K02"],
        }
    )
    assert analysis.change_points_for(notes, "K99") == [pd.Timestamp("2024-04-01")]
    assert list(analysis.notes_for(notes, "K99")["text"]) == ["audit visit", "new team"]
    assert spc_marks.mark_lines(analysis.notes_for(notes, "K99")) == [
        "note 1, Jan 2024, K99: audit visit",
        "change point 2, Apr 2024, all KPIs: new team (starts a new baseline)",
    ]


def test_tile_reads_the_month_as_known_then_with_neutral_changes(monkeypatch):
    monkeypatch.setenv("FLIGHTDECK_SPC_WARMUP_MONTHS", "24")
    data = series(CLIMB + STEADY + [20] * 7)  # seven months of 20 from Jan 2024
    tile = tiles.build_tile(
        data, pd.Timestamp("2024-07-01"), kpi=kpi(), flag="feasible", reason="", options=OPTIONS
    )
    assert tile.variation == "improvement_high" and tile.assessment == "improvement"
    assert tile.signal.startswith("Signal: Jul 2024 above the upper control limit")
    assert tile.previous == tiles.Change("no change on Jun 2024")  # no verdict from two points
    assert tile.last_year == tiles.Change("+10 crimes on Jul 2023")  # Jul 2023 was 10
    # a month in the warm-up says so and has no icon
    early = tiles.build_tile(
        data, pd.Timestamp("2021-06-01"), kpi=kpi(), flag="feasible", reason="", options=OPTIONS
    )
    assert early.variation is None
    assert early.signal == "Warm-up month: the first 24 months are not analysed"


def test_chart_draws_warm_up_types_limits_per_segment_and_the_target():
    data = series(CLIMB + STEADY + [20, 24] * 7)
    notes = pd.DataFrame(
        {
            "month": [pd.Timestamp("2024-01-01")],
            "kind": ["change_point"],
            "text": ["new team"],
            "kpi_id": [None],
        }
    )
    reading = analysis.analyse_series(
        data, kpi(direction="down"), options=OPTIONS, warmup=24, target=9
    )
    fig = spc_charts.spc_chart(reading, title="t", notes=notes)
    by_name = {t.name: t for t in fig.data}
    assert len(by_name["Warm-up (first 24 months, not analysed)"].y) == 24
    concern = by_name["Special cause: concern"]
    # the shift above the average starts with Dec 2023's 12 (above 11), the last steady month
    assert list(concern.y) == [12] + [20, 24] * 7 and concern.marker.color == style.ORANGE
    assert "Target 9 crimes" in by_name
    assert any(n.startswith("Average 11 crimes") for n in by_name)
    assert "Jan 2022 to Dec 2022" in fig.layout.title.text
    assert {a.text for a in fig.layout.annotations} >= {"change point 1"}
    # drawn over a window: the analysis does not change, only what is drawn
    window = (pd.Timestamp("2023-01-01"), pd.Timestamp("2024-12-01"))
    narrow = spc_charts.spc_chart(reading, title="t", window=window)
    assert "Warm-up (first 24 months, not analysed)" not in {t.name for t in narrow.data}
    assert "Jan 2022 to Dec 2022" in narrow.layout.title.text


def test_assurance_after_a_signal_says_the_limits_predate_it():
    # seven months of 20 after the baseline: an improvement above the upper limit of 16.32,
    # against which a target of 18 "will consistently be missed": the words say why to rebase
    data = series(CLIMB + STEADY + [20] * 7)
    reading = analysis.analyse_series(data, kpi(), options=OPTIONS, warmup=24, target=18)
    assert (reading.variation, reading.assurance) == ("improvement_high", "consistent_fail")
    assert verdict.assurance_words(reading).endswith(
        "(judged against limits set before the latest signal; if the change is sustained, a "
        "change point gives limits of the new process)"
    )


def test_a_baseline_with_months_without_a_figure_says_how_many_are_left_out():
    # the 12 baseline months after the warm-up, with Mar and Apr 2022 blank (suppressed, say):
    # the baseline takes the next 12 months with a figure, Jan 2022 to Feb 2023
    values = CLIMB + [10, 12, None, None] + [10, 12] * 10
    reading = analysis.analyse_series(series(values), kpi(), options=OPTIONS, warmup=24)
    assert reading.baseline_text() == (
        "Average and limits from the 12 months Jan 2022 to Feb 2023 (after the warm-up; 2 months "
        "without a figure left out), fixed since."
    )
