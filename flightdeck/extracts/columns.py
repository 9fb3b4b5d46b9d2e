"""The columns of the case and workforce extracts, their types once validated, and the values
a coded column allows (outcome types come from the reference list of outcomes)."""

from flightdeck.vocabulary import GENDER_LABELS

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
}

# Header fragments that betray direct personal data; such a column refuses the whole file.
IDENTIFIER_FRAGMENTS: tuple[str, ...] = (
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
    "free_text",
)
