"""Small-number suppression: primary rule, secondary suppression, linked KPIs."""

import itertools
import math

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from flightdeck.peers.suppression import SuppressionRule, suppress
from flightdeck.vocabulary import RESULT_COLUMNS

RULE = SuppressionRule()


def rows(kpi, cells, month="2025-01-01", force="demo-eastvale", complete=True):
    """Result rows from {(age_band, gender): (numerator, denominator)}; value computed as the
    results table would: count -> numerator, median -> given as numerator slot, rate -> n/d."""
    out = []
    for (age, gender), (num, den) in cells.items():
        if den is None:
            value = num
        elif num is None:
            value = 30.0  # a median in days; its figure does not matter to the rule
        else:
            value = num / den
        out.append([kpi, force, month, age, gender, num, den, value, complete])
    return pd.DataFrame(out, columns=RESULT_COLUMNS)


def hidden(frame, kpi="K01"):
    f = frame[(frame["kpi_id"] == kpi) & frame["suppressed"]]
    return set(zip(f["age_band"], f["gender"], strict=True))


def test_count_of_three_is_hidden_with_the_next_smallest_band():
    # Total 20 = 3 + 7 + 10: hiding only the 3 would leave it as 20 - 7 - 10.
    frame = rows(
        "K01",
        {
            ("All", "All"): (20, None),
            ("0-12", "All"): (3, None),
            ("13-15", "All"): (7, None),
            ("18-24", "All"): (10, None),
        },
    )
    out = suppress(frame, RULE)
    assert hidden(out) == {("0-12", "All"), ("13-15", "All")}
    published = out[~out["suppressed"]].set_index("age_band")
    assert published.loc["All", "value"] == 20
    assert published.loc["18-24", "value"] == 10
    blanked = out[out["suppressed"]]
    assert blanked[["numerator", "denominator", "value"]].isna().all().all()


def test_columns_are_the_catalogue_columns_then_suppressed():
    out = suppress(rows("K01", {("All", "All"): (2, None)}), RULE)
    assert list(out.columns) == RESULT_COLUMNS + ["suppressed"]
    assert out.loc[0, "suppressed"]
    assert out.loc[0, "complete"]


def test_counts_of_five_and_zero_rows_are_published():
    out = suppress(rows("K01", {("All", "All"): (5, None)}), RULE)
    assert not out["suppressed"].any()


def test_rate_with_small_denominator_is_hidden_with_a_partner():
    # K02: total 9 of 30; 0-12 has 1 of 6 (denominator < 10), 13-15 has 8 of 24.
    frame = rows(
        "K02",
        {("All", "All"): (9, 30), ("0-12", "All"): (1, 6), ("13-15", "All"): (8, 24)},
    )
    out = suppress(frame, RULE)
    assert hidden(out, "K02") == {("0-12", "All"), ("13-15", "All")}
    total = out[out["age_band"] == "All"].iloc[0]
    assert (total["numerator"], total["denominator"]) == (9, 30)


def test_rate_numerators_that_sum_to_zero_are_not_left_as_the_only_pair():
    # Hiding A (0 of 5) with B (0 of 12) would still say "none charged in either": C goes too.
    frame = rows(
        "K02",
        {
            ("All", "All"): (10, 40),
            ("0-12", "All"): (0, 5),
            ("13-15", "All"): (0, 12),
            ("18-24", "All"): (10, 23),
        },
    )
    out = suppress(frame, RULE)
    assert hidden(out, "K02") == {("0-12", "All"), ("13-15", "All"), ("18-24", "All")}


def test_two_ones_are_not_left_as_the_only_pair():
    # Two hidden rows summing to 2 can only be 1 and 1 (a row exists only for counts >= 1).
    frame = rows(
        "K01",
        {
            ("All", "All"): (12, None),
            ("0-12", "All"): (1, None),
            ("13-15", "All"): (1, None),
            ("18-24", "All"): (10, None),
        },
    )
    out = suppress(frame, RULE)
    assert hidden(out) == {("0-12", "All"), ("13-15", "All"), ("18-24", "All")}


def test_a_band_that_equals_the_total_takes_the_total_with_it():
    # Every crime of the month is in one age band: band and total are the same small count.
    frame = rows("K02", {("All", "All"): (2, 8), ("18-24", "All"): (2, 8)})
    out = suppress(frame, RULE)
    assert hidden(out, "K02") == {("All", "All"), ("18-24", "All")}


def test_median_with_fewer_than_ten_crimes_is_hidden():
    frame = rows("K05", {("All", "All"): (None, 7)})
    out = suppress(frame, RULE)
    assert out.loc[0, "suppressed"]
    assert math.isnan(out.loc[0, "value"])


def test_thresholds_can_be_changed():
    frame = rows("K01", {("All", "All"): (3, None)})
    assert not suppress(frame, SuppressionRule(count_max=2)).loc[0, "suppressed"]
    frame = rows("K02", {("All", "All"): (3, 8)})
    assert not suppress(frame, SuppressionRule(min_denominator=5)).loc[0, "suppressed"]


def test_linked_kpis_share_one_pattern():
    # K01 alone would hide A and B only; K07's numerators there are both 0, so K07 must also
    # hide C, and K01 (same crimes) must hide C too or it would publish K07's denominator.
    cells = {("All", "All"): 30, ("0-12", "All"): 3, ("13-15", "All"): 12, ("18-24", "All"): 15}
    k07_numerators = {
        ("All", "All"): 6,
        ("0-12", "All"): 0,
        ("13-15", "All"): 0,
        ("18-24", "All"): 6,
    }
    frame = pd.concat(
        [
            rows("K01", {c: (n, None) for c, n in cells.items()}),
            rows("K07", {c: (k07_numerators[c], n) for c, n in cells.items()}),
        ]
    )
    out = suppress(frame, RULE)
    three = {("0-12", "All"), ("13-15", "All"), ("18-24", "All")}
    assert hidden(out, "K07") == three
    assert hidden(out, "K01") == three
    unlinked = suppress(frame, SuppressionRule(linked=()))
    assert hidden(unlinked, "K01") == {("0-12", "All"), ("13-15", "All")}


def test_months_and_forces_are_suppressed_separately():
    frame = pd.concat(
        [
            rows("K01", {("All", "All"): (3, None)}, month="2025-01-01"),
            rows("K01", {("All", "All"): (30, None)}, month="2025-02-01"),
        ]
    )
    out = suppress(frame, RULE)
    assert out["suppressed"].tolist() == [True, False]


AGES = ["0-12", "13-15", "16-17"]
GENDERS = ["Female", "Male"]


def _table(counts):
    """A count KPI's full breakdown (cells, margins, total) from a dict of cell counts."""
    cells = {(a, g): counts[(a, g)] for a in AGES for g in GENDERS}
    for a in AGES:
        cells[(a, "All")] = sum(counts[(a, g)] for g in GENDERS)
    for g in GENDERS:
        cells[("All", g)] = sum(counts[(a, g)] for a in AGES)
    cells[("All", "All")] = sum(counts.values())
    return {c: (n, None) for c, n in cells.items() if n > 0}


def _recoverable(frame):
    """Hidden cells whose count is pinned down by the linear relations among published rows."""
    present = {(r.age_band, r.gender): r for r in frame.itertuples()}
    unknown = [c for c, r in present.items() if r.suppressed]
    if not unknown:
        return set()
    lines = [
        (("All", "All"), [(a, "All") for a in AGES]),
        (("All", "All"), [("All", g) for g in GENDERS]),
    ]
    lines += [((a, "All"), [(a, g) for g in GENDERS]) for a in AGES]
    lines += [(("All", g), [(a, g) for a in AGES]) for g in GENDERS]
    matrix = []
    for total, parts in lines:
        coefficients = [0.0] * len(unknown)
        for cell, sign in [(total, 1.0)] + [(p, -1.0) for p in parts]:
            if cell in unknown:
                coefficients[unknown.index(cell)] += sign
        if any(coefficients):
            matrix.append(coefficients)
    if not matrix:
        return set()  # no relation involves them
    a = np.array(matrix)
    rank = np.linalg.matrix_rank(a)
    found = set()
    for i, cell in enumerate(unknown):
        unit = np.zeros(len(unknown))
        unit[i] = 1.0
        if np.linalg.matrix_rank(np.vstack([a, unit])) == rank:
            found.add(cell)
    return found


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 14), min_size=6, max_size=6))
def test_no_published_count_is_small_and_no_hidden_count_can_be_recovered(values):
    counts = dict(zip(itertools.product(AGES, GENDERS), values, strict=True))
    if sum(values) == 0:
        return
    out = suppress(rows("K01", _table(counts)), RULE)
    published = out[~out["suppressed"]]
    assert not published["value"].between(1, 4).any()
    assert _recoverable(out) == set()
