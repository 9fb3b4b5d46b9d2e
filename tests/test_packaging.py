"""The product works as a built wheel, installed in a fresh environment away from the checkout.

The wheel is built from the checkout and installed into a new virtual environment in a temporary
folder; the installed `flightdeck` command then builds the demo database and writes the KPI
results and the feasibility flags from an empty folder, with nothing in the environment pointing
at the checkout. That proves the wheel carries the KPI definitions, the shared SQL and the
reference CSVs (under `flightdeck/_resources/`) and that the installed package reads its own
copies, not the checkout's folders.
"""

import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

# The catalogue's 21 KPIs, written out so a KPI lost in packaging cannot go unnoticed.
KPI_IDS = {
    "K01", "K02", "K03", "K04", "K05", "K06", "K07", "K08", "K09", "K10", "K11",
    "K12", "K13", "K14", "K15", "K16", "K17", "K18", "K19", "K20", "K21",
}  # fmt: skip
# The supplementary measures of suspect management, computed beside the 21.
SUPPLEMENTARY_IDS = {"S01", "S02", "S03", "S04", "S05", "S06"}

# Files from each of the three packed folders; one missing means a force-include went wrong.
PACKED_FILES = (
    "kpis/k01_recorded_crimes.sql",
    "kpis/k01_recorded_crimes.yaml",
    "sql/kpi_rows.sql",
    "data/reference/forces.csv",
    "data/reference/force_populations.csv",
    "data/reference/force_names.csv",
    "data/reference/partner_measures.csv",
    "data/reference/harm_weights.csv",
    "data/reference/rfg_score.toml",
    "sql/suspects/suspect_crimes.sql",
    "data/national/synthetic-recorded-crime.ods",
    "data/national/synthetic-crime-outcomes.ods",
)

# Building and installing fetch from the package index when uv's cache is cold; the demo build
# takes up to a minute. Generous, so a slow machine does not fail the test.
INSTALL_TIMEOUT = 900
COMMAND_TIMEOUT = 600


def uv_command() -> list[str]:
    """A way to run uv: the test's own Python may not have it, the shell's python3 does."""
    for candidate in ([sys.executable, "-m", "uv"], ["python3", "-m", "uv"]):
        try:
            found = subprocess.run(
                [*candidate, "--version"], capture_output=True, text=True, timeout=60
            )
        except (OSError, subprocess.TimeoutExpired):
            continue
        if found.returncode == 0:
            return candidate
    if shutil.which("uv"):
        return ["uv"]
    # ./scripts/test installs uv before the tests run, so its absence is a broken setup.
    pytest.fail("uv is not available (neither `python -m uv` nor `uv` on PATH)")


def clean_env() -> dict[str, str]:
    """The environment without anything that could lead the installed product to the checkout:
    no PYTHONPATH, no active virtualenv, no flightdeck settings, nothing naming the repo."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")
        and not key.startswith("FLIGHTDECK_")
        and str(REPO) not in value
    }
    # PATH may name the checkout's .venv/bin; keep PATH itself but without those entries.
    env["PATH"] = os.pathsep.join(
        part for part in os.environ.get("PATH", "").split(os.pathsep) if str(REPO) not in part
    )
    return env


def run(args: list, cwd: Path, timeout: float = COMMAND_TIMEOUT) -> subprocess.CompletedProcess:
    """Run a command and fail with its output when it does not exit 0."""
    args = [str(a) for a in args]
    done = subprocess.run(
        args, cwd=cwd, env=clean_env(), capture_output=True, text=True, timeout=timeout
    )
    assert done.returncode == 0, (
        f"`{' '.join(args)}` (in {cwd}) exited {done.returncode}\n"
        f"--- stdout ---\n{done.stdout}\n--- stderr ---\n{done.stderr}"
    )
    return done


def is_inside(path: Path, folder: Path) -> bool:
    return path.resolve().is_relative_to(folder.resolve())


@pytest.fixture(scope="module")
def venv(tmp_path_factory) -> Path:
    """A fresh virtual environment, outside the checkout, with the built wheel installed."""
    uv = uv_command()
    base = tmp_path_factory.mktemp("packaging")
    assert not is_inside(base, REPO), "the temporary folder must be outside the checkout"

    dist = base / "dist"
    run([*uv, "build", "--wheel", "--out-dir", dist], cwd=REPO, timeout=INSTALL_TIMEOUT)
    wheels = sorted(dist.glob("flightdeck-*.whl"))
    assert len(wheels) == 1, f"expected one wheel in {dist}, found {wheels}"

    # uv runs from the temporary folder so it does not pick up the checkout's project settings;
    # the same Python version as the test's, found locally (only the package index is reachable).
    version = ".".join(map(str, sys.version_info[:3]))
    env_dir = base / "venv"
    run(
        [*uv, "venv", env_dir, "--python", version, "--no-python-downloads"],
        cwd=base,
        timeout=INSTALL_TIMEOUT,
    )
    python = env_dir / "bin" / "python"
    run([*uv, "pip", "install", "--python", python, wheels[0]], cwd=base, timeout=INSTALL_TIMEOUT)
    assert (env_dir / "bin" / "flightdeck").is_file(), "the wheel did not install its command"
    return env_dir


def read_kpi_ids(path: Path) -> list[str]:
    with path.open(newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        assert "kpi_id" in (reader.fieldnames or []), f"{path} has no kpi_id column"
        return [row["kpi_id"] for row in reader]


def test_installed_command_builds_the_demo_and_writes_all_21_kpis(venv, tmp_path):
    # An empty working folder: nothing of the checkout is beside the command.
    away = tmp_path / "away"
    away.mkdir()
    flightdeck = venv / "bin" / "flightdeck"
    db = away / "demo.duckdb"

    run([flightdeck, "demo", "--db", db, "--quiet"], cwd=away)
    assert db.is_file()

    kpis = away / "kpis.csv"
    run([flightdeck, "kpis", "--db", db, "--out", kpis], cwd=away)
    written = set(read_kpi_ids(kpis))
    assert written >= KPI_IDS and written - KPI_IDS <= SUPPLEMENTARY_IDS  # the 21, and S rows

    feasibility = away / "feasibility.csv"
    run([flightdeck, "feasibility", "--db", db, "--out", feasibility], cwd=away)
    # one row per force and measure: all 21 and S01..S06
    assert set(read_kpi_ids(feasibility)) == KPI_IDS | SUPPLEMENTARY_IDS

    # The suspect lists read their SQL, harm weights and score bands from the package too.
    month = run(
        [venv / "bin" / "python", "-c", LATEST_ENDED_MONTH, db, "demo-northmoor"], cwd=away
    ).stdout.strip()
    listed = run(
        [flightdeck, "suspects", "--db", db, "--force", "demo-northmoor", "--month", month,
         "--list", "rfg"],
        cwd=away,
    ).stdout.splitlines()  # fmt: skip
    assert listed[0].startswith("OFFICIAL-SENSITIVE: pseudonymised suspect list")
    assert listed[1].endswith(",breaches,score") and len(listed) == 12, listed


# The latest month (YYYY-MM) that has ended by a force's as-of date, read with DuckDB alone.
LATEST_ENDED_MONTH = """
import sys, duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
print(con.execute(
    "SELECT strftime(date_trunc('month', max(as_of) + 1) - INTERVAL 1 MONTH, '%Y-%m') "
    "FROM loads WHERE active AND kind = 'cases' AND list_contains(forces, ?)", [sys.argv[2]]
).fetchone()[0])
"""


def test_installed_package_reads_its_own_packed_files(venv, tmp_path):
    away = tmp_path / "away"
    away.mkdir()
    done = run(
        [venv / "bin" / "python", "-c", "import flightdeck.resources as r; print(r.root())"],
        cwd=away,
    )
    root = Path(done.stdout.strip())

    # The definitions come from the installed package, not from the checkout's folders.
    assert is_inside(root, venv), f"resources root {root} is not inside {venv}"
    assert not is_inside(root, REPO), f"resources root {root} is in the checkout"
    assert "site-packages" in root.parts, root
    missing = [name for name in PACKED_FILES if not (root / name).is_file()]
    assert not missing, f"not in the installed package under {root}: {missing}"
