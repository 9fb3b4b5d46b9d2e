"""The data contract's row rules, for the case and the workforce extract (the case extract's
rules for managing a suspect, civil orders and breaches, are in `suspect_rules`).

Each rule names what it checks in words the report prints; the rules run in the order given
here (errors, then warnings), and the report lists them in that order.
"""

import datetime as dt

from flightdeck.extracts.columns import ALLOWED, CASE_COLUMNS, WORKFORCE_COLUMNS
from flightdeck.extracts.report import ERROR, WARNING
from flightdeck.extracts.schema import (
    Rule,
    before,
    blank,
    col,
    compared,
    duplicated,
    given,
    holds,
    is_in,
    needs,
    not_before,
    not_in,
    unparsed,
    without,
)
from flightdeck.extracts.suspect_rules import suspect_management_rules
from flightdeck.reference import Reference
from flightdeck.vocabulary import CHARGED_OUTCOMES

EARLIEST_RECORDED = dt.date(2000, 1, 1)
MAX_AGE = 120

_PARSE_PROBLEMS = {
    "date": ("not_a_date", "not a date: use YYYY-MM-DD or DD/MM/YYYY (day first)"),
    "month": (
        "not_a_month",
        "not a month: use YYYY-MM or a date in the month (YYYY-MM-DD or DD/MM/YYYY)",
    ),
    "integer": ("not_a_whole_number", "not a whole number"),
    "number": ("not_a_number", "not a number"),
    "boolean": ("not_yes_or_no", "not a yes/no value: use true/false, yes/no, 1/0 or Y/N"),
}


def parse_rules(columns: dict[str, str]) -> list[Rule]:
    """A value that is there but cannot be read as its column's type."""
    return [
        Rule(f"{c}_{_PARSE_PROBLEMS[kind][0]}", ERROR, c, _PARSE_PROBLEMS[kind][1], unparsed(c))
        for c, kind in columns.items()
        if kind in _PARSE_PROBLEMS
    ]


def force_known(forces) -> Rule:
    """Both extracts name forces from the reference list."""
    return Rule(
        "force_unknown",
        ERROR,
        "force",
        "not a force in the reference list of forces",
        not_in("force", forces),
    )


def _allowed_values(reference: Reference) -> dict[str, tuple[str, ...]]:
    """Each coded column's allowed values; outcome types come from the reference list."""
    return {**ALLOWED, "outcome_type": tuple(reference.outcome_types["code"])}


def case_rules(as_of: dt.date, reference: Reference) -> list[Rule]:
    """Every row rule of the case extract taken on `as_of`, errors then warnings."""
    dates = [c for c, kind in CASE_COLUMNS.items() if kind == "date"]
    rules = [
        Rule(f"{c}_missing", ERROR, c, "a value is required", blank(c))
        for c in ("force", "crime_id", "recorded_date", "offence_code")
    ]
    rules += parse_rules(CASE_COLUMNS)
    rules += [
        Rule(f"{c}_not_allowed", ERROR, c, "not one of " + ", ".join(v), not_in(c, v))
        for c, v in _allowed_values(reference).items()
    ]
    rules += [
        force_known(reference.force_ids),
        Rule(
            "offence_code_unknown",
            ERROR,
            "offence_code",
            "not a code in the reference list of RASSO offence codes",
            not_in("offence_code", reference.offence_code_set),
        ),
        Rule(
            "victim_age_out_of_range",
            ERROR,
            "victim_age",
            f"not an age from 0 to {MAX_AGE}",
            f"{compared('victim_age', '<', 0)} OR {compared('victim_age', '>', MAX_AGE)}",
        ),
        Rule(
            "crime_id_duplicate",
            ERROR,
            "crime_id",
            "the same crime_id appears more than once for this force in the file",
            duplicated(["force", "crime_id"]),
            other="force",
        ),
        Rule(
            "recorded_date_before_2000",
            ERROR,
            "recorded_date",
            "before 2000-01-01",
            compared("recorded_date", "<", EARLIEST_RECORDED),
        ),
    ]
    rules += [
        Rule(
            f"{c}_after_as_of",
            ERROR,
            c,
            f"after the extract's as-of date {as_of:%Y-%m-%d}",
            compared(c, ">", as_of),
        )
        for c in dates
    ]
    rules += [
        Rule(
            "offence_date_after_recorded_date",
            ERROR,
            "offence_date",
            "the offence date is after the recorded date",
            before("recorded_date", "offence_date"),
            other="recorded_date",
        ),
        needs(
            "suspect_identified_date", "suspect_id", "a suspect identified date needs a suspect_id"
        ),
        not_before(
            "suspect_identified_date",
            "offence_date",
            "the suspect is identified before the offence date",
        ),
        needs("first_contact_date", "suspect_id", "a first contact date needs a suspect_id"),
        needs(
            "first_contact_type",
            "first_contact_date",
            "a first contact type needs a first_contact_date",
        ),
        needs("cps_decision", "cps_decision_date", "a CPS decision needs a cps_decision_date"),
        not_before(
            "cps_decision_date", "cps_referral_date", "the CPS decision is before the CPS referral"
        ),
        not_before("charge_date", "recorded_date", "the charge date is before the recorded date"),
        Rule(
            "outcome_date_missing",
            ERROR,
            "outcome_type",
            "an outcome type needs an outcome_date",
            without("outcome_type", "outcome_date"),
        ),
        needs("outcome_date", "outcome_type", "an outcome date is given but no outcome_type"),
        not_before("outcome_date", "recorded_date", "the outcome date is before the recorded date"),
        needs(
            "device_returned_date",
            "device_seized_date",
            "a device returned date needs a device_seized_date",
        ),
        not_before(
            "device_returned_date",
            "device_seized_date",
            "the device is returned before it was seized",
        ),
    ]
    return rules + suspect_management_rules() + _case_warnings()


def _case_warnings() -> list[Rule]:
    charge_outcome = is_in("outcome_type", CHARGED_OUTCOMES)
    return [
        Rule(
            "charge_without_charge_outcome",
            WARNING,
            "charge_date",
            "a charge date is given but the outcome is not 1 or 1A (charged)",
            f'"charge_date" IS NOT NULL AND NOT {charge_outcome}',
            other="outcome_type",
        ),
        Rule(
            "charge_outcome_without_charge_date",
            WARNING,
            "outcome_type",
            "the outcome is 1 or 1A (charged) but no charge_date is given",
            f"{charge_outcome} AND NOT {given('charge_date')}",
        ),
        Rule(
            "first_contact_before_suspect_identified",
            WARNING,
            "first_contact_date",
            "the first contact is before the suspect identified date",
            before("first_contact_date", "suspect_identified_date"),
            other="suspect_identified_date",
        ),
    ]


def workforce_rules(forces: frozenset[str]) -> list[Rule]:
    """Every row rule of the workforce extract."""
    in_post, trained = "investigators_in_post", "investigators_trained"
    rules = [
        Rule(f"{c}_missing", ERROR, c, "a value is required", blank(c)) for c in WORKFORCE_COLUMNS
    ]
    rules += parse_rules(WORKFORCE_COLUMNS)
    rules += [
        force_known(forces),
        Rule(
            f"{in_post}_not_positive",
            ERROR,
            in_post,
            "must be more than 0",
            compared(in_post, "<=", 0),
        ),
        Rule(f"{trained}_negative", ERROR, trained, "must be 0 or more", compared(trained, "<", 0)),
        Rule(
            f"{trained}_above_in_post",
            ERROR,
            trained,
            "more investigators trained than in post",
            holds(f"{col(trained)} > {col(in_post)}"),
            other=in_post,
        ),
        Rule(
            "force_month_duplicate",
            ERROR,
            "month",
            "the same force and month appear more than once in the file",
            duplicated(["force", "month"]),
            other="force",
        ),
    ]
    return rules
