"""The built-in demo: synthetic extracts for fictional forces, generated and loaded once."""

import datetime as dt
import tempfile
from collections.abc import Callable
from pathlib import Path

from flightdeck import access
from flightdeck.store import connection, loads
from flightdeck.synthetic import generator

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
) -> str:
    """Generate the synthetic extracts and load them into the database; returns a summary.
    `as_of` defaults to the generator's (the end of last month)."""
    con = connection.connect(db_path)
    try:
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
        return f"{cases.message}\n{workforce.message}"
    finally:
        con.close()


def ensure_demo(db_path: Path, progress: Callable[[str], None] | None = None) -> bool:
    """Build the demo database unless it already holds loads; True when it built it."""
    con = connection.connect(db_path)
    try:
        has_loads = con.execute("SELECT count(*) FROM loads").fetchone()[0] > 0
    finally:
        con.close()
    if has_loads:
        return False
    build_demo(db_path, progress=progress)
    return True
