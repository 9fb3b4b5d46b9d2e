"""The command's lists agree, row by row, with a plain Python reading of the catalogue
(helpers/independent_suspects.py) on random sets of crimes: `flightdeck suspects` on a new
database of each set, its CSV compared with the Python list."""

import csv
import datetime as dt
import io
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flightdeck.cli.main import main
from flightdeck.store import connection
from helpers import independent_suspects
from helpers.kpis import FORCE, OTHER_FORCE
from helpers.store import insert_case_load
from helpers.umask import restore_umask  # noqa: F401 (autouse fixture)

MONTH_END = dt.date(2025, 6, 30)
SUSPECTS = ["S1", "S2", "S3", "S4", "+S5", None]
CODES = ["19C", "19E", "20A", "17B", "88E"]


def day(offset: int) -> dt.date:
    """A day counted from the window's first day (E - 364); 364 is E itself."""
    return MONTH_END - dt.timedelta(days=364 - offset)


@st.composite
def crime_sets(draw) -> tuple[list[dict], dt.date]:
    as_of = MONTH_END + dt.timedelta(days=draw(st.integers(0, 20)))
    last = 364 + (as_of - MONTH_END).days
    # often on an edge: the day before the window, its first day, the month end, the day after
    days = st.one_of(st.sampled_from([-1, 0, 363, 364, min(365, last)]), st.integers(-200, last))
    records_victims = draw(st.booleans())
    # each suspect's applications: (type, date, outcome, outcome date), carried by some crimes
    applications = {}
    for suspect in SUSPECTS[:-1]:
        if draw(st.booleans()):
            applied = draw(days)
            outcome = draw(st.sampled_from([None, "granted", "refused", "withdrawn"]))
            # decided within 60 days, or on the last day of the data (after E when as_of is)
            later = draw(st.one_of(st.integers(applied, min(applied + 60, last)), st.just(last)))
            decided = None if outcome is None else day(later)
            kind = draw(st.sampled_from(["SHPO", "SRO"]))
            applications[suspect] = (kind, day(applied), outcome, decided)
    crimes = []
    for n in range(draw(st.integers(1, 25))):
        recorded = draw(days)
        suspect = draw(st.sampled_from(SUSPECTS))
        closed = draw(
            st.one_of(
                st.none(), st.integers(recorded, last), st.just(max(recorded, min(365, last)))
            )
        )
        row = {
            "force": draw(st.sampled_from([FORCE, FORCE, FORCE, OTHER_FORCE])),
            "crime_id": f"C{n}",
            "recorded_date": day(recorded),
            "offence_code": draw(st.sampled_from(CODES)),
            "suspect_id": suspect,
            "cancelled": draw(st.booleans()) and draw(st.booleans()),
            "outcome_type": None if closed is None else draw(st.sampled_from(["1", "15", "16"])),
            "outcome_date": None if closed is None else day(closed),
            "release_type": draw(st.sampled_from([None, "bail", "rui", "nfa"])),
            "s63g_application": draw(st.sampled_from([None, True, False])),
            "victim_id": draw(st.sampled_from([None, "V1", "V2", "V3"]))
            if records_victims else None,
            "ssrp_referral_date": draw(st.one_of(st.none(), days.map(day))),
            "bail_breach_date": draw(st.one_of(st.none(), days.map(day))),
        }  # fmt: skip
        if suspect in applications and draw(st.booleans()):
            kind, applied, outcome, decided = applications[suspect]
            row |= {
                "civil_order_type": kind,
                "civil_order_date": applied,
                "civil_order_outcome": outcome,
                "civil_order_outcome_date": decided,
            }
            if outcome == "granted" and draw(st.booleans()):
                row["order_breach_date"] = decided + dt.timedelta(days=draw(st.integers(0, 30)))
        crimes.append(row)
    return crimes, as_of


def command_rows(db: Path, out: Path, which: str) -> list[list[str]]:
    args = ["suspects", "--db", str(db), "--force", FORCE, "--month", "2025-06"]
    assert main([*args, "--list", which, "--out", str(out), "--quiet"]) == 0
    text = out.read_text(encoding="utf-8")
    handling, _, body = text.partition("\n")
    assert handling.startswith("OFFICIAL-SENSITIVE: pseudonymised suspect list")
    rows = list(csv.reader(io.StringIO(body)))
    return rows[1:]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(crime_sets())
def test_the_command_agrees_with_a_plain_reading_of_the_catalogue(crime_set):
    crimes, as_of = crime_set
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "fd.duckdb"
        con = connection.connect(db)
        insert_case_load(con, crimes, as_of.isoformat(), forces=[FORCE, OTHER_FORCE])
        con.close()
        for which in ("frequency", "harm", "rfg"):
            expected = independent_suspects.csv_rows(crimes, FORCE, MONTH_END, which)
            assert command_rows(db, Path(folder) / f"{which}.csv", which) == expected, which
