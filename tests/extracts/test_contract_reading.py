"""Reading case extracts: dates in either accepted form, and the two ways a file is parsed.

A file whose rows sit one per line is parsed by DuckDB alone; one with blank lines or quoted
line breaks is parsed again by Python's csv module to get exact line numbers. Both must give
the same rows.
"""

import datetime as dt

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flightdeck.extracts.contract import validate_case_file

AS_OF = dt.date(2024, 6, 30)
HEADER = "force,crime_id,recorded_date,offence_code,victim_age,victim_gender,isva_referral_date"


def crime(i: int, isva: str = "", crime_id: str | None = None) -> str:
    return f"demo-eastvale,{crime_id or f'C{i}'},2024-01-10,19C,25,female,{isva}"


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.tuples(st.dates(dt.date(1900, 1, 1), AS_OF), st.sampled_from(["iso", "uk", "uk-short"])),
        min_size=1,
        max_size=20,
    )
)
def test_any_date_in_either_form_reads_as_that_date(tmp_path, dates):
    forms = {
        "iso": lambda d: d.isoformat(),
        "uk": lambda d: d.strftime("%d/%m/%Y"),
        "uk-short": lambda d: f"{d.day}/{d.month}/{d.year}",
    }
    rows = [crime(i, forms[form](day)) for i, (day, form) in enumerate(dates)]
    path = tmp_path / "dates.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n")
    extract = validate_case_file(path, as_of=AS_OF)
    assert extract.report.ok, extract.report.to_text()
    assert extract.frame["isva_referral_date"].tolist() == [pd.Timestamp(d) for d, _ in dates]


def test_blank_lines_and_quoted_fields_give_the_same_rows_as_a_plain_file(tmp_path):
    rows = [crime(i) for i in range(50)]
    plain = tmp_path / "plain.csv"
    plain.write_text("\n".join([HEADER, *rows]) + "\n")
    # The same crimes with quoted fields, Windows line ends and blank lines between them.
    quoted = tmp_path / "quoted.csv"
    quoted_rows = [r.replace("demo-eastvale,", '"demo-eastvale",', 1) for r in rows]
    quoted.write_text("\r\n".join([HEADER, *quoted_rows[:25], "", *quoted_rows[25:], "", ""]))
    a = validate_case_file(plain, as_of=AS_OF)
    b = validate_case_file(quoted, as_of=AS_OF)
    assert a.report.ok and b.report.ok
    pd.testing.assert_frame_equal(
        a.frame.drop(columns="line"), b.frame.drop(columns="line"), check_dtype=True
    )
    # Rows after the blank line (line 27) sit one line further down.
    assert b.frame["line"].tolist() == [*range(2, 27), *range(28, 53)]


def test_a_quoted_comma_stays_inside_its_field(tmp_path):
    path = tmp_path / "comma.csv"
    path.write_text(HEADER + "\n" + crime(1, crime_id='"C1, part 2"') + "\n")
    extract = validate_case_file(path, as_of=AS_OF)
    assert extract.report.ok, extract.report.to_text()
    assert extract.frame["crime_id"].tolist() == ["C1, part 2"]


def test_an_unclosed_quote_is_reported_not_a_crash(tmp_path):
    path = tmp_path / "open_quote.csv"
    lines = [HEADER, crime(1), crime(2, crime_id='"C2'), *[crime(i) for i in range(3, 20_000)]]
    path.write_text("\n".join(lines) + "\n")
    extract = validate_case_file(path, as_of=AS_OF)
    assert extract.frame is None
    # The quote opened on line 3 runs on to the end of the file: the report says where it began.
    assert [(f.rule, f.line) for f in extract.report.errors] == [("unreadable_csv", 3)]
