"""The labels and codes that the SQL and the Python both use, defined once.

The KPI results table labels its totals `All`, its victim age bands `0-12` ... `55+` and
`Unknown`, and its genders `Female`, `Male`, `Other`, `Unknown`; "charged" means Home Office
outcome 1 or 1A. The SQL gets the same definitions as DuckDB macros written from this module
(`sql_macros`, applied with the schema), so a band or a code changes here and nowhere else.
"""

from collections.abc import Iterable

ALL = "All"  # the label of a total in the results table (all ages, all genders)

# Victim age bands in order: (label, oldest age in the band); the last band has no upper end.
AGE_BAND_LIMITS: tuple[tuple[str, int | None], ...] = (
    ("0-12", 12),
    ("13-15", 15),
    ("16-17", 17),
    ("18-24", 24),
    ("25-34", 34),
    ("35-44", 44),
    ("45-54", 54),
    ("55+", None),
)
UNKNOWN = "Unknown"  # a blank victim age, or a gender not recorded
AGE_BANDS: tuple[str, ...] = (*(label for label, _ in AGE_BAND_LIMITS), UNKNOWN)

# Victim gender as stored (the contract's canonical values) and as labelled in breakdowns.
GENDER_LABELS: dict[str, str] = {
    "female": "Female",
    "male": "Male",
    "other": "Other",
    "unknown": UNKNOWN,
}
GENDERS: tuple[str, ...] = tuple(GENDER_LABELS.values())

CHARGED_OUTCOMES: tuple[str, ...] = ("1", "1A")  # charged or summonsed

# The offence groups of data/reference/offence_codes.csv, and the results table's offence_group
# labels in order: all RASSO crimes first, then each group.
RAPE, OTHER_SEXUAL = "rape", "other_sexual"
OFFENCE_GROUPS: tuple[str, ...] = (ALL, RAPE, OTHER_SEXUAL)
OFFENCE_GROUP_WORDS: dict[str, str] = {
    ALL: "All RASSO crimes",
    RAPE: "Rape",
    OTHER_SEXUAL: "Other sexual offences",
}

# Victim ethnicity as the case extract records it (the ONS 5+1 top-level groups); blank is
# "not recorded", which is not the same as `not_stated` (asked, and the victim did not say).
ETHNICITIES: tuple[str, ...] = ("white", "mixed", "asian", "black", "other", "not_stated")

# The KPI results table, in its column order (the CSV export, the peer exchange, the store).
RESULT_KEY: tuple[str, ...] = ("kpi_id", "force", "month", "offence_group", "age_band", "gender")
RESULT_COLUMNS: list[str] = [*RESULT_KEY, "numerator", "denominator", "value", "complete"]


def sql_text(value: str) -> str:
    """Text as an SQL string literal."""
    return "'" + value.replace("'", "''") + "'"


def sql_list(values: Iterable[str]) -> str:
    """Texts as a constant SQL list, `('a', 'b')`: DuckDB pushes `x IN (...)` down to scans."""
    return "(" + ", ".join(sql_text(v) for v in values) + ")"


def _age_band_sql() -> str:
    cases = [
        f"WHEN age <= {oldest} THEN {sql_text(label)}" for label, oldest in AGE_BAND_LIMITS[:-1]
    ]
    last = sql_text(AGE_BAND_LIMITS[-1][0])
    return f"CASE WHEN age IS NULL THEN {sql_text(UNKNOWN)} {' '.join(cases)} ELSE {last} END"


def _gender_sql() -> str:
    cases = [
        f"WHEN {sql_text(stored)} THEN {sql_text(label)}" for stored, label in GENDER_LABELS.items()
    ]
    return f"CASE lower(gender) {' '.join(cases)} ELSE {sql_text(UNKNOWN)} END"


def sql_macros() -> list[str]:
    """The DuckDB macros `all_label()`, `age_band(age)`, `gender_label(gender)` and
    `is_charged(outcome_type)`, as statements to run before the views that use them."""
    charged = ", ".join(sql_text(code) for code in CHARGED_OUTCOMES)
    return [
        f"CREATE OR REPLACE MACRO all_label() AS {sql_text(ALL)}",
        f"CREATE OR REPLACE MACRO age_band(age) AS {_age_band_sql()}",
        f"CREATE OR REPLACE MACRO gender_label(gender) AS {_gender_sql()}",
        f"CREATE OR REPLACE MACRO is_charged(outcome_type) AS "
        f"coalesce(outcome_type IN ({charged}), FALSE)",
    ]
