"""The labels and codes the SQL and the Python share are the same on both sides."""

import duckdb
import pytest

from flightdeck import vocabulary
from flightdeck.store.connection import connect


@pytest.fixture
def con():
    con = duckdb.connect()
    for macro in vocabulary.sql_macros():
        con.execute(macro)
    yield con
    con.close()


@pytest.mark.parametrize(
    "age, band",
    [
        (None, "Unknown"), (0, "0-12"), (12, "0-12"), (13, "13-15"), (15, "13-15"),
        (16, "16-17"), (17, "16-17"), (18, "18-24"), (24, "18-24"), (25, "25-34"),
        (34, "25-34"), (35, "35-44"), (44, "35-44"), (45, "45-54"), (54, "45-54"),
        (55, "55+"), (120, "55+"),
    ],
)  # fmt: skip
def test_age_bands_in_sql_are_the_catalogue_bands(con, age, band):
    # The band edges of the KPI catalogue, written out by hand.
    assert con.execute("SELECT age_band(?::INTEGER)", [age]).fetchone()[0] == band


def test_every_python_band_is_produced_by_the_sql_and_in_order(con):
    ages = [None, 5, 14, 16, 20, 30, 40, 50, 70]
    found = [con.execute("SELECT age_band(?::INTEGER)", [a]).fetchone()[0] for a in ages]
    assert sorted(set(found), key=vocabulary.AGE_BANDS.index) == list(vocabulary.AGE_BANDS)


@pytest.mark.parametrize(
    "stored, label",
    [("female", "Female"), ("MALE", "Male"), ("other", "Other"), ("unknown", "Unknown"),
     (None, "Unknown")],
)  # fmt: skip
def test_gender_labels_in_sql(con, stored, label):
    assert con.execute("SELECT gender_label(?)", [stored]).fetchone()[0] == label
    assert label in vocabulary.GENDERS


@pytest.mark.parametrize(
    "outcome, charged", [("1", True), ("1A", True), ("2", False), ("16", False), (None, False)]
)
def test_charged_means_outcome_1_or_1a_in_sql_and_python(con, outcome, charged):
    assert con.execute("SELECT is_charged(?)", [outcome]).fetchone()[0] is charged
    assert (outcome in vocabulary.CHARGED_OUTCOMES) is charged


def test_the_total_label(con):
    assert con.execute("SELECT all_label()").fetchone()[0] == vocabulary.ALL == "All"


def test_the_results_tables_have_the_result_columns_in_order(tmp_path):
    con = connect(tmp_path / "v.duckdb")
    try:
        own = [r[0] for r in con.execute("DESCRIBE kpi_results").fetchall()]
        peer = [r[0] for r in con.execute("DESCRIBE peer_results").fetchall()]
    finally:
        con.close()
    assert own == vocabulary.RESULT_COLUMNS
    assert peer == ["import_id", *vocabulary.RESULT_COLUMNS, "suppressed"]
