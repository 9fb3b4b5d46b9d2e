"""Small-number disclosure control for the problem profile, which leaves the force: the same
rule as exports and board packs (`flightdeck.peers.suppression.SuppressionRule`: counts from 1
to N hidden, zero kept; shares on fewer than M crimes hidden), applied to the profile's tables.

`hide_small` is a pure function over one small table. A count is a cell (row label, column).

* **Primary.** A count from 1 to N is hidden. So is a *complement* that the table gives away
  without printing it (`complements`: "known minus non-recent" is the recent count): when it
  is from 1 to N, one of the two counts it is worked out from is hidden instead.
* **Secondary.** Where counts add up to a total that is published (`lines`: a total and its
  parts, the total possibly in the same table), a hidden count could be recovered by
  subtraction. On every line either nothing is hidden, or at least two members are and their
  known sum does not pin them down: not a sum no larger than the number hidden (all ones or all
  zeros), nor, when every hidden part is hidden as small, N times their number (all N: a reader
  knows a count hidden as small is from 1 to N). Otherwise the next smallest visible part of
  the line is hidden (a zero only when no other part is left), or the total when every part is
  hidden. Lines taken together are solved as linear equations, and a cell they still give
  back gets a further cell hidden. Ranges a reader could derive otherwise are not protected,
  as in the exports' rule.
* **Shares.** A share is hidden when any count it is computed from is hidden, or when its
  denominator is under M.

Hidden counts become None, with a boolean `<column>_hidden` beside each count and share.
"""

from collections.abc import Hashable, Iterable, Mapping, Sequence

import pandas as pd

from flightdeck.peers.suppression import SuppressionRule, determined

Cell = tuple[Hashable, str]  # (row label of the frame's index, column)
Line = tuple[Cell, Sequence[Cell]]  # (total, parts)


def column_lines(
    totals: Mapping[Hashable, Sequence[Hashable]], columns: Iterable[str]
) -> list[Line]:
    """Lines down each column: the row `total` is the sum of the rows of its parts."""
    return [
        ((total, column), [(part, column) for part in parts])
        for column in columns
        for total, parts in totals.items()
    ]


def row_lines(index: Iterable[Hashable], total: str, parts: Sequence[str]) -> list[Line]:
    """Lines along each row: the column `total` is the sum of the `parts` columns."""
    return [((row, total), [(row, part) for part in parts]) for row in index]


def _exposed(
    values: dict[Cell, float],
    total: Cell,
    parts: Sequence[Cell],
    hidden: set,
    small: set,
    count_max: int,
) -> bool:
    """Whether this line lets a reader pin down a hidden member (`small`: the cells hidden
    as small, which a reader knows are from 1 to `count_max`)."""
    members = [total, *parts]
    hidden_members = [m for m in members if m in hidden]
    if not hidden_members:
        return False
    if len(hidden_members) == 1:
        return True
    if total in hidden:
        return False  # two unknowns or more and the total among them: the equations decide
    known = sum(values[m] for m in hidden_members)
    if known <= len(hidden_members):
        return True
    return all(m in small for m in hidden_members) and known >= len(hidden_members) * count_max


def _next(values: dict[Cell, float], total: Cell, parts: Sequence[Cell], hidden: set):
    """The cell to hide next on an exposed line: the smallest visible part, zeros last (they
    protect nothing a reader does not already bound), else the total; None when none is left."""
    visible = [p for p in parts if p not in hidden]
    if visible:
        order = {cell: i for i, cell in enumerate(values)}
        return min(visible, key=lambda c: (values[c] == 0, values[c], order[c]))
    return None if total in hidden else total


def close(
    values: dict[Cell, float],
    lines: Sequence[Line],
    hidden: set[Cell],
    small: set[Cell] = frozenset(),
    count_max: int = 0,
) -> set[Cell]:
    """`hidden` grown until no line exposes a member and no member follows from the lines.
    `small`: the cells hidden as from 1 to `count_max` (a reader knows that much of them)."""
    hidden = set(hidden) | set(small)
    lines = [(t, [p for p in ps if p in values]) for t, ps in lines if t in values]
    while True:
        changed = False
        for total, parts in lines:
            if _exposed(values, total, parts, hidden, set(small), count_max):
                pick = _next(values, total, parts, hidden)
                if pick is not None:
                    hidden.add(pick)
                    changed = True
        if changed:
            continue
        stuck = determined(lines, hidden, key=repr)
        if not stuck:
            return hidden
        near = [c for t, ps in lines if stuck[0] in (t, *ps) for c in (t, *ps)]
        visible = [c for c in dict.fromkeys(near) if c not in hidden]
        if not visible:
            return hidden
        hidden.add(min(visible, key=lambda c: (values[c] == 0, values[c])))


def _blanked(values: pd.Series, flags: list[bool]) -> pd.Series:
    """The column with None where hidden (and for a missing value), Python numbers elsewhere."""
    kept = [None if f or pd.isna(v) else v for f, v in zip(flags, values.tolist(), strict=True)]
    return pd.Series(kept, index=values.index, dtype=object)


def _count(value) -> float:
    return 0.0 if value is None or pd.isna(value) else float(value)


def hide_small(
    frame: pd.DataFrame,
    count_columns: Sequence[str],
    rule: SuppressionRule,
    *,
    lines: Sequence[Line] = (),
    complements: Mapping[str, tuple[str, str]] | None = None,
    shares: Mapping[str, Sequence[str]] | None = None,
    hidden: Iterable[Cell] = (),
) -> pd.DataFrame:
    """`frame` with its small counts hidden (None) and `<column>_hidden` beside each count and
    share column.

    `lines`: totals and the parts adding up to them (cells by row label and column; see
    `column_lines`, `row_lines`). `complements`: name -> (total column, part column) for a
    count the table gives away as their difference on each row (not printed). `shares`: share
    column -> the count columns it is computed from, the denominator last. `hidden`: cells to
    hide whatever their value (hidden elsewhere in the same document)."""
    complements = complements or {}
    shares = shares or {}
    values: dict[Cell, float] = {}
    for row in frame.index:
        for column in count_columns:
            values[(row, column)] = _count(frame.at[row, column])
    all_lines = list(lines)
    for name, (total, part) in complements.items():
        for row in frame.index:
            values[(row, name)] = values[(row, total)] - values[(row, part)]
        all_lines += row_lines(frame.index, total, [part, name])
    small = {c for c, v in values.items() if 0 < v <= rule.count_max}
    hidden_cells = close(values, all_lines, set(hidden), small, rule.count_max)
    out = frame.copy()
    for column in count_columns:
        flags = [(row, column) in hidden_cells for row in frame.index]
        out[column] = _blanked(frame[column], flags)
        out[f"{column}_hidden"] = flags
    for share, sources in shares.items():
        denominator = sources[-1]
        flags = [
            any(out.at[row, f"{s}_hidden"] for s in sources)
            or _count(frame.at[row, denominator]) < rule.min_denominator
            for row in frame.index
        ]
        out[share] = _blanked(frame[share], flags)
        out[f"{share}_hidden"] = flags
    return out
