"""The row rules' shape and the small vocabulary they are written in, as SQL.

Every row rule is a `Rule`: a name, the column it is reported against, a sentence for people and
its test, SQL that `flightdeck.extracts.checks` runs inside DuckDB over the file's staged rows.
A test is either a predicate over one row, true on the rows that break the rule, or a test
across rows (`Across`: the rows sharing a key). A predicate reads each column typed as
`"<column>"` and, for every column, the text that could not be read as its type as
`"<column>__unread"` (always NULL for a text column).

A comparison with a missing value does not hold (`holds`), so that `NOT` of it does: blanks
pass a rule such as "not before", and "not one of" fails only a value that is there. The small
functions below (`given`, `blank`, `needs`, `not_before`, ...) are the vocabulary the rules are
written in.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from flightdeck.extracts.report import ERROR
from flightdeck.extracts.typed_sql import UNREAD
from flightdeck.vocabulary import sql_text


@dataclass(frozen=True)
class Across:
    """A test across rows: among the rows whose `key` parts are all given, those whose key is
    repeated (`column` None), or those whose key is shared by a row with another value of
    `column` (blank is a value of its own); see `duplicated` and `disagreeing`."""

    key: tuple[str, ...]
    column: str | None = None


@dataclass(frozen=True)
class Rule:
    """A row rule: `failing` is an SQL predicate true on the rows that break it, or a test
    across rows. A rule across rows that compares a column (`disagreeing`) quotes, besides the
    value, the line and value of the other row each failing row conflicts with."""

    name: str
    severity: str
    column: str  # the column the report quotes
    text: str
    failing: str | Across
    other: str | None = None  # a second column whose value the message quotes


def col(c: str) -> str:
    """The SQL name of a typed column."""
    return '"' + c.replace('"', '""') + '"'


def unread(c: str) -> str:
    """The SQL name of the text of column `c` that could not be read as its type."""
    return col(c + UNREAD)


def literal(value) -> str:
    """A Python value as an SQL literal: text, a date, a whole or decimal number."""
    if isinstance(value, str):
        return sql_text(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return f"DATE '{value:%Y-%m-%d}'"
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"no SQL literal for {value!r}")
    return repr(value)


def holds(comparison: str) -> str:
    """The comparison is true; with a missing value it is not (NULL counts as false)."""
    return f"coalesce({comparison}, false)"


def compared(c: str, op: str, value) -> str:
    """Column `c` compared with a constant (`op` one of < <= > >= =); blank does not hold."""
    return holds(f"{col(c)} {op} {literal(value)}")


# A longer list of values is looked up in a hash table (DuckDB's IN over a subquery is a join)
# rather than compared value by value: 22 outcome codes cost five times as much that way.
_LOOKED_UP = 4


def is_in(c: str, values: Iterable[str]) -> str:
    """The value of `c` is one of `values` (blank is not)."""
    values = sorted(set(values))
    if not values:
        return "false"
    listed = ", ".join(literal(v) for v in values)
    if len(values) >= _LOOKED_UP:
        return holds(f"{col(c)} IN (SELECT unnest([{listed}]))")
    return holds(f"{col(c)} IN ({listed})")


# Small vocabulary for writing rules as sentences.
def given(c: str) -> str:
    """The file has a value in column `c` (readable or not)."""
    return f"({col(c)} IS NOT NULL OR {unread(c)} IS NOT NULL)"


def blank(c: str) -> str:
    return f"NOT {given(c)}"


def unparsed(c: str) -> str:
    return f"{unread(c)} IS NOT NULL"


def without(c: str, needed: str) -> str:
    """A value in `c` but none in `needed`."""
    return f"{given(c)} AND NOT {given(needed)}"


def before(c: str, earlier: str) -> str:
    """`c` is before `earlier` (both given); NULLs compare False, so blanks pass."""
    return holds(f"{col(c)} < {col(earlier)}")


def needs(column: str, needed: str, text: str) -> Rule:
    """A value in `column` needs one in `needed`."""
    return Rule(f"{column}_without_{needed}", ERROR, column, text, without(column, needed))


def not_before(column: str, earlier: str, text: str) -> Rule:
    """`column` must not be before `earlier` (the report quotes both)."""
    name = f"{column}_before_{earlier}"
    return Rule(name, ERROR, column, text, before(column, earlier), other=earlier)


def not_in(c: str, allowed: Iterable[str]) -> str:
    """A value in `c` (as read) that is not one of `allowed`."""
    return f"{col(c)} IS NOT NULL AND NOT {is_in(c, allowed)}"


def duplicated(key: list[str]) -> Across:
    """Every row whose key (all parts given) occurs more than once."""
    return Across(tuple(key))


def disagreeing(key: list[str], c: str) -> Across:
    """Every row whose key (all parts given) is shared by rows with another value of `c` (blank
    is a value of its own). Each names the line of such a row: a row that differs from its
    key's first row names that first row; the first row, and those that agree with it, name
    the first row that differs."""
    return Across(tuple(key), c)
