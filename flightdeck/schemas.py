"""The data contract's rules in executable form: SQL that types the text, and pandera schemas.

Typing happens in DuckDB (parallel and fast): each value is trimmed, blank becomes NULL, dates are
read as `YYYY-MM-DD` or day-first `DD/MM/YYYY`, allowed values are put in their canonical case.
A date, number or yes/no value that cannot be read is NULL in its typed column and its text is
kept in `<column>__unread`, so a rule can tell "blank" from "unreadable" and the report can quote
what was in the file.

Every row rule is a `Rule`: a name, the column it is reported against, a sentence for people and a
vectorised test over the typed frame (indexed by file line). `schema()` turns a list of rules into
a pandera `DataFrameSchema` with one named check per rule.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import pandera.pandas as pa

from flightdeck.report import ERROR, WARNING

UNREAD = "__unread"  # suffix of the column holding text that could not be read as its type
PARSED_KINDS = ("date", "month", "integer", "number", "boolean")

GENDERS = ("female", "male", "other", "unknown")
OUTCOME_TYPES = ("1", "1A", *(str(n) for n in range(2, 19)), "20", "21", "22")
CHARGE_OUTCOMES = ("1", "1A")
ALLOWED: dict[str, tuple[str, ...]] = {
    "victim_gender": GENDERS,
    "first_contact_type": ("arrest", "voluntary_interview"),
    "release_type": ("bail", "rui", "charged", "nfa", "other"),
    "cps_decision": ("charge", "nfa", "further_work"),
    "civil_order_type": ("SHPO", "SRO"),
    "outcome_type": OUTCOME_TYPES,
}
EARLIEST_RECORDED = dt.date(2000, 1, 1)
MAX_AGE = 120

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
    "outcome_type": "upper({v})",
}

# Only the year-first and the day-first forms; the separator picks the form, so a month-first
# date is never read as such (its "month" is over 12, or it is read day-first as UK users mean).
# A year before 1900 is a typing slip (two-digit years included), not a date in a RASSO case.
# A padded ISO date takes DuckDB's date cast, several times faster than strptime; the
# separator checks keep the cast from accepting anything strptime would not.
DATE_SQL = (
    "CAST(CASE WHEN substr({v}, 5, 1) = '-' AND substr({v}, 1, 4) >= '1900' "
    "THEN coalesce(CASE WHEN length({v}) = 10 AND substr({v}, 8, 1) = '-' "
    "THEN TRY_CAST({v} AS DATE) END, try_strptime({v}, '%Y-%m-%d')) "
    "WHEN substr({v}, -5, 1) = '/' AND substr({v}, -4) >= '1900' "
    "THEN try_strptime({v}, '%d/%m/%Y') END AS DATE)"
)
MONTH_SQL = (
    "CAST(date_trunc('month', CASE WHEN length({v}) <= 7 AND substr({v}, 5, 1) = '-' "
    "AND substr({v}, 1, 4) >= '1900' THEN try_strptime({v}, '%Y-%m') "
    "ELSE " + DATE_SQL + " END) AS DATE)"
)
INTEGER_SQL = "CASE WHEN regexp_full_match({v}, '[+-]?[0-9]+') THEN TRY_CAST({v} AS INTEGER) END"
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


def typing_query(columns: dict[str, str], fields: dict[str, str | None], line: str) -> str:
    """SQL over the view `raw` giving `line` and every column typed, plus `<column>__unread`
    for dates, numbers and yes/no values. `fields` names the raw field of each column (None
    when the file lacks it: the column is then all NULL)."""
    inner, outer = [f"{line} AS line"], ["line"]
    for name, kind in columns.items():
        field = fields.get(name)
        v = f"nullif(trim({field}), '')" if field else "NULL::VARCHAR"
        template = KIND_SQL.get(kind) or CANONICAL_SQL.get(name, "{v}")
        inner.append(f'{template.format(v=v)} AS "{name}"')
        outer.append(f'"{name}"')
        if kind in PARSED_KINDS:
            inner.append(f'{v} AS "{name}{UNREAD}"')
            outer.append(
                f'CASE WHEN "{name}" IS NULL THEN "{name}{UNREAD}" END AS "{name}{UNREAD}"'
            )
    return f"SELECT {', '.join(outer)} FROM (SELECT {', '.join(inner)} FROM raw)"


@dataclass(frozen=True)
class Rule:
    """A row rule: `failing(frame)` is True on the rows that break it."""

    name: str
    severity: str
    column: str  # the column the report quotes
    text: str
    failing: Callable[[pd.DataFrame], pd.Series]
    other: str | None = None  # a second column whose value the message quotes


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


def _blank(c: str) -> Callable[[pd.DataFrame], pd.Series]:
    return lambda df: ~given(df, c)


def _unparsed(c: str) -> Callable[[pd.DataFrame], pd.Series]:
    return lambda df: df[c + UNREAD].notna()


def _without(c: str, needed: str) -> Callable[[pd.DataFrame], pd.Series]:
    return lambda df: given(df, c) & ~given(df, needed)


def _before(c: str, earlier: str) -> Callable[[pd.DataFrame], pd.Series]:
    """`c` is before `earlier` (both given); NULLs compare False, so blanks pass."""
    return lambda df: df[c] < df[earlier]


def _not_in(c: str, allowed) -> Callable[[pd.DataFrame], pd.Series]:
    allowed = list(allowed)
    return lambda df: df[c].notna() & ~df[c].isin(allowed)


def _duplicated(key: list[str]) -> Callable[[pd.DataFrame], pd.Series]:
    """Every row whose key (all parts given) occurs more than once."""

    def failing(df: pd.DataFrame) -> pd.Series:
        # Only rows whose last key part repeats can repeat the whole key: look at those alone.
        rows = df[key[-1]].duplicated(keep=False) & df[key].notna().all(axis=1)
        if rows.any():
            rows[rows] = df.loc[rows, key].duplicated(keep=False)
        return rows

    return failing


def parse_rules(columns: dict[str, str]) -> list[Rule]:
    """A value that is there but cannot be read as its column's type."""
    problems = {
        "date": ("not_a_date", "not a date: use YYYY-MM-DD or DD/MM/YYYY (day first)"),
        "month": (
            "not_a_month",
            "not a month: use YYYY-MM or a date in the month (YYYY-MM-DD or DD/MM/YYYY)",
        ),
        "integer": ("not_a_whole_number", "not a whole number"),
        "number": ("not_a_number", "not a number"),
        "boolean": ("not_yes_or_no", "not a yes/no value: use true/false, yes/no, 1/0 or Y/N"),
    }
    return [
        Rule(f"{c}_{problems[kind][0]}", ERROR, c, problems[kind][1], _unparsed(c))
        for c, kind in columns.items()
        if kind in problems
    ]


def force_known(forces) -> Rule:
    """Both extracts name forces from the reference list."""
    return Rule(
        "force_unknown",
        ERROR,
        "force",
        "not a force in the reference list of forces",
        _not_in("force", forces),
    )


def case_rules(as_of: dt.date, forces: frozenset[str], offence_codes: frozenset[str]) -> list[Rule]:
    """Every row rule of the case extract, errors then warnings."""
    from flightdeck.columns import CASE_COLUMNS

    dates = [c for c, kind in CASE_COLUMNS.items() if kind == "date"]
    as_of_ts = pd.Timestamp(as_of)
    rules = [
        Rule(f"{c}_missing", ERROR, c, "a value is required", _blank(c))
        for c in ("force", "crime_id", "recorded_date", "offence_code")
    ]
    rules += parse_rules(CASE_COLUMNS)
    rules += [
        Rule(f"{c}_not_allowed", ERROR, c, "not one of " + ", ".join(ALLOWED[c]), _not_in(c, v))
        for c, v in ALLOWED.items()
    ]
    rules += [
        force_known(forces),
        Rule(
            "offence_code_unknown",
            ERROR,
            "offence_code",
            "not a code in the reference list of RASSO offence codes",
            _not_in("offence_code", offence_codes),
        ),
        Rule(
            "victim_age_out_of_range",
            ERROR,
            "victim_age",
            f"not an age from 0 to {MAX_AGE}",
            lambda df: (df["victim_age"] < 0) | (df["victim_age"] > MAX_AGE),
        ),
        Rule(
            "crime_id_duplicate",
            ERROR,
            "crime_id",
            "the same crime_id appears more than once for this force in the file",
            _duplicated(["force", "crime_id"]),
            other="force",
        ),
        Rule(
            "recorded_date_before_2000",
            ERROR,
            "recorded_date",
            "before 2000-01-01",
            lambda df: df["recorded_date"] < pd.Timestamp(EARLIEST_RECORDED),
        ),
    ]
    rules += [
        Rule(
            f"{c}_after_as_of",
            ERROR,
            c,
            f"after the extract's as-of date {as_of:%Y-%m-%d}",
            lambda df, c=c: df[c] > as_of_ts,
        )
        for c in dates
    ]
    rules += [
        Rule(
            "offence_date_after_recorded_date",
            ERROR,
            "offence_date",
            "the offence date is after the recorded date",
            _before("recorded_date", "offence_date"),
            other="recorded_date",
        ),
        Rule(
            "suspect_identified_date_without_suspect_id",
            ERROR,
            "suspect_identified_date",
            "a suspect identified date needs a suspect_id",
            _without("suspect_identified_date", "suspect_id"),
        ),
        Rule(
            "suspect_identified_date_before_offence_date",
            ERROR,
            "suspect_identified_date",
            "the suspect is identified before the offence date",
            _before("suspect_identified_date", "offence_date"),
            other="offence_date",
        ),
        Rule(
            "first_contact_date_without_suspect_id",
            ERROR,
            "first_contact_date",
            "a first contact date needs a suspect_id",
            _without("first_contact_date", "suspect_id"),
        ),
        Rule(
            "first_contact_type_without_first_contact_date",
            ERROR,
            "first_contact_type",
            "a first contact type needs a first_contact_date",
            _without("first_contact_type", "first_contact_date"),
        ),
        Rule(
            "cps_decision_without_cps_decision_date",
            ERROR,
            "cps_decision",
            "a CPS decision needs a cps_decision_date",
            _without("cps_decision", "cps_decision_date"),
        ),
        Rule(
            "cps_decision_date_before_cps_referral_date",
            ERROR,
            "cps_decision_date",
            "the CPS decision is before the CPS referral",
            _before("cps_decision_date", "cps_referral_date"),
            other="cps_referral_date",
        ),
        Rule(
            "charge_date_before_recorded_date",
            ERROR,
            "charge_date",
            "the charge date is before the recorded date",
            _before("charge_date", "recorded_date"),
            other="recorded_date",
        ),
        Rule(
            "outcome_date_missing",
            ERROR,
            "outcome_type",
            "an outcome type needs an outcome_date",
            _without("outcome_type", "outcome_date"),
        ),
        Rule(
            "outcome_date_without_outcome_type",
            ERROR,
            "outcome_date",
            "an outcome date is given but no outcome_type",
            _without("outcome_date", "outcome_type"),
        ),
        Rule(
            "outcome_date_before_recorded_date",
            ERROR,
            "outcome_date",
            "the outcome date is before the recorded date",
            _before("outcome_date", "recorded_date"),
            other="recorded_date",
        ),
        Rule(
            "device_returned_date_without_device_seized_date",
            ERROR,
            "device_returned_date",
            "a device returned date needs a device_seized_date",
            _without("device_returned_date", "device_seized_date"),
        ),
        Rule(
            "device_returned_date_before_device_seized_date",
            ERROR,
            "device_returned_date",
            "the device is returned before it was seized",
            _before("device_returned_date", "device_seized_date"),
            other="device_seized_date",
        ),
        Rule(
            "civil_order_type_without_suspect_id",
            ERROR,
            "civil_order_type",
            "a civil order needs a suspect_id",
            _without("civil_order_type", "suspect_id"),
        ),
        Rule(
            "civil_order_type_without_civil_order_date",
            ERROR,
            "civil_order_type",
            "a civil order needs a civil_order_date",
            _without("civil_order_type", "civil_order_date"),
        ),
    ]
    charge_outcome = lambda df: df["outcome_type"].isin(CHARGE_OUTCOMES)  # noqa: E731
    rules += [
        Rule(
            "charge_without_charge_outcome",
            WARNING,
            "charge_date",
            "a charge date is given but the outcome is not 1 or 1A (charged)",
            lambda df: df["charge_date"].notna() & ~charge_outcome(df),
            other="outcome_type",
        ),
        Rule(
            "charge_outcome_without_charge_date",
            WARNING,
            "outcome_type",
            "the outcome is 1 or 1A (charged) but no charge_date is given",
            lambda df: charge_outcome(df) & ~given(df, "charge_date"),
        ),
        Rule(
            "first_contact_before_suspect_identified",
            WARNING,
            "first_contact_date",
            "the first contact is before the suspect identified date",
            _before("first_contact_date", "suspect_identified_date"),
            other="suspect_identified_date",
        ),
    ]
    return rules


def workforce_rules(forces: frozenset[str]) -> list[Rule]:
    """Every row rule of the workforce extract."""
    from flightdeck.columns import WORKFORCE_COLUMNS

    in_post, trained = "investigators_in_post", "investigators_trained"
    rules = [
        Rule(f"{c}_missing", ERROR, c, "a value is required", _blank(c)) for c in WORKFORCE_COLUMNS
    ]
    rules += parse_rules(WORKFORCE_COLUMNS)
    rules += [
        force_known(forces),
        Rule(
            f"{in_post}_not_positive",
            ERROR,
            in_post,
            "must be more than 0",
            lambda df: df[in_post] <= 0,
        ),
        Rule(
            f"{trained}_negative", ERROR, trained, "must be 0 or more", lambda df: df[trained] < 0
        ),
        Rule(
            f"{trained}_above_in_post",
            ERROR,
            trained,
            "more investigators trained than in post",
            lambda df: df[trained] > df[in_post],
            other=in_post,
        ),
        Rule(
            "force_month_duplicate",
            ERROR,
            "month",
            "the same force and month appear more than once in the file",
            _duplicated(["force", "month"]),
            other="force",
        ),
    ]
    return rules
