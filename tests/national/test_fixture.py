"""The synthetic national figures: the shipped files import cleanly and are marked synthetic,
they are what the writer writes, their volumes and shares are plausible, and the demo
database holds figures written for its own quarters, beside its forces' own."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from flightdeck import access, resources
from flightdeck.national import figures, imports
from flightdeck.national.force_names import territorial_forces
from flightdeck.reference import load_reference
from flightdeck.store import connection
from flightdeck.synthetic import demo
from flightdeck.synthetic import national as fixture

ANALYST = access.User("ana", "analyst")
SHIPPED = [
    resources.national_fixture_dir() / "synthetic-recorded-crime.ods",
    resources.national_fixture_dir() / "synthetic-crime-outcomes.ods",
]
END = dt.date(2024, 4, 1)  # the shipped files' latest quarter, 2024/25 Q1


@pytest.fixture(scope="module")
def shipped(tmp_path_factory):
    """A database with the shipped files imported (read once: ODS is slow to read)."""
    con = connection.connect(tmp_path_factory.mktemp("national") / "fixture.duckdb")
    done = imports.import_national(con, SHIPPED, user=ANALYST)
    yield con, done
    con.close()


def test_the_shipped_fixture_imports_cleanly_and_is_marked_synthetic(shipped):
    con, done = shipped
    assert done.status == "imported", "\n".join(r.to_text() for r in done.reports)
    assert [(f.kind, f.sheets, f.sheets_skipped, f.synthetic) for f in done.files] == [
        ("recorded", ["2023_24", "2024_25"], ["Cover"], True),
        ("outcomes", ["2023_24", "2024_25"], ["Cover"], True),
    ]
    assert all(f.rows_skipped > 0 for f in done.files)  # the rows of other offences
    assert figures.figures_synthetic(con)
    forces = {f for (f,) in con.execute("SELECT DISTINCT force FROM national_recorded").fetchall()}
    reference = load_reference()
    assert forces == set(territorial_forces()) | reference.synthetic_force_ids
    quarters = [q for _, _, q in figures.latest_quarters(con)]
    assert quarters == [
        dt.date(2024, 4, 1),
        dt.date(2024, 1, 1),
        dt.date(2023, 10, 1),
        dt.date(2023, 7, 1),
        dt.date(2023, 4, 1),
    ]


def test_the_shipped_files_are_what_the_writer_writes(shipped):
    con, _ = shipped
    recorded, outcomes = fixture.fixture_tables(fixture.SHIPPED_AS_OF, fixture.SHIPPED_SEED)
    sexual = recorded["Offence Group"] == "Sexual offences"
    assert con.execute("SELECT count(*), sum(offences) FROM national_recorded").fetchall() == [
        (int(sexual.sum()), int(recorded.loc[sexual, "Number of Offences"].sum()))
    ]
    split = outcomes.filter(like="Force outcomes for offences recorded").sum(axis=1)
    sexual = outcomes["Offence Group"] == "Sexual offences"
    assert con.execute("SELECT count(*), sum(outcomes) FROM national_outcomes").fetchall() == [
        (int(sexual.sum()), int(split[sexual].sum()))
    ]


def test_volumes_are_plausible_and_vary_more_than_chance(shipped):
    con, _ = shipped
    rape, _ = figures.published(con, "recorded", END, offence_group="rape")
    other, _ = figures.published(con, "recorded", END, offence_group="other_sexual")
    populations = load_reference().populations.set_index("force")["population"]
    rape = rape.set_index("force")["numerator"]
    other = other.set_index("force")["numerator"]
    big = [f for f in territorial_forces() if populations[f] > 300_000]
    rates = rape[big] / populations[big] * 100_000
    assert rates.between(50, 140).all(), rates.describe()
    assert (other[big] / rape[big]).between(1.3, 2.2).all()
    # Overdispersion: the spread of rates between forces is wider than Poisson noise alone.
    expected = populations[big] * rape[big].sum() / populations[big].sum()
    dispersion = (((rape[big] - expected) ** 2) / expected).sum() / (len(big) - 1)
    assert dispersion > 3


@pytest.mark.parametrize(
    "measure_id, low, high",
    [("charge", 0.02, 0.09), ("victim_not_support", 0.27, 0.48), ("evidential", 0.13, 0.27)],
)
def test_outcome_shares_are_plausible(shipped, measure_id, low, high):
    con, _ = shipped
    found, left_out = figures.published(con, measure_id, END)
    assert left_out.empty
    found = found[found["denominator"] >= 500]
    assert len(found) > 40
    assert (found["numerator"] / found["denominator"]).between(low, high).all()


@pytest.mark.parametrize(
    "as_of, start",
    [
        ("2024-06-30", "2024-04-01"),
        ("2024-06-29", "2024-01-01"),
        ("2024-12-31", "2024-10-01"),
        ("2025-01-15", "2024-10-01"),
        ("2025-03-31", "2025-01-01"),
        ("2025-04-01", "2025-01-01"),
    ],
)
def test_the_latest_complete_quarter(as_of, start):
    got = fixture.latest_complete_quarter(dt.date.fromisoformat(as_of))
    assert got == dt.date.fromisoformat(start)


def test_the_writer_writes_owner_only_files_in_each_format(tmp_path, store):
    as_of = dt.date(2025, 3, 31)
    written = fixture.write_national_fixture(tmp_path / "csv", as_of=as_of, seed=5, fmt="csv")
    assert written.quarters[0] == dt.date(2023, 4, 1) and written.quarters[-1] == dt.date(
        2025, 1, 1
    )
    assert len(written.quarters) == 8
    for path in (written.recorded, written.outcomes):
        assert path.stat().st_mode & 0o777 == 0o600
    done = imports.import_national(store, [written.recorded, written.outcomes], user=ANALYST)
    assert done.status == "imported" and done.synthetic  # demo forces among its rows
    again = fixture.write_national_fixture(tmp_path / "again", as_of=as_of, seed=5, fmt="csv")
    assert again.recorded.read_bytes() == written.recorded.read_bytes()
    with pytest.raises(ValueError, match="fmt must be ods, xlsx or csv"):
        fixture.write_national_fixture(tmp_path, fmt="xls")


def test_anchors_set_a_forces_volume_and_shares():
    anchors = [
        ("kent", "recorded", 4000, np.nan),
        ("kent", "charge", 400, 4000.0),
        ("kent", "victim_not_support", 400, 4000.0),
        ("kent", "evidential", 0, 4000.0),
    ]
    frame = pd.DataFrame(anchors, columns=["force", "measure", "numerator", "denominator"])
    recorded, outcomes = fixture.fixture_tables(dt.date(2025, 3, 31), 1, 1, anchors=frame)
    kent = recorded[(recorded["Force Name"] == "Kent") & (recorded["Offence Group"] != "Robbery")]
    assert 3700 < kent["Number of Offences"].sum() < 4300
    kent = outcomes[outcomes["Force Name"] == "Kent"]
    given = kent.filter(like="Force outcomes").sum(axis=1).groupby(kent["Outcome Type"]).sum()
    assert 0.08 < given["1"] / given.sum() < 0.12 and "15" not in given


def test_the_demo_holds_national_figures_beside_its_own(tmp_path):
    db = tmp_path / "demo.duckdb"
    as_of = dt.date(2024, 6, 30)
    demo.build_demo(db, forces=2, months=15, crimes_per_month=20, warmup_months=0, as_of=as_of)
    con = connection.connect(db, read_only=True)
    try:
        assert figures.latest_quarters(con)[0] == ("2024/25", 1, dt.date(2024, 4, 1))
        assert figures.figures_synthetic(con)
        published, _ = figures.published(con, "recorded", END)
        own = figures.own(con, "recorded", END)
        assert own["force"].tolist() == ["demo-eastvale", "demo-northmoor"]
        beside = own.merge(published, on="force", suffixes=("_own", ""))
        assert len(beside) == 2
        ratio = beside["numerator"] / beside["numerator_own"]
        assert ratio.between(0.8, 1.25).all()  # drawn around the force's own figure
        assert demo.real_forces(con) == []  # published aggregates are not real force data
        actions = con.execute(
            "SELECT user_name, action, outcome FROM audit_log WHERE action = 'import_national'"
        ).fetchall()
        assert actions == [(demo.DEMO_USER.name, "import_national", "ok")]
    finally:
        con.close()
