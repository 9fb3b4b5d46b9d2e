"""Where the product's own files live, found relative to the package."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SQL_DIR = ROOT / "sql"
KPI_META_DIR = ROOT / "kpis"
DATA_DIR = ROOT / "data"
REFERENCE_DIR = DATA_DIR / "reference"
DEFAULT_DB = DATA_DIR / "flightdeck.duckdb"
