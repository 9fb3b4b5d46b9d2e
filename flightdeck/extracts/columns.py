"""The columns of the case and workforce extracts, their types once validated, and the values
a coded column allows (outcome types come from the reference list of outcomes)."""

import re

from flightdeck.vocabulary import ETHNICITIES, GENDER_LABELS

CASE_REQUIRED: dict[str, str] = {
    "force": "text",
    "crime_id": "text",
    "recorded_date": "date",
    "offence_code": "text",
    "victim_age": "integer",
    "victim_gender": "text",
}

CASE_OPTIONAL: dict[str, str] = {
    "cancelled": "boolean",
    "offence_date": "date",
    "suspect_id": "text",
    "suspect_identified_date": "date",
    "first_contact_date": "date",
    "first_contact_type": "text",
    "release_type": "text",
    "cps_early_advice_date": "date",
    "cps_referral_date": "date",
    "cps_decision": "text",
    "cps_decision_date": "date",
    "charge_date": "date",
    "outcome_type": "text",
    "outcome_date": "date",
    "isva_referral_date": "date",
    "vcop_assessment_date": "date",
    "device_seized_date": "date",
    "device_returned_date": "date",
    "s63g_application": "boolean",
    "civil_order_type": "text",
    "civil_order_date": "date",
    "civil_order_outcome": "text",
    "civil_order_outcome_date": "date",
    "ssrp_referral_date": "date",
    "bail_breach_date": "date",
    "order_breach_date": "date",
    "victim_id": "text",
    "victim_ethnicity": "text",
}

CASE_COLUMNS: dict[str, str] = {**CASE_REQUIRED, **CASE_OPTIONAL}

WORKFORCE_COLUMNS: dict[str, str] = {
    "force": "text",
    "month": "month",
    "investigators_in_post": "number",
    "investigators_trained": "number",
}

# Coded text columns and their canonical values (matched case-insensitively on reading).
ALLOWED: dict[str, tuple[str, ...]] = {
    "victim_gender": tuple(GENDER_LABELS),
    "first_contact_type": ("arrest", "voluntary_interview"),
    "release_type": ("bail", "rui", "charged", "nfa", "other"),
    "cps_decision": ("charge", "nfa", "further_work"),
    "civil_order_type": ("SHPO", "SRO"),
    "civil_order_outcome": ("granted", "refused", "withdrawn"),
    "victim_ethnicity": ETHNICITIES,
}

# Pseudonymised references to a crime, a suspect or a victim: never quoted in a report (an id
# still identifies a person to whoever holds the force's systems).
ID_COLUMNS: frozenset[str] = frozenset({"crime_id", "suspect_id", "victim_id"})

# Header names that betray direct personal data; such a column refuses the whole file. A name is
# compared with its case, spaces and punctuation ignored ("D.O.B", "Post Code" and "e-mail" are
# "dob", "postcode" and "email"): it is refused when it contains a fragment, or when one of its
# words (split at spaces and punctuation) is one of the short words, which would match inside
# harmless names as a fragment ("tel" in "hotel", "ni" in "denominator").
IDENTIFIER_FRAGMENTS: tuple[str, ...] = (
    # the data contract's list
    "name",
    "dob",
    "birth",
    "address",
    "postcode",
    "phone",
    "email",
    "nino",
    "pnc",
    "narrative",
    "notes",
    "freetext",
    # and their common spellings in police exports
    "mobile",
    "nationalinsurance",
    "ninumber",
    "street",
    "housenumber",
    "houseno",
    "telno",
    "mobno",
    "cronumber",
    "crono",
    "passport",
)
IDENTIFIER_WORDS: tuple[str, ...] = ("tel", "mob", "ni", "cro", "house", "nhs", "initials")

_NOT_ALPHANUMERIC = re.compile(r"[^0-9a-z]+")


def looks_like_personal_data(name: str) -> bool:
    """True when a header name looks like direct personal data (see IDENTIFIER_FRAGMENTS)."""
    words = [w for w in _NOT_ALPHANUMERIC.split(name.lower()) if w]
    compact = "".join(words)
    return any(f in compact for f in IDENTIFIER_FRAGMENTS) or any(
        w in IDENTIFIER_WORDS for w in words
    )
