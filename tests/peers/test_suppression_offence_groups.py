"""Secondary suppression across offence groups: `All` = `rape` + `other_sexual` in every age
band and gender cell, so a hidden figure of one group must not come back as All minus the other
group. Every expected pattern is worked out by hand below."""

import numpy as np
import pandas as pd

from flightdeck.peers.suppression import SuppressionRule, suppress
from flightdeck.vocabulary import RESULT_COLUMNS

RULE = SuppressionRule()  # counts from 1 to 4 hidden; rates and medians on fewer than 10


def rows(kpi: str, cells: dict, month: str = "2025-01-01") -> pd.DataFrame:
    """Result rows from {(offence_group, age_band, gender): (numerator, denominator)}."""
    out = []
    for (group, age, gender), (num, den) in cells.items():
        value = num if den is None else num / den
        out.append([kpi, "demo-eastvale", month, group, age, gender, num, den, value, True])
    return pd.DataFrame(out, columns=RESULT_COLUMNS)


def hidden(frame: pd.DataFrame, kpi: str = "K01") -> set:
    f = frame[(frame["kpi_id"] == kpi) & frame["suppressed"]]
    return set(zip(f["offence_group"], f["age_band"], f["gender"], strict=True))


def fixed_by_the_lines(unknown: list, lines: list) -> set:
    """Hidden cells that the published figures give back exactly: those fixed by the lines
    (total = sum of parts) solved together as linear equations (an independent check)."""
    matrix = np.array(
        [[(c == total) - (c in parts) for c in unknown] for total, parts in lines], dtype=float
    )
    rank = np.linalg.matrix_rank(matrix)
    return {
        cell
        for i, cell in enumerate(unknown)
        if np.linalg.matrix_rank(np.vstack([matrix, np.eye(len(unknown))[i]])) == rank
    }


def test_a_small_rape_headline_takes_the_other_group_with_it_not_the_total():
    # 3 rapes (small) of 20 RASSO crimes: All - other_sexual would give the 3 back, so
    # other_sexual's 17 is hidden too; All's 20 tells neither.
    out = suppress(
        rows("K01", {
            ("All", "All", "All"): (20, None),
            ("rape", "All", "All"): (3, None),
            ("other_sexual", "All", "All"): (17, None),
        }),
        RULE,
    )  # fmt: skip
    assert hidden(out) == {("rape", "All", "All"), ("other_sexual", "All", "All")}
    assert out.loc[out["offence_group"] == "All", "numerator"].tolist() == [20]


def test_a_small_rape_band_is_protected_within_its_group_and_across_groups():
    # By hand (K01, age bands only):
    #              0-12  13-15  total
    #   rape         3     6      9     rape 0-12 = 3 is small: hidden.
    #   other        7     9     16     rape's line 9 = 3 + 6: its 6 goes too.
    #   All         10    15     25     All 0-12 = rape + other: other's 7 goes; so does 9,
    #                                    for All 13-15 = 6 + 9. The 2 x 2 square of hidden
    #                                    cells leaves every one of them open.
    table = {
        ("All", "All", "All"): 25, ("All", "0-12", "All"): 10, ("All", "13-15", "All"): 15,
        ("rape", "All", "All"): 9, ("rape", "0-12", "All"): 3, ("rape", "13-15", "All"): 6,
        ("other_sexual", "All", "All"): 16, ("other_sexual", "0-12", "All"): 7,
        ("other_sexual", "13-15", "All"): 9,
    }  # fmt: skip
    out = suppress(rows("K01", {cell: (n, None) for cell, n in table.items()}), RULE)
    square = {
        ("rape", "0-12", "All"), ("rape", "13-15", "All"),
        ("other_sexual", "0-12", "All"), ("other_sexual", "13-15", "All"),
    }  # fmt: skip
    assert hidden(out) == square
    # No hidden figure follows from the published ones, within or across the groups.
    lines = [
        ((group, "All", "All"), [(group, "0-12", "All"), (group, "13-15", "All")])
        for group in ("All", "rape", "other_sexual")
    ] + [
        (("All", age, "All"), [("rape", age, "All"), ("other_sexual", age, "All")])
        for age in ("All", "0-12", "13-15")
    ]
    assert fixed_by_the_lines(sorted(square), lines) == set()


def test_a_small_rape_rate_numerator_hides_the_other_groups_rate_in_that_cell():
    # K02 at Female: All 9 of 30 = rape 2 of 12 + other 7 of 18. The rape numerator 2 is
    # small: hidden. All's 9 and 30 minus other's 7 and 18 would give 2 of 12 back, so the
    # other group's cells go too (its total equals its Female cell); every All row is left.
    cells = {
        ("All", "All", "All"): (9, 30), ("All", "All", "Female"): (9, 30),
        ("rape", "All", "All"): (2, 12), ("rape", "All", "Female"): (2, 12),
        ("other_sexual", "All", "All"): (7, 18), ("other_sexual", "All", "Female"): (7, 18),
    }  # fmt: skip
    out = suppress(rows("K02", cells), RULE, {"K02": "rate"})
    assert hidden(out, "K02") == {
        ("rape", "All", "All"), ("rape", "All", "Female"),
        ("other_sexual", "All", "All"), ("other_sexual", "All", "Female"),
    }  # fmt: skip


def test_a_table_of_all_rows_only_is_suppressed_as_before():
    with_group = rows("K01", {("All", "All", "All"): (12, None), ("All", "0-12", "All"): (3, None),
                              ("All", "13-15", "All"): (9, None)})  # fmt: skip
    without = with_group.drop(columns="offence_group")
    assert hidden(suppress(with_group, RULE)) == hidden(suppress(without, RULE)) == {
        ("All", "0-12", "All"), ("All", "13-15", "All"),
    }  # fmt: skip
