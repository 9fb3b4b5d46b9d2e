"""The engine's results and the independent reading of the catalogue, row for row."""

import datetime as dt
import math

from flightdeck.engine import results
from helpers.independent_kpis import compute


def naive_rows(con) -> list[tuple]:
    crimes = con.execute("SELECT * FROM current_crimes WHERE NOT cancelled").df()
    crimes = crimes.astype(object).where(crimes.notna(), None)
    as_of = dict(con.execute("SELECT force, as_of FROM force_as_of").fetchall())
    # Every force with an active case load, even one whose crimes are all cancelled: its
    # workforce KPIs (K20) still count.
    by_force: dict[str, list[dict]] = {force: [] for force in as_of}
    for record in crimes.to_dict("records"):
        for key, value in record.items():
            if isinstance(value, dt.datetime) or type(value).__name__ == "Timestamp":
                record[key] = value.date()
        record["victim_age"] = None if record["victim_age"] is None else int(record["victim_age"])
        by_force.setdefault(record["force"], []).append(record)
    workforce: dict[str, dict] = {}
    for force, month, fte, trained in con.execute(
        "SELECT force, month, investigators_in_post, investigators_trained FROM current_workforce"
    ).fetchall():
        workforce.setdefault(force, {})[month] = (fte, trained)
    return compute(by_force, as_of, workforce)


def engine_rows(con) -> list[tuple]:
    frame = results.results(con)
    rows = []
    for r in frame.itertuples(index=False):
        month = r.month.date() if hasattr(r.month, "date") else r.month
        rows.append(
            (
                r.kpi_id,
                r.force,
                month,
                r.offence_group,
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


def same(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, str) or isinstance(b, str) or isinstance(a, dt.date):
        return a == b
    return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-9)
