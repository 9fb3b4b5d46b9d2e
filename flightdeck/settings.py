"""Settings a force may change, read from the environment with sensible defaults.

FLIGHTDECK_DB                 path of the DuckDB file (default data/flightdeck.duckdb)
FLIGHTDECK_MAX_UPLOAD_MB      largest extract accepted, in MB (default 500)
FLIGHTDECK_FEASIBILITY_MIN    completeness below which a KPI is only `partial` (default 0.8)
FLIGHTDECK_SUPPRESS_COUNT_MAX counts from 1 to this are suppressed on export (default 4)
FLIGHTDECK_SUPPRESS_MIN_DENOMINATOR rates and medians with a smaller denominator are
                              suppressed on export (default 10)
"""

import os
from dataclasses import dataclass
from pathlib import Path

from flightdeck.paths import DEFAULT_DB


@dataclass(frozen=True)
class Settings:
    db_path: Path
    max_upload_bytes: int
    feasibility_threshold: float
    suppress_count_max: int
    suppress_min_denominator: int


def load_settings() -> Settings:
    """Settings from the environment, falling back to the defaults above."""
    env = os.environ
    return Settings(
        db_path=Path(env.get("FLIGHTDECK_DB", str(DEFAULT_DB))),
        max_upload_bytes=int(float(env.get("FLIGHTDECK_MAX_UPLOAD_MB", "500")) * 1024 * 1024),
        feasibility_threshold=float(env.get("FLIGHTDECK_FEASIBILITY_MIN", "0.8")),
        suppress_count_max=int(env.get("FLIGHTDECK_SUPPRESS_COUNT_MAX", "4")),
        suppress_min_denominator=int(env.get("FLIGHTDECK_SUPPRESS_MIN_DENOMINATOR", "10")),
    )
