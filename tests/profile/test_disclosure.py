"""Small-number disclosure control of the profile's tables, worked by hand (N = 4, M = 10)."""

import pandas as pd

from flightdeck.peers.suppression import SuppressionRule
from flightdeck.profile.disclosure import column_lines, hide_small, row_lines

RULE = SuppressionRule()  # counts 1 to 4 hidden, shares on fewer than 10 crimes hidden


def table(counts: dict) -> pd.DataFrame:
    return pd.DataFrame({"crimes": pd.Series(counts)})


def hidden(frame: pd.DataFrame, column: str = "crimes") -> list:
    return [label for label, flag in frame[f"{column}_hidden"].items() if flag]


def test_primary_hides_one_to_four_and_keeps_zero():
    safe = hide_small(table({"a": 0, "b": 1, "c": 4, "d": 5}), ["crimes"], RULE)
    assert safe["crimes"].tolist() == [0, None, None, 5]
    assert hidden(safe) == ["b", "c"]


def test_secondary_hides_the_next_smallest_part_of_the_line():
    # 20 = 3 + 7 + 10: the 3 alone would be 20 - 7 - 10; the 7 goes with it.
    frame = table({"total": 20, "x": 3, "y": 7, "z": 10})
    safe = hide_small(
        frame, ["crimes"], RULE, lines=column_lines({"total": ["x", "y", "z"]}, ["crimes"])
    )
    assert hidden(safe) == ["x", "y"]
    assert safe["crimes"].tolist() == [20, None, None, 10]


def test_a_zero_protects_nothing_so_the_next_nonzero_part_goes():
    frame = table({"total": 19, "x": 2, "y": 0, "z": 8, "w": 9})
    lines = column_lines({"total": ["x", "y", "z", "w"]}, ["crimes"])
    assert hidden(hide_small(frame, ["crimes"], RULE, lines=lines)) == ["x", "z"]


def test_parts_all_ones_give_the_total_away_so_it_goes_too():
    frame = table({"total": 5, **{p: 1 for p in "vwxyz"}})
    lines = column_lines({"total": list("vwxyz")}, ["crimes"])
    assert hidden(hide_small(frame, ["crimes"], RULE, lines=lines)) == ["total", *"vwxyz"]


def test_a_grid_with_margins():
    # cells    c1  c2 | row
    #   r1      1   9 |  10
    #   r2      6   8 |  14
    #   col     7  17 |  24
    # The 1 is hidden; then 9 (row r1), 6 (column c1) and 8 (row r2, now holding the 6 alone):
    # every line holds two hidden cells, and the four are not pinned down (one free direction).
    cells = {"r1c1": 1, "r1c2": 9, "r2c1": 6, "r2c2": 8}
    margins = {"r1": 10, "r2": 14, "c1": 7, "c2": 17, "all": 24}
    lines = column_lines(
        {"r1": ["r1c1", "r1c2"], "r2": ["r2c1", "r2c2"], "c1": ["r1c1", "r2c1"],
         "c2": ["r1c2", "r2c2"], "all": ["r1", "r2"]},
        ["crimes"],
    )  # fmt: skip
    safe = hide_small(table({**cells, **margins}), ["crimes"], RULE, lines=lines)
    assert hidden(safe) == list(cells)


def test_lines_along_rows_and_shares():
    # crimes = charged + other + open on each row; a share goes with its counts, or under 10.
    frame = pd.DataFrame(
        {"crimes": [20, 20, 8], "charged": [2, 6, 4], "other": [8, 6, 0], "open": [10, 8, 4]},
        index=["jan", "feb", "mar"],
    )
    frame["charged_share"] = frame["charged"] / frame["crimes"]
    safe = hide_small(
        frame, ["crimes", "charged", "other", "open"], RULE,
        lines=row_lines(frame.index, "crimes", ["charged", "other", "open"]),
        shares={"charged_share": ["charged", "crimes"]},
    )  # fmt: skip
    assert safe.loc["jan", ["charged", "other", "open"]].tolist() == [None, None, 10]
    assert safe.loc["feb", ["charged", "other", "open"]].tolist() == [6, 6, 8]
    # March: 4 and 4 hidden as small (1 to 4) with 8 = 4 + 0 + 4 are both 4: the 0 goes too
    assert safe.loc["mar", ["crimes", "charged", "other", "open"]].tolist() == [8, None, None, None]
    assert safe["charged_share"].tolist() == [None, 0.3, None]  # hidden count; 8 crimes < 10


def test_a_small_complement_hides_one_of_its_counts():
    # 12 dated, 11 non-recent: the recent (12 - 11 = 1) would single out one crime.
    frame = pd.DataFrame({"known": [12], "non_recent": [11]})
    safe = hide_small(frame, ["known", "non_recent"], RULE,
                      complements={"recent": ("known", "non_recent")})  # fmt: skip
    assert safe.loc[0, ["known", "non_recent"]].tolist() == [12, None]
    assert "recent" not in safe.columns


def test_cells_hidden_elsewhere_stay_hidden_with_their_line():
    frame = table({"total": 30, "x": 12, "y": 18})
    safe = hide_small(
        frame, ["crimes"], RULE, lines=column_lines({"total": ["x", "y"]}, ["crimes"]),
        hidden=[("x", "crimes")],
    )  # fmt: skip
    assert hidden(safe) == ["x", "y"]
