"""The case extract's rules for managing a suspect once named: civil orders (the application,
its outcome, and one outcome for all the rows of an application), the Suspect Sexual Risk
Pathway referral, and breaches of pre-charge bail and of a granted order.

All are errors; `flightdeck.extracts.rules.case_rules` runs them after the other row errors.
"""

from flightdeck.extracts.report import ERROR
from flightdeck.extracts.schema import Rule, disagreeing, given, is_in, needs, not_before, without

# One civil order application: the same order applied for against the same suspect on the same
# day. Suspect ids are pseudonymised per force, so an application is the force's.
APPLICATION = ["force", "suspect_id", "civil_order_type", "civil_order_date"]
GRANTED = "granted"


def _application_agrees(column: str, what: str) -> Rule:
    """Every row of one application gives the same `column` (blank included)."""
    return Rule(
        f"{column}_disagrees",
        ERROR,
        column,
        "another row of the same civil order application (same suspect_id, civil_order_type "
        f"and civil_order_date) gives another {what}",
        disagreeing(APPLICATION, column),
    )


def suspect_management_rules() -> list[Rule]:
    """The rules of the civil order, SSRP and breach columns, in the order the report lists."""
    return [
        needs("civil_order_type", "suspect_id", "a civil order needs a suspect_id"),
        needs("civil_order_type", "civil_order_date", "a civil order needs a civil_order_date"),
        needs(
            "civil_order_outcome",
            "civil_order_type",
            "a civil order outcome needs a civil_order_type",
        ),
        Rule(
            "civil_order_outcome_date_missing",
            ERROR,
            "civil_order_outcome",
            "a civil order outcome needs a civil_order_outcome_date",
            without("civil_order_outcome", "civil_order_outcome_date"),
        ),
        needs(
            "civil_order_outcome_date",
            "civil_order_outcome",
            "a civil order outcome date is given but no civil_order_outcome",
        ),
        not_before(
            "civil_order_outcome_date",
            "civil_order_date",
            "the civil order outcome is before the application",
        ),
        _application_agrees("civil_order_outcome", "outcome"),
        _application_agrees("civil_order_outcome_date", "outcome date"),
        needs("ssrp_referral_date", "suspect_id", "an SSRP referral date needs a suspect_id"),
        needs(
            "bail_breach_date",
            "first_contact_date",
            "a bail breach date needs a first_contact_date",
        ),
        not_before(
            "bail_breach_date", "first_contact_date", "the bail breach is before the first contact"
        ),
        Rule(
            "order_breach_date_without_granted_civil_order",
            ERROR,
            "order_breach_date",
            f"an order breach date needs a civil_order_outcome of {GRANTED}",
            f"{given('order_breach_date')} AND NOT {is_in('civil_order_outcome', [GRANTED])}",
            other="civil_order_outcome",
        ),
        not_before(
            "order_breach_date",
            "civil_order_outcome_date",
            "the order breach is before the civil order outcome",
        ),
    ]
