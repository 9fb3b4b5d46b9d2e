"""The profile's SQL: one file per figure under `sql/profile/`, run with named parameters.

The arithmetic over crimes is in those files (DuckDB); the modules of this package choose the
parameters and shape the answers. Values reach the SQL only as parameters (`$force`, ...).
"""

from functools import cache
from pathlib import Path

import duckdb
import pandas as pd

from flightdeck import resources

FOLDER = "profile"


@cache
def _text(name: str) -> str:
    return (Path(resources.sql_dir()) / FOLDER / f"{name}.sql").read_text(encoding="utf-8")


def run(con: duckdb.DuckDBPyConnection, name: str, **parameters: object) -> pd.DataFrame:
    """The rows of `sql/profile/<name>.sql` with these named parameters, as a data frame."""
    return con.execute(_text(name), parameters).df()
