"""Small-number suppression: the primary rule (counts, rate numerators and their complements,
small denominators), secondary suppression along every line of a breakdown, linked KPIs, and
an independent check that no hidden figure can be worked back out of the published rows."""

import itertools
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flightdeck.peers.suppression import SuppressionRule, is_primary, suppress
from flightdeck.vocabulary import RESULT_COLUMNS

RULE = SuppressionRule()
A, B, C, TOTAL = ("0-12", "All"), ("13-15", "All"), ("18-24", "All"), ("All", "All")


def rows(kpi, cells, month="2025-01-01", force="demo-eastvale", complete=True, group="All"):
    """Result rows of one offence group from {(age_band, gender): (numerator, denominator)};
    value computed as the results table would: count -> numerator, median -> given as
    numerator slot, rate -> n/d."""
    out = []
    for (age, gender), (num, den) in cells.items():
        if den is None:
            value = num
        elif num is None:
            value = 30.0  # a median in days; its figure does not matter to the rule
        else:
            value = num / den
        out.append([kpi, force, month, group, age, gender, num, den, value, complete])
    return pd.DataFrame(out, columns=RESULT_COLUMNS)


def hidden(frame, kpi="K01"):
    f = frame[(frame["kpi_id"] == kpi) & frame["suppressed"]]
    return set(zip(f["age_band"], f["gender"], strict=True))


# --- the primary rule ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("numerator", "denominator", "suppressed"),
    [
        (0, 19, False),  # zero is not a small number
        (1, 19, True),  # "1 of 19 crimes"
        (2, 19, True),
        (3, 19, True),
        (4, 19, True),
        (5, 19, False),
        (5, 9, True),  # fewer than 10 crimes behind the rate
        (0, 9, True),
        (15, 19, True),  # 19 - 15 = 4 crimes not counted
        (18, 19, True),  # 19 - 18 = 1
        (14, 19, False),  # 19 - 14 = 5
        (19, 19, False),  # all 19: a complement of 0 is kept, as a numerator of 0 is
        (5, 20, False),
        (15, 20, False),
    ],
)
def test_a_rate_is_suppressed_by_its_numerator_its_complement_or_its_denominator(
    numerator, denominator, suppressed
):
    assert is_primary("rate", numerator, denominator, RULE) is suppressed
    out = suppress(rows("K10", {TOTAL: (numerator, denominator)}), RULE)
    assert out.loc[0, "suppressed"] == suppressed
    if suppressed:
        assert out.loc[0, ["numerator", "denominator", "value"]].isna().all()


def test_count_max_comes_from_the_settings(monkeypatch):
    monkeypatch.setenv("FLIGHTDECK_SUPPRESS_COUNT_MAX", "2")
    rule = SuppressionRule.from_settings()
    assert (rule.count_max, rule.min_denominator) == (2, 10)
    assert is_primary("rate", 2, 19, rule) and not is_primary("rate", 3, 19, rule)
    assert is_primary("rate", 17, 19, rule) and not is_primary("rate", 16, 19, rule)
    assert is_primary("count", 2, None, rule) and not is_primary("count", 3, None, rule)
    assert "from 1 to 2" in rule.describe()


def test_counts_medians_and_figures_that_are_not_whole():
    assert is_primary("count", 4, None, RULE) and not is_primary("count", 5, None, RULE)
    assert not is_primary("count", 0, None, RULE)
    # A median is suppressed on its number of crimes only; its days are not a count.
    assert is_primary("median", None, 9, RULE) and not is_primary("median", None, 10, RULE)
    # Investigators as FTE: 0.5 of 12 trained, and 11.5 of 12 (0.5 untrained), are small.
    assert is_primary("rate", 0.5, 12.0, RULE) and is_primary("rate", 11.5, 12.0, RULE)
    assert not is_primary("rate", 6.5, 14.0, RULE)


def test_columns_are_the_catalogue_columns_then_suppressed():
    out = suppress(rows("K01", {TOTAL: (2, None)}), RULE)
    assert list(out.columns) == RESULT_COLUMNS + ["suppressed"]
    assert out.loc[0, "suppressed"]
    assert out.loc[0, "complete"]


def test_counts_of_five_are_published():
    out = suppress(rows("K01", {TOTAL: (5, None)}), RULE)
    assert not out["suppressed"].any()


def test_median_with_fewer_than_ten_crimes_is_hidden():
    out = suppress(rows("K05", {TOTAL: (None, 7)}), RULE)
    assert out.loc[0, "suppressed"]
    assert math.isnan(out.loc[0, "value"])


def test_thresholds_can_be_changed():
    assert not suppress(rows("K01", {TOTAL: (3, None)}), SuppressionRule(count_max=2)).loc[
        0, "suppressed"
    ]
    # 3 of 8: numerator 3 and complement 5 are over 2, and 8 crimes are not under 5.
    lenient = SuppressionRule(count_max=2, min_denominator=5)
    assert not suppress(rows("K02", {TOTAL: (3, 8)}), lenient).loc[0, "suppressed"]
    assert suppress(rows("K02", {TOTAL: (3, 8)}), RULE).loc[0, "suppressed"]


def test_months_and_forces_are_suppressed_separately():
    frame = pd.concat(
        [
            rows("K01", {TOTAL: (3, None)}, month="2025-01-01"),
            rows("K01", {TOTAL: (30, None)}, month="2025-02-01"),
        ]
    )
    assert suppress(frame, RULE)["suppressed"].tolist() == [True, False]


# --- secondary suppression -------------------------------------------------------------------


def test_count_of_three_is_hidden_with_the_next_smallest_band():
    # Total 20 = 3 + 7 + 10: hiding only the 3 would leave it as 20 - 7 - 10.
    frame = rows("K01", {TOTAL: (20, None), A: (3, None), B: (7, None), C: (10, None)})
    out = suppress(frame, RULE)
    assert hidden(out) == {A, B}
    published = out[~out["suppressed"]].set_index("age_band")
    assert published.loc["All", "value"] == 20
    assert published.loc["18-24", "value"] == 10
    blanked = out[out["suppressed"]]
    assert blanked[["numerator", "denominator", "value"]].isna().all().all()


def test_a_numerator_of_three_is_hidden_with_a_second_part():
    # K10: 23 of 60 = 3 of 20 + 8 of 18 + 12 of 22. Hiding only the 3 would leave it as
    # 23 - 8 - 12; the part with the fewest crimes (18) goes too, so 23 - 12 = 11 is all that
    # can be said of the two.
    frame = rows("K10", {TOTAL: (23, 60), A: (3, 20), B: (8, 18), C: (12, 22)})
    out = suppress(frame, RULE)
    assert hidden(out, "K10") == {A, B}
    published = out[~out["suppressed"]].set_index("age_band")
    assert published.loc["All", "numerator"] == 23 and published.loc["18-24", "numerator"] == 12


def test_a_complement_of_two_is_hidden_with_a_second_part():
    # K10: 40 of 48 = 18 of 20 (2 not counted) + 10 of 16 + 12 of 12. The smallest other part,
    # 12 of 12, goes too (on its own "all 12" would be published: a complement of 0).
    frame = rows("K10", {TOTAL: (40, 48), A: (18, 20), B: (10, 16), C: (12, 12)})
    out = suppress(frame, RULE)
    assert hidden(out, "K10") == {A, C}
    assert not suppress(rows("K10", {TOTAL: (12, 12)}), RULE)["suppressed"].any()


def test_rate_with_small_denominator_is_hidden_with_a_partner():
    # K02: total 9 of 30; 0-12 has 1 of 6 (denominator < 10), 13-15 has 8 of 24.
    out = suppress(rows("K02", {TOTAL: (9, 30), A: (1, 6), B: (8, 24)}), RULE)
    assert hidden(out, "K02") == {A, B}
    total = out[out["age_band"] == "All"].iloc[0]
    assert (total["numerator"], total["denominator"]) == (9, 30)


def test_rate_numerators_that_sum_to_zero_are_not_left_as_the_only_pair():
    # Hiding A (0 of 5) with B (0 of 12) would still say "none charged in either": C goes too.
    frame = rows("K02", {TOTAL: (10, 40), A: (0, 5), B: (0, 12), C: (10, 23)})
    assert hidden(suppress(frame, RULE), "K02") == {A, B, C}


def test_two_ones_are_not_left_as_the_only_pair():
    # Two hidden rows summing to 2 can only be 1 and 1 (a row exists only for counts >= 1).
    frame = rows("K01", {TOTAL: (12, None), A: (1, None), B: (1, None), C: (10, None)})
    assert hidden(suppress(frame, RULE)) == {A, B, C}


def test_a_band_that_equals_the_total_takes_the_total_with_it():
    # Every crime of the month is in one age band: band and total are the same small count.
    out = suppress(rows("K02", {TOTAL: (2, 8), C: (2, 8)}), RULE)
    assert hidden(out, "K02") == {TOTAL, C}


# --- linked KPIs -----------------------------------------------------------------------------


def linked_frame(counts, k07_numerators):
    return pd.concat(
        [
            rows("K01", {c: (n, None) for c, n in counts.items()}),
            rows("K07", {c: (k07_numerators[c], n) for c, n in counts.items()}),
        ]
    )


def test_a_numerator_hidden_in_one_kpi_leaves_the_shared_count_published():
    # K07 hides 3 of 20 and its partner 8 of 18; K01 still publishes 20 and 18: they are not
    # small, and 23 - 12 = 11 is all that is known of K07's two hidden numerators.
    frame = linked_frame({TOTAL: 60, A: 20, B: 18, C: 22}, {TOTAL: 23, A: 3, B: 8, C: 12})
    out = suppress(frame, RULE)
    assert hidden(out, "K07") == {A, B}
    assert hidden(out, "K01") == set()


def test_a_small_population_is_hidden_in_every_linked_kpi():
    # K07 has 5 of 7 crimes in 0-12 (under 10), so the 7 crimes go from K01 as well, with the
    # next smallest band (12) so that 34 - 15 does not give the 7 back. Unlinked, K01 would
    # publish 7 and 12 (neither is from 1 to 4) and so publish the count K07 hid.
    frame = linked_frame({TOTAL: 34, A: 7, B: 12, C: 15}, {TOTAL: 18, A: 5, B: 6, C: 7})
    out = suppress(frame, RULE)
    assert hidden(out, "K01") == hidden(out, "K07") == {A, B}
    unlinked = suppress(frame, SuppressionRule(linked=()))
    assert hidden(unlinked, "K01") == set()
    assert hidden(unlinked, "K07") == {A, B}


def test_linked_kpis_protect_their_own_numerators_beyond_the_shared_pattern():
    # K01's 3 hides 0-12 and 13-15 in both KPIs. K07's numerators there are both 0, so K07 must
    # also hide 18-24 (else 6 - 6 = 0 says "none in either"); K01 keeps publishing 15, which
    # neither is small nor pins K07's three hidden numerators (they share 6 over 30 crimes).
    frame = linked_frame({TOTAL: 30, A: 3, B: 12, C: 15}, {TOTAL: 6, A: 0, B: 0, C: 6})
    out = suppress(frame, RULE)
    assert hidden(out, "K07") == {A, B, C}
    assert hidden(out, "K01") == {A, B}


def test_open_cases_per_investigator_goes_with_the_open_crimes_it_counts():
    # K21's numerator is K06's denominator: 7 crimes open at month end. K06 hides them (under
    # 10), so K21 (7 cases over 12 investigators, fine on its own) is hidden too.
    frame = pd.concat([rows("K06", {TOTAL: (2, 7)}), rows("K21", {TOTAL: (7, 12.0)})])
    assert hidden(suppress(frame, RULE), "K21") == {TOTAL}
    assert hidden(suppress(frame, SuppressionRule(linked=())), "K21") == set()


# --- no hidden figure can be worked back out (an independent check) ---------------------------


def breakdown_lines(cells):
    """Each age band's genders add up to the band, each gender's bands to the gender, and the
    bands and the genders each to the total."""
    ages = sorted({a for a, g in cells if a != "All"})
    genders = sorted({g for a, g in cells if g != "All"})
    out = [(TOTAL, [(a, "All") for a in ages]), (TOTAL, [("All", g) for g in genders])]
    out += [((a, "All"), [(a, g) for g in genders]) for a in ages]
    out += [(("All", g), [(a, g) for a in ages]) for g in genders]
    return out


def recovered(truth, unknown, lines, floor=0):
    """Hidden cells a reader gets back from the published ones (a missing row is zero): line by
    line, any line with one unknown member gives it (total minus parts), repeated with what was
    found; a line whose unknown parts' known sum is their least possible (all `floor`) gives
    them all; and any cell fixed by all the lines solved together as linear equations.

    A published total at its floor ("0 of 14", or "14 of 14" for the complement) says that of
    every part itself: zero is not a small number, so that is allowed, and not counted here."""
    unknown = {c for c in unknown if c in truth}
    found: set = set()
    changed = True
    while changed:
        changed = False
        for total, parts in lines:
            left = [c for c in [total, *parts] if c in unknown - found]
            told = total not in unknown and truth.get(total, 0) == floor
            if len(left) == 1 or (
                left
                and total not in left
                and not told
                and sum(truth[c] for c in left) == floor * len(left)
            ):
                found |= set(left)
                changed = True
    open_cells = sorted(unknown - found)
    if open_cells:
        matrix = np.array(
            [
                [(c == total) - (c in parts) for c in open_cells]
                for total, parts in lines
                if any(c == total or c in parts for c in open_cells)
            ],
            dtype=float,
        ).reshape(-1, len(open_cells))
        rank = np.linalg.matrix_rank(matrix) if len(matrix) else 0
        for i, cell in enumerate(open_cells):
            if np.linalg.matrix_rank(np.vstack([matrix, np.eye(len(open_cells))[i]])) == rank:
                found.add(cell)
    return found


# Six bands and four genders: big enough for hidden cells that only several lines together
# give back (a line-by-line rule alone leaves some).
AGES = ["0-12", "13-15", "16-17", "18-24", "25-34", "35-44"]
GENDERS = ["Female", "Male", "Other", "Unknown"]


def with_margins(values):
    """Every cell, band, gender and the total, from {(age, gender): figure}."""
    cells = dict(values)
    for a in AGES:
        cells[(a, "All")] = sum(values[(a, g)] for g in GENDERS)
    for g in GENDERS:
        cells[("All", g)] = sum(values[(a, g)] for a in AGES)
    cells[TOTAL] = sum(values.values())
    return cells


def assert_nothing_recoverable(out, crimes, numerators):
    lines = breakdown_lines(crimes)
    published = out[~out["suppressed"]]
    for r in published.itertuples():
        kind = "count" if r.kpi_id == "K01" else "rate"
        assert not is_primary(kind, r.numerator, r.denominator, RULE), r
    k07, k01 = hidden(out, "K07"), hidden(out, "K01")
    # K07's numerators (a numerator may be 0; a full numerator is as telling as a 0).
    assert recovered(numerators, k07, lines) == set()
    complements = {c: crimes[c] - n for c, n in numerators.items()}
    assert recovered(complements, k07, lines) == set()
    # The crimes counted, published by K01 or as K07's denominator: each row is at least 1.
    assert recovered(crimes, k01 & k07, lines, floor=1) == set()


def check_random_table(sizes, numerator_of):
    """Suppress K01 and K07 of a table of crimes per age band x gender (`sizes`, in the order of
    AGES x GENDERS; `numerator_of(i, n)` gives cell i's K07 numerator of its n crimes) and check
    that nothing can be worked out."""
    keys = list(itertools.product(AGES, GENDERS))
    cells = list(enumerate(zip(keys, sizes, strict=True)))
    crimes = with_margins({k: n for _, (k, n) in cells})
    numerators = with_margins({k: numerator_of(i, n) for i, (k, n) in cells})
    crimes = {c: n for c, n in crimes.items() if n > 0}
    numerators = {c: n for c, n in numerators.items() if c in crimes}
    assert_nothing_recoverable(suppress(linked_frame(crimes, numerators), RULE), crimes, numerators)


SIZES = [0, 0, 1, 2, 3, 5, 8, 12, 20, 30]  # a missing row (0) is common in a breakdown


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.sampled_from(SIZES), min_size=24, max_size=24),
    st.lists(st.floats(0, 1), min_size=24, max_size=24),
)
def test_no_hidden_figure_of_a_random_table_can_be_worked_out(sizes, shares):
    if sum(sizes):
        check_random_table(sizes, lambda i, n: round(shares[i] * n))


def test_no_hidden_figure_of_a_seeded_random_table_can_be_worked_out():
    # The same check over a fixed set of tables, so that a failure reproduces as it was seen.
    rng = np.random.default_rng(2025)
    for _ in range(150):
        sizes = rng.choice(SIZES, size=len(AGES) * len(GENDERS)).tolist()
        if sum(sizes):
            check_random_table(sizes, lambda i, n: int(rng.integers(0, n + 1)))
