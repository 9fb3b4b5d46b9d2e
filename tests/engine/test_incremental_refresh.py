"""A load, a workforce load or a rollback recomputes only the forces it touched, and what it
leaves is exactly what a full refresh computes."""

import datetime as dt

import pytest

from flightdeck import access
from flightdeck.engine import refresh
from flightdeck.store import connection, history, loads
from flightdeck.synthetic import generator

ANALYST = access.User("ana", "analyst")
AS_OF = dt.date(2024, 6, 30)


def tables(con) -> dict[str, list[tuple]]:
    return {
        t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall()
        for t in ("kpi_results", "kpi_feasibility")
    }


def fully_refreshed(con) -> dict[str, list[tuple]]:
    con.execute("BEGIN TRANSACTION")
    refresh.refresh(con)
    full = tables(con)
    con.execute("ROLLBACK")
    return full


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    out = tmp_path_factory.mktemp("synthetic")
    first = generator.generate(out / "first", forces=3, months=14, crimes_per_month=30, as_of=AS_OF)
    # The second force's next month: another extract of the same history, a month on.
    later = generator.generate(
        out / "later", forces=3, months=15, crimes_per_month=30, as_of=dt.date(2024, 7, 31)
    )
    return first, later


def test_every_change_leaves_the_results_a_full_refresh_gives(files, tmp_path):
    first, later = files
    con = connection.connect(tmp_path / "fd.duckdb")
    loaded = loads.load_case_files(con, first.case_files, as_of=AS_OF, user=ANALYST)
    assert loaded.status == "loaded"
    assert tables(con) == fully_refreshed(con)
    [second_force] = [f for f in later.case_files if generator.DEMO_FORCES[1] in f.name]
    again = loads.load_case_files(
        con, [second_force], as_of=later.as_of, user=ANALYST, confirm_wrong_extract=True
    )
    assert again.status == "loaded"
    assert tables(con) == fully_refreshed(con)
    workforce = loads.load_workforce_file(con, first.workforce_file, user=ANALYST)
    assert workforce.status == "loaded"
    assert tables(con) == fully_refreshed(con)
    history.rollback(con, again.loads[0].load_id, user=ANALYST)
    assert tables(con) == fully_refreshed(con)
    history.rollback(con, loaded.loads[0].load_id, user=ANALYST)
    after = tables(con)
    assert after == fully_refreshed(con)
    # The force's only case load rolled back: its crimes no longer count anywhere; only its
    # workforce figures (K20) still give it rows. The other forces keep theirs.
    gone = loaded.loads[0].forces[0]
    assert {row[0] for row in after["kpi_results"] if row[1] == gone} == {"K20"}
    for kept in (loaded.loads[1], loaded.loads[2]):
        assert any(row[1] == kept.forces[0] and row[0] == "K01" for row in after["kpi_results"])
