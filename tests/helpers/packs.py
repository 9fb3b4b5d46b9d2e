"""Databases for board pack tests (a synthetic force with months of data, and a real force with a
handful of crimes), and reading a pack's PDF page by page."""

import datetime as dt
import io
from pathlib import Path

from pypdf import PdfReader

from flightdeck.engine import refresh
from flightdeck.store.connection import connect
from flightdeck.synthetic import demo
from helpers.store import insert_case_load

AS_OF = dt.date(2025, 6, 30)
DEMO_FORCE, REAL_FORCE = "demo-northmoor", "cheshire"


def build_demo_db(path: Path) -> Path:
    """One synthetic force (demo-northmoor) over 30 months to June 2025."""
    demo.build_demo(
        path, forces=1, months=30, crimes_per_month=30, seed=5, as_of=AS_OF, warmup_months=0
    )
    return path


def build_real_db(path: Path) -> Path:
    """A real force (cheshire) with three crimes in May 2025: every figure is a small number."""
    con = connect(path)
    crimes = [
        {"force": REAL_FORCE, "crime_id": f"C{i}", "recorded_date": f"2025-05-{10 + i:02d}",
         "offence_code": "19C", "victim_age": 30, "victim_gender": "female"}
        for i in range(3)
    ]  # fmt: skip
    insert_case_load(con, crimes, as_of=str(AS_OF))
    refresh.refresh(con)
    con.close()
    return path


def pdf_pages(data: bytes) -> list[str]:
    """The text of each page of a PDF."""
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]
