"""SQL that reads an extract's text into typed columns, inside DuckDB (parallel and fast).

Each value is trimmed of every kind of whitespace (a tab or a non-breaking space from a copy and
paste would otherwise make `\tCR1` a second crime beside `CR1`) and blank becomes NULL; dates are
read as `YYYY-MM-DD` or day-first `DD/MM/YYYY`; allowed values are put in their canonical case.
A date, number or yes/no value that cannot be read is NULL in its typed column and its text is
kept in `<column>__unread`, so a rule can tell "blank" from "unreadable" and the report can
quote what was in the file.
"""

from flightdeck.extracts.whitespace import trim_sql

UNREAD = "__unread"  # suffix of the column holding text that could not be read as its type
PARSED_KINDS = ("date", "month", "integer", "number", "boolean")

# Canonical form of text columns whose case does not matter; `{v}` is the trimmed text.
CANONICAL_SQL: dict[str, str] = {
    "force": "lower({v})",
    "offence_code": "upper({v})",
    "victim_gender": (
        "CASE lower({v}) WHEN 'f' THEN 'female' WHEN 'm' THEN 'male' WHEN 'o' THEN 'other' "
        "WHEN 'u' THEN 'unknown' ELSE coalesce(lower({v}), 'unknown') END"
    ),
    "first_contact_type": "lower({v})",
    "release_type": "lower({v})",
    "cps_decision": "lower({v})",
    "civil_order_type": "upper({v})",
    "civil_order_outcome": "lower({v})",
    "outcome_type": "upper({v})",
}

# Only the year-first and the day-first forms; the separator picks the form, so a month-first
# date is never read as such (its "month" is over 12, or it is read day-first as UK users mean).
# A year before 1900 is a typing slip (two-digit years included), not a date in a RASSO case.
# A padded ISO date takes DuckDB's date cast, several times faster than strptime; the
# separator checks keep the cast from accepting anything strptime would not.
_ANY_DATE_SQL = (
    "CAST(CASE WHEN substr({v}, 5, 1) = '-' AND substr({v}, 1, 4) >= '1900' "
    "THEN coalesce(CASE WHEN length({v}) = 10 AND substr({v}, 8, 1) = '-' "
    "THEN TRY_CAST({v} AS DATE) END, try_strptime({v}, '%Y-%m-%d')) "
    "WHEN substr({v}, -5, 1) = '/' AND substr({v}, -4) >= '1900' "
    "THEN try_strptime({v}, '%d/%m/%Y') END AS DATE)"
)
# The usual value first: a padded ISO date, the first branch above whatever it holds (ten
# characters, '-' fifth and eighth, a year from 1900); `LIKE` and one comparison find it for a
# fraction of the cost of the checks above, and the checks read only what is left.
DATE_SQL = (
    "CASE WHEN {v} IS NULL THEN NULL::DATE "
    "WHEN {v} LIKE '____-__-__' AND {v} >= '1900' "
    "THEN coalesce(TRY_CAST({v} AS DATE), CAST(try_strptime({v}, '%Y-%m-%d') AS DATE)) "
    "ELSE " + _ANY_DATE_SQL + " END"
)
MONTH_SQL = (
    "CAST(date_trunc('month', CASE WHEN length({v}) <= 7 AND substr({v}, 5, 1) = '-' "
    "AND substr({v}, 1, 4) >= '1900' THEN try_strptime({v}, '%Y-%m') "
    "ELSE " + DATE_SQL + " END) AS DATE)"
)
# Digits only: "+25" and "25.0" are not whole numbers as the contract writes them; a minus sign
# is read so that "-3" is refused as out of range, which says more than "not a number".
INTEGER_SQL = "CASE WHEN regexp_full_match({v}, '-?[0-9]+') THEN TRY_CAST({v} AS INTEGER) END"
NUMBER_SQL = "CASE WHEN isfinite(TRY_CAST({v} AS DOUBLE)) THEN TRY_CAST({v} AS DOUBLE) END"
BOOLEAN_SQL = (
    "CASE WHEN lower({v}) IN ('true', 'yes', '1', 'y') THEN TRUE "
    "WHEN lower({v}) IN ('false', 'no', '0', 'n') THEN FALSE END"
)
KIND_SQL = {
    "date": DATE_SQL,
    "month": MONTH_SQL,
    "integer": INTEGER_SQL,
    "number": NUMBER_SQL,
    "boolean": BOOLEAN_SQL,
}


def typing_query(
    columns: dict[str, str],
    fields: dict[str, str | None],
    line: str,
    whitespace: str = "",
    source: str = "raw",
    canonical: dict[str, str] | None = None,
    spaces: bool = True,
) -> str:
    """SQL over the relation `source` giving `line` and every column typed, plus `<column>__unread`
    for dates, numbers and yes/no values. `fields` names the raw field of each column (None
    when the file lacks it: the column is then all NULL); values are trimmed of spaces and of
    the characters in `whitespace` (those the file holds, see `whitespace.whitespace_in`; spaces
    only when `spaces`: some field may start or end with one, `whitespace.spaces_at_edges`).
    `canonical` gives another extract's canonical forms of its text columns (as CANONICAL_SQL)."""
    forms = CANONICAL_SQL | (canonical or {})
    inner, outer = [f"{line} AS line"], ["line"]
    for name, kind in columns.items():
        field = fields.get(name)
        v = f"nullif({trim_sql(field, whitespace, spaces)}, '')" if field else "NULL::VARCHAR"
        template = KIND_SQL.get(kind) or forms.get(name, "{v}")
        inner.append(f'{template.format(v=v)} AS "{name}"')
        outer.append(f'"{name}"')
        if kind in PARSED_KINDS:
            inner.append(f'{v} AS "{name}{UNREAD}"')
            outer.append(
                f'CASE WHEN "{name}" IS NULL THEN "{name}{UNREAD}" END AS "{name}{UNREAD}"'
            )
    return f"SELECT {', '.join(outer)} FROM (SELECT {', '.join(inner)} FROM {source})"
