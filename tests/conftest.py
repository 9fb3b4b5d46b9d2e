"""Fixtures shared by the tests (helpers that tests import live in tests/helpers/)."""

from pathlib import Path

import duckdb
import pytest

from flightdeck.store.connection import connect


@pytest.fixture
def store(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    """An empty store in a temporary file."""
    con = connect(tmp_path / "test.duckdb")
    yield con
    con.close()
