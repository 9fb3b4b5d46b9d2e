"""The row rules' shape and the pandera schema that runs them over a typed extract.

Every row rule is a `Rule`: a name, the column it is reported against, a sentence for people and
a vectorised test over the typed frame (indexed by file line). `schema()` turns a list of rules
into a pandera `DataFrameSchema` with one named check per rule. The small functions below
(`given`, `blank`, `needs`, `not_before`, ...) are the vocabulary the rules are written in.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pandera.pandas as pa

from flightdeck.extracts.report import ERROR
from flightdeck.extracts.typed_sql import PARSED_KINDS, UNREAD

# pandas' own string dtype object, not the alias "str": given the alias, pandera checks every
# value's type one by one (0.4 s per million-row column); given the dtype it compares dtypes.
TEXT_DTYPE = pd.api.types.pandas_dtype("str")

PANDAS_DTYPES = {
    "text": TEXT_DTYPE,
    "date": "datetime64[ms]",
    "month": "datetime64[ms]",
    "integer": "Int64",
    "number": "float64",
    "boolean": "boolean",
}


@dataclass(frozen=True)
class Rule:
    """A row rule: `failing(frame)` is True on the rows that break it."""

    name: str
    severity: str
    column: str  # the column the report quotes
    text: str
    failing: Callable[[pd.DataFrame], pd.Series]
    other: str | None = None  # a second column whose value the message quotes
    # A rule across rows: the line of another row each failing row conflicts with; the message
    # quotes that row's value of `column`.
    other_line: Callable[[pd.DataFrame], pd.Series] | None = None


def schema(
    columns: dict[str, str], rules: list[Rule], name: str, failing: dict[str, pd.Series]
) -> pa.DataFrameSchema:
    """A pandera schema: the typed columns by dtype, and one check per rule.

    Each check answers pass or fail and leaves the rows that fail in `failing[rule.name]`, for
    the report: pandera's own failure cases would cost minutes on a file that fails every row.
    """
    frame_columns = {}
    for column, kind in columns.items():
        frame_columns[column] = pa.Column(PANDAS_DTYPES[kind], nullable=True)
        if kind in PARSED_KINDS:
            frame_columns[column + UNREAD] = pa.Column(TEXT_DTYPE, nullable=True)

    def check(df: pd.DataFrame, rule: Rule) -> bool:
        rows = rule.failing(df).fillna(False).astype(bool)
        failing[rule.name] = rows
        return not rows.any()

    checks = [pa.Check(lambda df, r=rule: check(df, r), name=rule.name) for rule in rules]
    index = pa.Index("int64", name="line", unique=True)
    return pa.DataFrameSchema(frame_columns, checks=checks, index=index, name=name)


# Small vocabulary for writing rules as sentences.
def given(df: pd.DataFrame, c: str) -> pd.Series:
    """The file has a value in column `c` (readable or not)."""
    present = df[c].notna()
    return present | df[c + UNREAD].notna() if c + UNREAD in df.columns else present


Test = Callable[[pd.DataFrame], pd.Series]


def blank(c: str) -> Test:
    return lambda df: ~given(df, c)


def unparsed(c: str) -> Test:
    return lambda df: df[c + UNREAD].notna()


def without(c: str, needed: str) -> Test:
    """A value in `c` but none in `needed`."""
    return lambda df: given(df, c) & ~given(df, needed)


def before(c: str, earlier: str) -> Test:
    """`c` is before `earlier` (both given); NULLs compare False, so blanks pass."""
    return lambda df: df[c] < df[earlier]


def needs(column: str, needed: str, text: str) -> Rule:
    """A value in `column` needs one in `needed`."""
    return Rule(f"{column}_without_{needed}", ERROR, column, text, without(column, needed))


def not_before(column: str, earlier: str, text: str) -> Rule:
    """`column` must not be before `earlier` (the report quotes both)."""
    name = f"{column}_before_{earlier}"
    return Rule(name, ERROR, column, text, before(column, earlier), other=earlier)


def not_in(c: str, allowed: Iterable[str]) -> Test:
    allowed = list(allowed)
    return lambda df: df[c].notna() & ~df[c].isin(allowed)


def duplicated(key: list[str]) -> Test:
    """Every row whose key (all parts given) occurs more than once."""

    def failing(df: pd.DataFrame) -> pd.Series:
        # Only rows whose last key part repeats can repeat the whole key: look at those alone.
        rows = df[key[-1]].duplicated(keep=False) & df[key].notna().all(axis=1)
        if rows.any():
            rows[rows] = df.loc[rows, key].duplicated(keep=False)
        return rows

    return failing


def disagreeing(key: list[str], c: str) -> Test:
    """For rows whose key (all parts given) is shared by rows with another value of `c` (blank
    is a value of its own), the line of such a row; NA on every other row.

    A row that differs from its key's first row names that first row; the first row, and those
    that agree with it, name the first row that differs.
    """

    def other_line(df: pd.DataFrame) -> pd.Series:
        lines = pd.Series(pd.NA, index=df.index, dtype="Int64")
        rows = df[key].notna().all(axis=1).to_numpy()
        if not rows.any():
            return lines
        keyed = df.loc[rows, key]
        group = keyed.groupby(key, sort=False).ngroup().to_numpy()
        value = pd.factorize(df.loc[rows, c], use_na_sentinel=True)[0]  # blank is -1
        line = keyed.index.to_numpy()  # in file order, so a group's first row is its first
        first_value = pd.Series(value).groupby(group).transform("first").to_numpy()
        first_line = pd.Series(line).groupby(group).transform("first").to_numpy()
        differs = value != first_value
        differing = pd.Series(np.where(differs, line, np.nan)).groupby(group)
        first_differing = differing.transform("min").to_numpy()
        other = np.where(differs, first_line, first_differing)
        lines[rows] = pd.array(other, dtype="Int64")  # NaN (a group that agrees) is NA
        return lines

    return other_line
