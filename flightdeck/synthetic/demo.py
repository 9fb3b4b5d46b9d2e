"""The built-in demo: synthetic extracts for fictional forces, generated and loaded once.

The demo goes into a database of its own, or one holding only demo forces: loaded beside a
force's real data, fictional crimes would sit in the same tables, peer comparisons and exports
as real ones. `build_demo` refuses a database with real force data unless told otherwise.
Beside the case data it imports synthetic published national figures (for every force of
England and Wales, marked synthetic) up to the latest financial quarter its data completes.
"""

import datetime as dt
import tempfile
from collections.abc import Callable
from pathlib import Path

import duckdb

from flightdeck import access
from flightdeck.national import imports as national_imports
from flightdeck.partners.loads import load_partner_file
from flightdeck.reference import load_reference
from flightdeck.store import connection, loads
from flightdeck.synthetic import generator
from flightdeck.synthetic import national as national_fixture

# Who the audit trail names for the demo's loads.
DEMO_USER = access.User(name="flightdeck demo builder", role="analyst")
DEMO_FORCES = 8
DEMO_MONTHS = 36
# Four years of history before the 36 months: outcomes and open-case snapshots early in the
# window then include older crimes, as a real force's would, instead of climbing from zero.
# Two years settle the outcome KPIs (K02, K05) but not the open-case snapshots (K06, K21):
# one investigation in ten stalls for one to three years, so the oldest open cases take
# about four years of history to be all there.
DEMO_WARMUP_MONTHS = 48
DEMO_CRIMES_PER_MONTH = 150
DEMO_SEED = 2024


class RealForceData(ValueError):
    """The database holds real (non-demo) force data; the demo was not loaded into it."""

    def __init__(self, db_path: Path, forces: list[str]) -> None:
        super().__init__(
            f"{db_path} holds real force data ({', '.join(forces)}); the demo's synthetic "
            "forces were not loaded beside it, nothing was changed"
        )
        self.forces = forces


def real_forces(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The forces other than the synthetic demo forces whose data the database holds: in any
    load (rolled back too: its rows are still there) or peer import. Sorted."""
    held = con.execute(
        """SELECT DISTINCT force FROM (
               SELECT unnest(forces) AS force FROM loads
               UNION ALL SELECT force FROM peer_imports)"""
    ).fetchall()
    synthetic = load_reference().synthetic_force_ids
    return sorted(force for (force,) in held if force not in synthetic)


def build_demo(
    db_path: Path,
    *,
    forces: int = DEMO_FORCES,
    months: int = DEMO_MONTHS,
    crimes_per_month: int = DEMO_CRIMES_PER_MONTH,
    seed: int = DEMO_SEED,
    warmup_months: int = DEMO_WARMUP_MONTHS,
    as_of: dt.date | None = None,
    progress: Callable[[str], None] | None = None,
    alongside_real_data: bool = False,
) -> str:
    """Generate the synthetic extracts and load them into the database; returns a summary.
    `as_of` defaults to the generator's (the end of last month).

    Raises RealForceData, changing nothing, when the database holds real force data, unless
    `alongside_real_data` is True. An empty database, or one of demo forces only, is fine.
    """
    con = connection.connect(db_path)
    try:
        real = real_forces(con)
        if real and not alongside_real_data:
            raise RealForceData(Path(db_path), real)
        with tempfile.TemporaryDirectory(prefix="flightdeck-demo-") as tmp:
            if progress:
                progress(
                    f"generating {forces} synthetic forces x {months} months "
                    f"(+ {warmup_months} months of earlier history)"
                )
            files = generator.generate(
                Path(tmp),
                forces=forces,
                months=months,
                crimes_per_month=crimes_per_month,
                seed=seed,
                warmup_months=warmup_months,
                as_of=as_of,
            )
            cases = loads.load_case_files(
                con, files.case_files, as_of=files.as_of, user=DEMO_USER, progress=progress
            )
            if cases.status == "refused":
                raise RuntimeError(
                    "the generated demo extract was refused:\n"
                    + "\n".join(r.to_text() for r in cases.reports)
                )
            workforce = loads.load_workforce_file(
                con, files.workforce_file, user=DEMO_USER, progress=progress
            )
            partners = _load_partners(con, files)
            national = _import_national(con, files.as_of, seed, Path(tmp), progress)
        return f"{cases.message}\n{workforce.message}\n{partners}\n{national}"
    finally:
        con.close()


def _load_partners(con: duckdb.DuckDBPyConnection, files: generator.GeneratedFiles) -> str:
    """Load each demo force's partner figures through the load a user makes."""
    for force, path in zip(generator.DEMO_FORCES, files.partner_files, strict=False):
        outcome = load_partner_file(con, path, user=DEMO_USER, force=force)
        if outcome.status == "refused":
            raise RuntimeError(
                "the generated partner figures were refused:\n"
                + "\n".join(r.to_text() for r in outcome.reports)
            )
    return f"Loaded partner figures for {len(files.partner_files)} forces."


def _import_national(
    con: duckdb.DuckDBPyConnection,
    as_of: dt.date,
    seed: int,
    folder: Path,
    progress: Callable[[str], None] | None,
) -> str:
    """Import synthetic published national figures up to the latest financial quarter complete
    on `as_of`, the demo forces' drawn around their own case data (so the page shows the two
    side by side); CSV, which is read in a moment (the shipped ODS fixture takes seconds)."""
    end = national_fixture.latest_complete_quarter(as_of)
    fixture = national_fixture.write_national_fixture(
        folder / "national",
        as_of=as_of,
        seed=seed,
        fmt="csv",
        anchors=national_fixture.own_anchors(con, end),
    )
    outcome = national_imports.import_national(
        con, [fixture.recorded, fixture.outcomes], user=DEMO_USER, progress=progress
    )
    if outcome.status != "imported":
        raise RuntimeError(
            "the synthetic national figures were refused:\n"
            + "\n".join(r.to_text() for r in outcome.reports)
        )
    return outcome.message


def ensure_demo(
    db_path: Path,
    progress: Callable[[str], None] | None = None,
    alongside_real_data: bool = False,
) -> bool:
    """Build the demo database unless it already holds loads; True when it built it. Raises
    RealForceData as `build_demo` does (a database with a real force's peer import only)."""
    con = connection.connect(db_path)
    try:
        has_loads = con.execute("SELECT count(*) FROM loads").fetchone()[0] > 0
    finally:
        con.close()
    if has_loads:
        return False
    build_demo(db_path, progress=progress, alongside_real_data=alongside_real_data)
    return True
