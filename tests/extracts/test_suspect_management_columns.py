"""The suspect-management columns of the case extract: civil order outcomes, SSRP referrals and
breaches of bail and of orders. Every rule with a small failing file, the agreement of all the
rows of one civil order application, a file that uses every column well, and its load.

Line numbers count the header as line 1, so the first crime is on line 2.
"""

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from flightdeck import access
from flightdeck.extracts.contract import validate_case_file
from flightdeck.store import loads

AS_OF = dt.date(2024, 6, 30)
GOOD = {
    "force": "demo-eastvale",
    "crime_id": "C1",
    "recorded_date": "2024-01-10",
    "offence_code": "19C",
    "victim_age": "25",
    "victim_gender": "female",
}
SUSPECT = "SUSP-7731"  # distinctive, so a test can tell it is never quoted
# One application: an SHPO applied for against the suspect on 1 February.
ORDER = {"suspect_id": SUSPECT, "civil_order_type": "SHPO", "civil_order_date": "2024-02-01"}
GRANTED = {**ORDER, "civil_order_outcome": "granted", "civil_order_outcome_date": "2024-03-01"}


def write_crimes(path: Path, *changes: dict) -> Path:
    """One good crime per dict (crime ids C1, C2, ...), with the dict's values changed."""
    rows = [{**GOOD, "crime_id": f"C{i}", **change} for i, change in enumerate(changes, start=1)]
    header = list(dict.fromkeys(k for row in rows for k in row))
    lines = [",".join(header)] + [",".join(row.get(c, "") for c in header) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def validate(path: Path):
    return validate_case_file(path, as_of=AS_OF)


def findings(extract, rule: str) -> list[tuple]:
    return [(f.column, f.line, f.value) for f in extract.report.findings if f.rule == rule]


def messages(extract, rule: str) -> dict[int, str]:
    return {f.line: f.message for f in extract.report.findings if f.rule == rule}


def error_rules(extract) -> set[str]:
    return {f.rule for f in extract.report.errors}


# (change to the second crime, on line 3) -> (rule, column, value quoted)
ROW_ERRORS = {
    "outcome not allowed": (
        {**ORDER, "civil_order_outcome": "pending", "civil_order_outcome_date": "2024-03-01"},
        "civil_order_outcome_not_allowed",
        "civil_order_outcome",
        "pending",
    ),
    "outcome without order": (
        {
            "suspect_id": SUSPECT,
            "civil_order_outcome": "Refused",
            "civil_order_outcome_date": "2024-03-01",
        },
        "civil_order_outcome_without_civil_order_type",
        "civil_order_outcome",
        "refused",
    ),  # fmt: skip
    "outcome without date": (
        {**ORDER, "civil_order_outcome": "granted"},
        "civil_order_outcome_date_missing",
        "civil_order_outcome",
        "granted",
    ),
    "outcome date without outcome": (
        {**ORDER, "civil_order_outcome_date": "2024-03-01"},
        "civil_order_outcome_date_without_civil_order_outcome",
        "civil_order_outcome_date",
        "2024-03-01",
    ),
    "outcome before application": (
        {**GRANTED, "civil_order_outcome_date": "2024-01-31"},
        "civil_order_outcome_date_before_civil_order_date",
        "civil_order_outcome_date",
        "2024-01-31",
    ),
    "outcome date unreadable": (
        {**GRANTED, "civil_order_outcome_date": "31/02/2024"},
        "civil_order_outcome_date_not_a_date",
        "civil_order_outcome_date",
        "31/02/2024",
    ),
    "outcome after as-of": (
        {**GRANTED, "civil_order_outcome_date": "2024-07-01"},
        "civil_order_outcome_date_after_as_of",
        "civil_order_outcome_date",
        "2024-07-01",
    ),
    "ssrp without suspect": (
        {"ssrp_referral_date": "2024-02-01"},
        "ssrp_referral_date_without_suspect_id",
        "ssrp_referral_date",
        "2024-02-01",
    ),
    "ssrp after as-of": (
        {"suspect_id": SUSPECT, "ssrp_referral_date": "01/07/2024"},
        "ssrp_referral_date_after_as_of",
        "ssrp_referral_date",
        "2024-07-01",
    ),
    "bail breach without contact": (
        {"suspect_id": SUSPECT, "bail_breach_date": "2024-02-01"},
        "bail_breach_date_without_first_contact_date",
        "bail_breach_date",
        "2024-02-01",
    ),
    "bail breach before contact": (
        {
            "suspect_id": SUSPECT,
            "first_contact_date": "2024-02-01",
            "bail_breach_date": "2024-01-31",
        },
        "bail_breach_date_before_first_contact_date",
        "bail_breach_date",
        "2024-01-31",
    ),
    "bail breach after as-of": (
        {
            "suspect_id": SUSPECT,
            "first_contact_date": "2024-02-01",
            "bail_breach_date": "2024-07-01",
        },
        "bail_breach_date_after_as_of",
        "bail_breach_date",
        "2024-07-01",
    ),
    "order breach without any order": (
        {"order_breach_date": "2024-04-01"},
        "order_breach_date_without_granted_civil_order",
        "order_breach_date",
        "2024-04-01",
    ),
    "order breach of a pending order": (
        {**ORDER, "order_breach_date": "2024-04-01"},
        "order_breach_date_without_granted_civil_order",
        "order_breach_date",
        "2024-04-01",
    ),
    "order breach of a refused order": (
        {**GRANTED, "civil_order_outcome": "refused", "order_breach_date": "2024-04-01"},
        "order_breach_date_without_granted_civil_order",
        "order_breach_date",
        "2024-04-01",
    ),
    "order breach before the order": (
        {**GRANTED, "order_breach_date": "2024-02-28"},
        "order_breach_date_before_civil_order_outcome_date",
        "order_breach_date",
        "2024-02-28",
    ),
    "order breach after as-of": (
        {**GRANTED, "order_breach_date": "2024-07-01"},
        "order_breach_date_after_as_of",
        "order_breach_date",
        "2024-07-01",
    ),
}


@pytest.mark.parametrize("case", sorted(ROW_ERRORS))
def test_each_rule_names_rule_column_line_and_value_and_refuses_the_file(case, tmp_path):
    change, rule, column, value = ROW_ERRORS[case]
    extract = validate(write_crimes(tmp_path / "bad.csv", {}, change, {}))
    assert not extract.report.ok and extract.frame is None
    assert error_rules(extract) == {rule}
    assert findings(extract, rule) == [(column, 3, value)]
    assert extract.report.totals[("error", rule)] == 1
    [finding] = extract.report.errors
    assert finding.severity == "error"
    assert finding.message.startswith(f"bad.csv line 3, column {column}, value '{value}': ")
    assert finding.message.endswith(f"[{rule}]")


def test_two_column_rules_quote_the_other_value(tmp_path):
    path = write_crimes(
        tmp_path / "bad.csv",
        {**GRANTED, "civil_order_outcome": "refused", "order_breach_date": "2024-04-01"},
        {**GRANTED, "civil_order_date": "2024-03-05", "civil_order_type": "SRO"},
        {
            "suspect_id": SUSPECT,
            "first_contact_date": "2024-02-01",
            "bail_breach_date": "2024-01-31",
        },
    )
    extract = validate(path)
    assert messages(extract, "order_breach_date_without_granted_civil_order")[2].endswith(
        "an order breach date needs a civil_order_outcome of granted "
        "(civil_order_outcome 'refused') [order_breach_date_without_granted_civil_order]"
    )
    assert messages(extract, "civil_order_outcome_date_before_civil_order_date")[3].endswith(
        "the civil order outcome is before the application (civil_order_date '2024-03-05') "
        "[civil_order_outcome_date_before_civil_order_date]"
    )
    assert messages(extract, "bail_breach_date_before_first_contact_date")[4].endswith(
        "the bail breach is before the first contact (first_contact_date '2024-02-01') "
        "[bail_breach_date_before_first_contact_date]"
    )


def test_rows_of_one_application_that_disagree_name_each_others_lines_never_the_suspect(tmp_path):
    path = write_crimes(
        tmp_path / "orders.csv",
        {},
        GRANTED,  # line 3
        {**GRANTED, "civil_order_type": "shpo", "civil_order_outcome": "GRANTED"},  # line 4
        {**GRANTED, "civil_order_outcome": "refused"},  # line 5: disagrees with 3 and 4
        # Not the same application: another force (ids are per force), order type or day.
        {**GRANTED, "force": "demo-westbury", "civil_order_outcome": "refused"},
        {**GRANTED, "civil_order_type": "SRO", "civil_order_outcome": "withdrawn"},
        {**GRANTED, "civil_order_date": "2024-02-02", "civil_order_outcome": "refused"},
    )
    extract = validate(path)
    assert not extract.report.ok and extract.frame is None
    assert error_rules(extract) == {"civil_order_outcome_disagrees"}
    assert findings(extract, "civil_order_outcome_disagrees") == [
        ("civil_order_outcome", 3, "granted"),
        ("civil_order_outcome", 4, "granted"),
        ("civil_order_outcome", 5, "refused"),
    ]
    assert extract.report.totals[("error", "civil_order_outcome_disagrees")] == 3
    found = messages(extract, "civil_order_outcome_disagrees")
    assert found[3] == (
        "orders.csv line 3, column civil_order_outcome, value 'granted': another row of the "
        "same civil order application (same suspect_id, civil_order_type and civil_order_date) "
        "gives another outcome (line 5: civil_order_outcome 'refused') "
        "[civil_order_outcome_disagrees]"
    )
    assert "(line 5: civil_order_outcome 'refused')" in found[4]
    assert "(line 3: civil_order_outcome 'granted')" in found[5]
    report = extract.report
    assert SUSPECT not in report.to_text()
    assert SUSPECT not in report.to_frame().to_csv()


def test_a_pending_row_of_a_decided_application_disagrees_on_outcome_and_date(tmp_path):
    path = write_crimes(tmp_path / "orders.csv", GRANTED, ORDER)
    extract = validate(path)
    assert error_rules(extract) == {
        "civil_order_outcome_disagrees",
        "civil_order_outcome_date_disagrees",
    }
    assert findings(extract, "civil_order_outcome_date_disagrees") == [
        ("civil_order_outcome_date", 2, "2024-03-01"),
        ("civil_order_outcome_date", 3, None),
    ]
    found = messages(extract, "civil_order_outcome_disagrees")
    assert "(line 3: civil_order_outcome blank)" in found[2]
    assert "value blank" in found[3] and "(line 2: civil_order_outcome 'granted')" in found[3]
    assert SUSPECT not in extract.report.to_text()


def test_rows_of_one_application_with_different_outcome_dates_disagree(tmp_path):
    path = write_crimes(
        tmp_path / "orders.csv", GRANTED, {**GRANTED, "civil_order_outcome_date": "02/03/2024"}
    )
    extract = validate(path)
    assert error_rules(extract) == {"civil_order_outcome_date_disagrees"}
    assert findings(extract, "civil_order_outcome_date_disagrees") == [
        ("civil_order_outcome_date", 2, "2024-03-01"),
        ("civil_order_outcome_date", 3, "2024-03-02"),
    ]
    found = messages(extract, "civil_order_outcome_date_disagrees")
    assert "gives another outcome date (line 3: civil_order_outcome_date '2024-03-02')" in found[2]
    assert "(line 2: civil_order_outcome_date '2024-03-01')" in found[3]


# Every new column used well: a granted order breached, a second row of the same application that
# agrees, a withdrawn and a refused application, a pending one, an SSRP referral, a bail breach.
PASSING = [
    {**GRANTED, "civil_order_outcome": "Granted", "order_breach_date": "2024-05-01",
     "ssrp_referral_date": "15/02/2024", "first_contact_date": "2024-01-20",
     "release_type": "bail", "bail_breach_date": "2024-01-25", "victim_id": "V1"},
    {**GRANTED, "victim_id": "V1"},
    {"suspect_id": "S2", "civil_order_type": "SRO", "civil_order_date": "2024-03-01",
     "civil_order_outcome": "withdrawn", "civil_order_outcome_date": "2024-04-10"},
    {"suspect_id": "S3", "civil_order_type": "SHPO", "civil_order_date": "2024-05-01"},
    {"suspect_id": "S3", "civil_order_type": "SRO", "civil_order_date": "2024-05-01",
     "civil_order_outcome": "refused", "civil_order_outcome_date": "2024-06-01"},
    {},
]  # fmt: skip


def test_a_file_using_every_new_column_correctly_passes_typed(tmp_path):
    extract = validate(write_crimes(tmp_path / "ok.csv", *PASSING))
    assert extract.report.ok and extract.report.findings == [], extract.report.to_text()
    frame = extract.frame.set_index("line")
    outcomes = frame["civil_order_outcome"].fillna("").tolist()
    assert outcomes == ["granted", "granted", "withdrawn", "", "refused", ""]  # canonical case
    for column in ("civil_order_outcome_date", "ssrp_referral_date", "bail_breach_date",
                   "order_breach_date"):  # fmt: skip
        assert frame[column].dtype.kind == "M"
    assert frame.loc[2, "ssrp_referral_date"] == pd.Timestamp("2024-02-15")  # day first
    assert frame.loc[2, "bail_breach_date"] == pd.Timestamp("2024-01-25")
    assert frame.loc[2, "order_breach_date"] == pd.Timestamp("2024-05-01")
    assert frame["civil_order_outcome_date"].notna().tolist() == [
        True,
        True,
        True,
        False,
        True,
        False,
    ]
    assert set(extract.columns_present) >= {
        "civil_order_outcome",
        "civil_order_outcome_date",
        "ssrp_referral_date",
        "bail_breach_date",
        "order_breach_date",
    }


def test_a_load_stores_the_new_columns_typed_for_the_kpis(store, tmp_path):
    path = write_crimes(tmp_path / "ok.csv", *PASSING)
    outcome = loads.load_case_files(store, [path], as_of=AS_OF, user=access.User("ana", "analyst"))
    assert outcome.status == "loaded", outcome.message
    types = dict(
        store.execute(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_name = 'crimes_in_scope' AND column_name IN ('civil_order_outcome', "
            "'civil_order_outcome_date', 'ssrp_referral_date', 'bail_breach_date', "
            "'order_breach_date')"
        ).fetchall()
    )
    assert types == {
        "civil_order_outcome": "VARCHAR",
        "civil_order_outcome_date": "DATE",
        "ssrp_referral_date": "DATE",
        "bail_breach_date": "DATE",
        "order_breach_date": "DATE",
    }
    rows = store.execute(
        "SELECT crime_id, civil_order_outcome, civil_order_outcome_date, ssrp_referral_date, "
        "bail_breach_date, order_breach_date FROM crimes_in_scope "
        "WHERE civil_order_type IS NOT NULL ORDER BY crime_id"
    ).fetchall()
    day = dt.date.fromisoformat
    assert rows == [
        (
            "C1",
            "granted",
            day("2024-03-01"),
            day("2024-02-15"),
            day("2024-01-25"),
            day("2024-05-01"),
        ),
        ("C2", "granted", day("2024-03-01"), None, None, None),
        ("C3", "withdrawn", day("2024-04-10"), None, None, None),
        ("C4", None, None, None, None, None),
        ("C5", "refused", day("2024-06-01"), None, None, None),
    ]
