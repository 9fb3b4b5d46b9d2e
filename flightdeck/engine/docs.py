"""The KPI catalogue as a Markdown page, written from the YAML metadata beside each SQL file:
the flight deck's 21 KPIs, then the supplementary measures of suspect management (S01..S06).

    python -m flightdeck.engine.docs        # rewrites docs/kpis.md (run from the checkout)

A test checks that docs/kpis.md is what this module writes, so the page cannot drift from the
definitions the product computes.
"""

from pathlib import Path

from flightdeck import resources
from flightdeck.engine.catalogue import KPI, catalogue, supplementary
from flightdeck.vocabulary import (
    AGE_BAND_LIMITS,
    ALL,
    GENDERS,
    OFFENCE_GROUPS,
    RESULT_COLUMNS,
    UNKNOWN,
)

DOC_PATH = Path("docs") / "kpis.md"

DIRECTIONS = {"up": "higher is better", "down": "lower is better", "neutral": "context"}

CONVENTIONS_TEMPLATE = """\
# The 21 flight-deck KPIs

This page is written from the files that define each KPI, side by side in `kpis/`: one SQL
file (the crimes it counts) and one YAML file of the same name (its name, pillar, unit,
direction, required columns and the definition below). To change a definition, change those
two files and the tests that check them, then run `python -m flightdeck.engine.docs` to rewrite
this page.

## How every KPI is counted
- **Which crimes**: the current version of each crime (its row in the active load with the
  latest as-of date), unless that version is cancelled. A crime counts only in its own force.
- **Months** are calendar months, written as their first day (`2025-03-01`); the month end
  `E` is the last day. `as_of` is the as-of date of the force's latest active case load.
- **Days** between two dates are whole calendar days (later date minus earlier date).
- **Breakdowns**: each force and month has a total (`{all}`/`{all}`) and, unless the KPI is
  force-level, rows by victim age band, by victim gender, and by age band x gender. The age
  bands are {age_bands}
  (`{unknown}` when the age is blank); the genders are {genders}.
- **Offence groups**: every one of those rows is there for all RASSO crimes (offence group
  `{all}`) and again for each offence group, {offence_groups}. A crime's group is that of its
  own current offence code in the reference list `data/reference/offence_codes.csv`, so the
  counts of `{all}` are those of the groups added together. A force-level KPI (one whose
  breakdowns are "force total only" below) has `{all}` rows only: it does not count crimes one
  by one.
- **Several months in one figure** (the KPI page's breakdowns over 12 months) follow the
  kind of KPI, as each KPI's "Over months" line below says:
  - a **flow** (a count, or a rate of crimes placed in a month by one of their dates) is
    pooled: the numerators and denominators of the complete months are added up and the rate
    is worked out from those sums;
  - a **snapshot** (the state at month end, as K06 and K21) is never added up, because the
    same open crime is in every month end. It shows the latest month end, or the mean of the
    month ends, labelled "mean of N month ends": each count is the mean of the month-end
    counts (a month end with nothing open in a breakdown counts as 0 there), N is how many
    month ends the force has in the 12 months, and the rate is the mean numerator over the
    mean denominator;
  - a **median** is never pooled: only the month's own median is shown.
- **Result rows** have the columns
  `{result_columns}`:
  - a rate has `value = numerator / denominator` as a fraction (0.25 means 25 %);
  - a count has `numerator = value =` the count and no denominator;
  - a median has `value` = the median in days (the mean of the two middle values when there
    is an even number), `denominator` = how many values, and no numerator.
  - A row exists only where the denominator (for a count or a median: the count) is at
    least 1: a month with nothing to count has no row rather than a zero.
- **Complete or provisional**: a cohort KPI ("within N days of the report") takes the crimes
  recorded in the month, and its month is complete only once `E + N <= as_of`. Until then
  the row carries the numerator and denominator counted so far, `complete` is false and
  there is no value. K18 works the same way with N = 1. Every other row is complete.
- **Snapshots** (the state at month end) are shown only for months that have ended
  (`E <= as_of`). **Outcome-based** KPIs place a crime in the month of its outcome date.
- **Named suspect** means `suspect_id` is filled in. **Charged** means outcome 1 or 1A. The
  **charge event date** is `charge_date`, or the outcome date when that is blank and the
  crime is charged.

## Feasibility
For each force and KPI the product works out, from the force's current (not cancelled)
crimes, whether the KPI can be computed:
- **not feasible** when a column the KPI requires is absent from the extract or entirely
  blank, or when the KPI needs workforce figures and none are loaded. The reason names the
  column. A KPI that is not feasible for a force has no result rows for it: the pages say
  why instead of showing zero.
- **partial** when the required columns are there but a column the KPI expects on certain
  crimes is filled in on less than the threshold (80 % unless configured with
  `FLIGHTDECK_FEASIBILITY_MIN`) of them: `charge_date` on charged crimes for K05,
  `suspect_identified_date` on crimes with a named suspect for K07. The reason gives the
  completeness found. Partial KPIs are still computed.
- **feasible** otherwise.

The status a force declares for governance (`reported`, `feasible`, `under_assessment`,
`not_feasible`, in `data/reference/declared_status.csv`) is shown beside the computed flag;
where the two disagree, that is worth a conversation.
"""


CONVENTIONS = CONVENTIONS_TEMPLATE.format(
    all=ALL,
    age_bands=", ".join(f"`{label}`" for label, _ in AGE_BAND_LIMITS),
    unknown=UNKNOWN,
    genders=", ".join(f"`{label}`" for label in GENDERS),
    offence_groups=" and ".join(f"`{group}`" for group in OFFENCE_GROUPS if group != ALL),
    result_columns=", ".join(RESULT_COLUMNS),
)


def _requires(kpi: KPI) -> str:
    parts = [f"`{c}`" for c in kpi.requires]
    if kpi.uses_workforce:
        parts.append("the workforce extract")
    return ", ".join(parts) or "the extract's mandatory columns only"


def _completeness(kpi: KPI) -> str:
    if kpi.complete_after_days is None:
        return "always complete"
    return f"complete once {kpi.complete_after_days} day(s) have passed after the month end"


def _over_months(kpi: KPI) -> str:
    added = "the counts" if kpi.kind == "count" else "numerators and denominators"
    return {
        "sum": f"pooled ({added} added up)",
        "mean": "the latest month end, or the mean of the month ends; never a sum",
        None: "never pooled (the month only)",
    }[kpi.over_months]


def _section(kpi: KPI) -> str:
    lines = [
        f"## {kpi.id} {kpi.name}",
        "",
        kpi.definition,
        "",
        f"- Pillar: {kpi.pillar}",
        f"- Kind: {kpi.kind} ({kpi.basis}); unit: {kpi.unit}",
        f"- Direction: {kpi.direction} ({DIRECTIONS[kpi.direction]})",
        f"- Requires: {_requires(kpi)}",
    ]
    if kpi.expected_where:
        rule = kpi.expected_where
        lines.append(f"- Expected: `{rule['column']}` on {rule['described_as']} (else partial)")
    breakdowns = (
        "force total only"
        if kpi.force_level
        else "total, age band, gender, both; all crimes and each offence group"
    )
    lines += [
        f"- Breakdowns: {breakdowns}",
        f"- Over months: {_over_months(kpi)}",
        f"- Completeness: {_completeness(kpi)}",
        f"- SQL: `{resources.KPIS}/{kpi.sql_path.name}`",
    ]
    return "\n".join(lines)


SUPPLEMENTARY_INTRO = """\
# Supplementary measures (suspect management)

Not part of the 21: the force's own management information on the suspects it manages, shown
beside the flight deck in a section of its own and never in a peer export. They are computed
by the same engine into the same results table, with the same conventions and feasibility rules
as above (`kpi_id` `S01` to `S06`), and every one is force-level: `All` rows only. A *decided
application* is one civil order application, a distinct suspect, order type and application
date, whose outcome is `granted` or `refused`; where the crimes of one application disagree
(one updated in a later load, another not), its outcome and outcome date are those of its row
from the most recent load (the view `sql/views/24_civil_order_applications.sql`)."""


def _glance(kpis: list[KPI], heading: str) -> str:
    table = [
        heading,
        "",
        "| id | name | pillar | kind | unit | direction |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    table += [
        f"| {k.id} | {k.name} | {k.pillar} | {k.kind} | {k.unit} | {k.direction} |" for k in kpis
    ]
    return "\n".join(table)


def catalogue_markdown(kpis: list[KPI], measures: list[KPI] | None = None) -> str:
    """The whole page: conventions, feasibility, a summary table and one section per KPI; then,
    when `measures` (the supplementary measures) are given, their introduction, summary table
    and sections."""
    parts = [CONVENTIONS.rstrip(), _glance(kpis, "## At a glance"), *map(_section, kpis)]
    if measures:
        parts += [SUPPLEMENTARY_INTRO, _glance(measures, "## At a glance (supplementary)")]
        parts += map(_section, measures)
    return "\n\n".join(parts) + "\n"


def main() -> None:
    DOC_PATH.write_text(catalogue_markdown(catalogue(), supplementary()), encoding="utf-8")
    print(f"wrote {DOC_PATH}")


if __name__ == "__main__":
    main()
