"""The SQL engine agrees, row by row, with a naive Python reading of the catalogue."""

import datetime as dt
import math

import pytest
from independent_kpis import compute

from flightdeck import access, kpis, store, synthetic

ANALYST = access.User("ana", "analyst")


def _naive_rows(con) -> list[tuple]:
    crimes = con.execute("SELECT * FROM current_crimes WHERE NOT cancelled").df()
    crimes = crimes.astype(object).where(crimes.notna(), None)
    by_force: dict[str, list[dict]] = {}
    for record in crimes.to_dict("records"):
        for key, value in record.items():
            if isinstance(value, dt.datetime) or type(value).__name__ == "Timestamp":
                record[key] = value.date()
        record["victim_age"] = None if record["victim_age"] is None else int(record["victim_age"])
        by_force.setdefault(record["force"], []).append(record)
    as_of = dict(con.execute("SELECT force, as_of FROM force_as_of").fetchall())
    workforce: dict[str, dict] = {}
    for force, month, fte, trained in con.execute(
        "SELECT force, month, investigators_in_post, investigators_trained FROM current_workforce"
    ).fetchall():
        workforce.setdefault(force, {})[month] = (fte, trained)
    return compute(by_force, as_of, workforce)


def _engine_rows(con) -> list[tuple]:
    frame = kpis.results(con)
    rows = []
    for r in frame.itertuples(index=False):
        month = r.month.date() if hasattr(r.month, "date") else r.month
        rows.append(
            (
                r.kpi_id,
                r.force,
                month,
                r.age_band,
                r.gender,
                None if _missing(r.numerator) else r.numerator,
                None if _missing(r.denominator) else r.denominator,
                None if _missing(r.value) else r.value,
                bool(r.complete),
            )
        )
    return rows


def _missing(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def _same(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, str) or isinstance(b, str) or isinstance(a, dt.date):
        return a == b
    return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-9)


@pytest.fixture(scope="module")
def generated_db(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("independent")
    files = synthetic.generate(
        tmp / "csv", forces=3, months=18, crimes_per_month=40, seed=11, as_of=dt.date(2025, 6, 20)
    )
    con = store.connect(tmp / "fd.duckdb")
    outcome = store.load_case_files(con, files.case_files, as_of=files.as_of, user=ANALYST)
    assert outcome.status == "loaded", outcome.message
    store.load_workforce_file(con, files.workforce_file, user=ANALYST)
    yield con
    con.close()


def test_engine_matches_naive_implementation_on_generated_data(generated_db):
    engine = _engine_rows(generated_db)
    naive = _naive_rows(generated_db)
    assert len(engine) > 1000
    engine_keys = {r[:5] for r in engine}
    naive_keys = {r[:5] for r in naive}
    assert sorted(engine_keys - naive_keys)[:5] == []
    assert sorted(naive_keys - engine_keys)[:5] == []
    by_key = {r[:5]: r for r in naive}
    mismatches = [
        (e, by_key[e[:5]])
        for e in engine
        if not all(_same(x, y) for x, y in zip(e[5:], by_key[e[:5]][5:], strict=True))
    ]
    assert mismatches[:5] == []
    kpis_seen = {r[0] for r in engine}
    assert len(kpis_seen) == 21, sorted(kpis_seen)
