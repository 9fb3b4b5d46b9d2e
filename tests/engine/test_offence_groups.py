"""The offence group in the KPI results: every crime-by-crime KPI for all RASSO crimes (`All`) and
for each group (`rape`, `other_sexual`, from the offence code in the reference list), force-level
KPIs `All` only. Every expected figure is worked out by hand below."""

from collections import defaultdict

import duckdb

from flightdeck.engine import catalogue, results
from flightdeck.store.connection import connect
from flightdeck.vocabulary import RESULT_COLUMNS
from helpers.kpis import count, crime, load_and_refresh, median, rate, rows, totals

# as_of 31 March 2024. Rape codes 19C, 19D, 19F; other sexual offences 20A, 88E, 17A.
# Victims are 30 and female unless said.
CRIMES = [
    crime("r0", "2022-12-01"),  # rape, still open: over 365 days open from December 2023
    crime("r1", "2024-01-05", suspect_id="s1", suspect_identified_date="2024-01-10",
          outcome_type="1", outcome_date="2024-02-10",  # charged, 36 days after report
          civil_order_type="SHPO", civil_order_date="2024-02-05"),
    crime("r2", "2024-01-20", offence_code="19F", victim_age=20, victim_gender="male",
          outcome_type="14", outcome_date="2024-02-15"),
    crime("r3", "2024-03-05", offence_code="19D", victim_age=15, suspect_id="s2"),
    crime("o1", "2024-01-12", offence_code="20A", suspect_id="s1",
          suspect_identified_date="2024-03-01",  # 49 days: not within 30
          outcome_type="1", outcome_date="2024-02-20", charge_date="2024-02-01"),  # 20 days
    crime("o2", "2024-02-03", offence_code="88E", victim_age=14, suspect_id="s2"),
    crime("o3", "2024-02-10", offence_code="17A", victim_age=40, victim_gender="male",
          suspect_id="s1", civil_order_type="SRO", civil_order_date="2024-02-05"),
]  # fmt: skip
AS_OF = "2024-03-31"
RAPE, OTHER = "rape", "other_sexual"


def _loaded(store) -> duckdb.DuckDBPyConnection:
    load_and_refresh(store, CRIMES, as_of=AS_OF)
    return store


def test_k01_counts_each_crime_in_its_group_and_in_all(store):
    _loaded(store)
    assert totals(store, "K01", offence_group=RAPE) == {
        "2022-12-01": count(1),  # r0
        "2024-01-01": count(2),  # r1, r2
        "2024-03-01": count(1),  # r3
    }
    assert totals(store, "K01", offence_group=OTHER) == {
        "2024-01-01": count(1),  # o1
        "2024-02-01": count(2),  # o2, o3
    }
    assert totals(store, "K01") == {
        "2022-12-01": count(1),
        "2024-01-01": count(3),
        "2024-02-01": count(2),
        "2024-03-01": count(1),
    }
    # The age and gender breakdowns exist within a group: r2 is the only male rape victim.
    rape = rows(store, "K01", offence_group=RAPE)
    assert rape[("2024-01-01", "All", "Male")] == count(1)
    assert rape[("2024-01-01", "18-24", "Male")] == count(1)
    assert rape[("2024-01-01", "25-34", "Female")] == count(1)  # r1
    assert ("2024-02-01", "35-44", "Male") not in rape  # o3 is not rape
    assert rows(store, "K01", offence_group=OTHER)[("2024-02-01", "35-44", "Male")] == count(1)


def test_k02_rate_by_group(store):
    _loaded(store)
    # February outcomes: r1 charged, r2 withdrawn (rape); o1 charged (other).
    assert totals(store, "K02", offence_group=RAPE) == {"2024-02-01": rate(1, 2)}
    assert totals(store, "K02", offence_group=OTHER) == {"2024-02-01": rate(1, 1)}
    assert totals(store, "K02") == {"2024-02-01": rate(2, 3)}


def test_k05_median_is_taken_within_the_group_never_from_the_groups(store):
    _loaded(store)
    # r1: 5 Jan to 10 Feb = 36 days; o1: 12 Jan to its charge on 1 Feb = 20 days.
    assert totals(store, "K05", offence_group=RAPE) == {"2024-02-01": median(36, 1)}
    assert totals(store, "K05", offence_group=OTHER) == {"2024-02-01": median(20, 1)}
    assert totals(store, "K05") == {"2024-02-01": median(28, 2)}  # (20 + 36) / 2


def test_k06_snapshot_counts_the_open_crimes_of_each_group_at_month_end(store):
    _loaded(store)
    january, february, march = "2024-01-01", "2024-02-01", "2024-03-01"
    rape = totals(store, "K06", offence_group=RAPE)
    other = totals(store, "K06", offence_group=OTHER)
    everything = totals(store, "K06")
    # 31 Jan: r0 (426 days), r1, r2 open; o1 open. 29 Feb: r0; o2, o3 (r1, r2, o1 closed).
    # 31 Mar: r0, r3; o2, o3.
    assert [rape[m] for m in (january, february, march)] == [rate(1, 3), rate(1, 1), rate(1, 2)]
    assert [other[m] for m in (january, february, march)] == [rate(0, 1), rate(0, 2), rate(0, 2)]
    assert [everything[m] for m in (january, february, march)] == [
        rate(1, 4), rate(1, 3), rate(1, 4),
    ]  # fmt: skip
    # Before r0 passes 365 days (December 2023 is the first month end it has): 0 of 1.
    assert rape["2023-11-01"] == rate(0, 1)
    assert "2023-11-01" not in other  # nothing of the group open: no row
    assert rows(store, "K06", offence_group=OTHER)[(february, "13-15", "Female")] == rate(0, 1)


def test_k07_cohort_by_group_with_its_completeness(store):
    _loaded(store)
    # January: r1 identified in 5 days, r2 has no suspect; o1 identified after 49 days.
    # March + 30 days is after 31 March: provisional.
    assert totals(store, "K07", offence_group=RAPE) == {
        "2022-12-01": rate(0, 1),
        "2024-01-01": rate(1, 2),
        "2024-03-01": rate(0, 1, complete=False),
    }
    assert totals(store, "K07", offence_group=OTHER) == {
        "2024-01-01": rate(0, 1),
        "2024-02-01": rate(0, 2),
    }
    assert totals(store, "K07")["2024-01-01"] == rate(1, 3)


def test_k13_the_other_crime_may_be_of_either_group(store):
    _loaded(store)
    # o1 (other) repeats r1 (rape) and r3 (rape) repeats o2 (other): both count as repeats
    # in their own group. r1 and o2 are each their suspect's first; o3 repeats r1 and o1.
    assert totals(store, "K13", offence_group=RAPE) == {
        "2024-01-01": rate(0, 1),  # r1
        "2024-03-01": rate(1, 1),  # r3
    }
    assert totals(store, "K13", offence_group=OTHER) == {
        "2024-01-01": rate(1, 1),  # o1
        "2024-02-01": rate(1, 2),  # o2 no, o3 yes
    }
    assert totals(store, "K13") == {
        "2024-01-01": rate(1, 2),
        "2024-02-01": rate(1, 2),
        "2024-03-01": rate(1, 1),
    }


def test_a_force_level_kpi_has_all_rows_only(store):
    _loaded(store)
    # K14: s1 applied for twice in February (on a rape and on another crime): one suspect.
    groups = store.execute(
        "SELECT DISTINCT offence_group, age_band, gender FROM kpi_results WHERE kpi_id = 'K14'"
    ).fetchall()
    assert groups == [("All", "All", "All")]
    assert totals(store, "K14") == {"2024-02-01": count(1)}


def test_all_is_rape_plus_other_sexual_for_every_count(store):
    _loaded(store)
    force_level = {k.id for k in catalogue.measures() if k.force_level}
    found = store.execute(
        f"SELECT {', '.join(RESULT_COLUMNS)} FROM kpi_results WHERE kpi_id NOT IN "
        f"({', '.join('?' for _ in force_level)})",
        sorted(force_level),
    ).fetchall()
    sums = defaultdict(lambda: defaultdict(float))
    for kpi_id, _, month, group, age, gender, num, den, _, _ in found:
        for measure, x in (("numerator", num), ("denominator", den)):
            if x is not None:
                sums[(kpi_id, month, age, gender, measure)][group] += x
    assert len(sums) > 50
    for key, by_group in sums.items():
        assert by_group["All"] == by_group["rape"] + by_group["other_sexual"], key


def test_a_database_made_before_the_offence_group_labels_its_rows_all(tmp_path):
    path = tmp_path / "old.duckdb"
    old = duckdb.connect(str(path))
    for table, first in (("kpi_results", ""), ("peer_results", "import_id INTEGER NOT NULL, ")):
        suppressed = ", suppressed BOOLEAN NOT NULL" if table == "peer_results" else ""
        old.execute(
            f"CREATE TABLE {table} ({first}kpi_id VARCHAR NOT NULL, force VARCHAR NOT NULL, "
            "month DATE NOT NULL, age_band VARCHAR NOT NULL, gender VARCHAR NOT NULL, "
            "numerator DOUBLE, denominator DOUBLE, value DOUBLE, complete BOOLEAN NOT NULL"
            f"{suppressed})"
        )
    old.execute("INSERT INTO kpi_results VALUES ('K01', 'x', '2024-01-01', 'All', 'All', 4, "
                "NULL, 4, TRUE)")  # fmt: skip
    old.execute("INSERT INTO peer_results VALUES (1, 'K01', 'y', '2024-01-01', 'All', 'All', 2, "
                "NULL, 2, TRUE, FALSE)")  # fmt: skip
    old.close()
    con = connect(path)
    try:
        for table in ("kpi_results", "peer_results"):
            assert con.execute(f"SELECT offence_group FROM {table}").fetchall() == [("All",)]
        # The refresh writes by column name into the old column order.
        load_and_refresh(con, CRIMES, as_of=AS_OF)
        assert totals(con, "K01", offence_group=RAPE)["2024-01-01"] == count(2)
        assert totals(con, "K02") == {"2024-02-01": rate(2, 3)}
    finally:
        con.close()


def test_the_flight_decks_headline_rows_are_one_group_all_ages_and_genders(store):
    _loaded(store)
    rape = results.headline(store, "demo-northmoor", RAPE)
    # K01 for rape: r1, r2 in January; r3 in March; r0 in December 2022.
    k01 = rape[rape["kpi_id"] == "K01"]
    assert [(str(m)[:10], v) for m, v in zip(k01["month"], k01["value"], strict=True)] == [
        ("2022-12-01", 1.0),
        ("2024-01-01", 2.0),
        ("2024-03-01", 1.0),
    ]
    assert rape.columns.tolist() == results.HEADLINE_COLUMNS
    keys = list(zip(rape["kpi_id"], rape["month"], strict=True))
    assert keys == sorted(keys)
    # The age band or gender of no row leaks in: one row per measure and month.
    assert not rape.duplicated(["kpi_id", "month"]).any()
    assert results.headline(store, "demo-eastvale", RAPE).empty
