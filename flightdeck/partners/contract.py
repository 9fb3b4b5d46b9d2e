"""The data contract of partner agency figures: monthly counts, one row per partner, measure,
month and (optionally) age band or gender.

The file goes through the same stages as a case or workforce extract (`flightdeck.extracts`):
the file as a whole, the header, the rows (typed and staged in DuckDB, breakdown labels put in
the catalogue's case there) against the same SQL rules engine, and a report that names file,
line (header = line 1), column, value and rule. The header is checked more
strictly: a case-level column (a crime, suspect or victim reference, or any other column of the
case extract) refuses the file, because only aggregate counts are accepted.
"""

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import duckdb

from flightdeck.extracts.columns import CASE_COLUMNS, ID_COLUMNS
from flightdeck.extracts.contract import Extract, read_typed, validated
from flightdeck.extracts.header import check_header
from flightdeck.extracts.report import ERROR, ValidationReport
from flightdeck.extracts.rules import parse_rules
from flightdeck.extracts.schema import Rule, blank, compared, duplicated, literal, not_in
from flightdeck.extracts.staging import Staged
from flightdeck.reference import Reference, load_reference
from flightdeck.vocabulary import AGE_BANDS, ALL, GENDERS

PARTNER_COLUMNS: dict[str, str] = {
    "partner": "text",
    "measure": "text",
    "month": "month",
    "count": "integer",
    "age_band": "text",
    "gender": "text",
}
PARTNER_REQUIRED: tuple[str, ...] = ("partner", "measure", "month", "count")
# The key a later load replaces; one row per key in a file.
PARTNER_KEY: list[str] = ["partner", "measure", "month", "age_band", "gender"]

# Columns that only a case-level file has. `force` is not one: a workforce file has it too, and a
# partner file's force is given when it is loaded (a `force` column is ignored, with a warning).
CASE_LEVEL_COLUMNS: frozenset[str] = (frozenset(CASE_COLUMNS) | ID_COLUMNS) - {"force"}
AGGREGATES_ONLY = (
    "{name} is a case-level column: only aggregate counts are accepted in partner figures "
    "(partner, measure, month, count, and optionally age_band and gender); remove it"
)


@dataclass
class PartnerExtract(Extract):
    """A validated partner figures file: `table` (None when refused) has line, partner, measure,
    month (first day), count, age_band and gender (`All` where the file left them blank)."""


def check_partner_header(
    header: list[str], columns: dict[str, str], required: list[str], report: ValidationReport
) -> bool:
    """`check_header`, after refusing every case-level column (all named, one finding each)."""
    case_level = [h for h in header if h in CASE_LEVEL_COLUMNS]
    for name in dict.fromkeys(case_level):
        # Reported by name, not as a column's value: the name of an id column is no id.
        text = AGGREGATES_ONLY.format(name=name)
        report.add(ERROR, "case_level_column", text, examples=[(1, name)])
    rest = [h for h in header if h not in CASE_LEVEL_COLUMNS]
    return check_header(rest, columns, required, report) and not case_level


def _labelled(labels: tuple[str, ...]) -> str:
    """SQL of a breakdown column in the catalogue's labels (`{v}` the trimmed text): matched
    without regard to case, blank and `All` the total; anything else kept as written (a rule
    then refuses it)."""
    cases = " ".join(
        f"WHEN {literal(label.lower())} THEN {literal(label)}" for label in (*labels, ALL)
    )
    return f"CASE lower(coalesce({{v}}, {literal(ALL)})) {cases} ELSE {{v}} END"


# The canonical forms of the text columns (see `flightdeck.extracts.typed_sql.typing_query`).
PARTNER_CANONICAL_SQL: dict[str, str] = {
    "measure": "lower({v})",
    "age_band": _labelled(AGE_BANDS),
    "gender": _labelled(GENDERS),
}


def partner_rules(measures: tuple[str, ...], current_month: dt.date) -> list[Rule]:
    """Every row rule of a partner figures file, in the order the report lists them."""
    rules = [
        Rule(f"{c}_missing", ERROR, c, "a value is required", blank(c)) for c in PARTNER_REQUIRED
    ]
    rules += parse_rules(PARTNER_COLUMNS)
    rules += [
        Rule(
            "measure_unknown",
            ERROR,
            "measure",
            "not a measure in the reference list of partner measures; the known measures are "
            + ", ".join(measures),
            not_in("measure", measures),
        ),
        Rule(
            "age_band_not_allowed",
            ERROR,
            "age_band",
            "not one of " + ", ".join(AGE_BANDS) + " (blank or All for the total)",
            not_in("age_band", (*AGE_BANDS, ALL)),
        ),
        Rule(
            "gender_not_allowed",
            ERROR,
            "gender",
            "not one of " + ", ".join(GENDERS) + " (blank or All for the total)",
            not_in("gender", (*GENDERS, ALL)),
        ),
        Rule("count_negative", ERROR, "count", "must be 0 or more", compared("count", "<", 0)),
        Rule(
            "month_in_future",
            ERROR,
            "month",
            f"after the current month ({current_month:%Y-%m})",
            compared("month", ">", current_month),
        ),
        Rule(
            "partner_figure_duplicate",
            ERROR,
            "measure",
            "the same partner, measure, month, age band and gender appear more than once in "
            "the file",
            duplicated(PARTNER_KEY),
            other="partner",
        ),
    ]
    return rules


def validate_partner_file(
    path: Path,
    *,
    reference: Reference | None = None,
    max_bytes: int | None = None,
    file_name: str | None = None,
    max_examples: int = 10,
    today: dt.date | None = None,
    con: duckdb.DuckDBPyConnection | None = None,
) -> PartnerExtract:
    """Validate a partner figures file; its rows stay staged in `con` (default: a private
    connection) only when there is no error. `today` (default: today) decides which months
    are in the future."""
    reference = reference or load_reference()
    report = ValidationReport(file_name or Path(path).name, max_examples=max_examples)
    extract = PartnerExtract(report.file_name, "", report)

    def read(con: duckdb.DuckDBPyConnection) -> Staged | None:
        extract.sha256, _, staged = read_typed(
            path,
            PARTNER_COLUMNS,
            list(PARTNER_REQUIRED),
            report,
            max_bytes,
            con,
            check_partner_header,
            PARTNER_CANONICAL_SQL,
        )
        return staged

    def row_rules() -> list[Rule]:
        current_month = (today or dt.date.today()).replace(day=1)
        return partner_rules(reference.partner_measure_ids, current_month)

    validated(extract, con, read, PARTNER_COLUMNS, row_rules)
    return extract
