"""Every setting a force may change, declared once: name, default and meaning.

`SETTINGS` is the one table of them. The README's settings table is checked against it by a
test, the Administration page shows the values in force from it, and `load_settings` reads the
environment through it. A setting that is unset or empty takes its default.
"""

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Setting:
    name: str  # the environment variable
    default: str  # as written in the environment ("" for none)
    meaning: str  # one line, as the README and the Administration page say it


DB = Setting("FLIGHTDECK_DB", "data/flightdeck.duckdb", "the database file (created owner-only)")
MAX_UPLOAD_MB = Setting("FLIGHTDECK_MAX_UPLOAD_MB", "500", "largest extract accepted")
FEASIBILITY_MIN = Setting(
    "FLIGHTDECK_FEASIBILITY_MIN", "0.8", "completeness below which a KPI is flagged `partial`"
)
SUPPRESS_COUNT_MAX = Setting(
    "FLIGHTDECK_SUPPRESS_COUNT_MAX", "4", "counts 1..N are suppressed in exports"
)
SUPPRESS_MIN_DENOMINATOR = Setting(
    "FLIGHTDECK_SUPPRESS_MIN_DENOMINATOR",
    "10",
    "rates and medians on fewer are suppressed in exports",
)
HOLD_SHARE = Setting(
    "FLIGHTDECK_HOLD_SHARE",
    "0.5",
    "a load is held as a likely wrong extract when more than this share of the force's current "
    "crimes is missing from it, or of its crimes is new",
)
LOCAL_ROLE = Setting(
    "FLIGHTDECK_LOCAL_ROLE",
    "analyst",
    "in local mode (no sign-in configured): `viewer` makes a read-only display",
)
ROLES = Setting(
    "FLIGHTDECK_ROLES",
    "config/roles.toml",
    "the roles file mapping signed-in users to viewer, analyst or admin",
)
TESTING = Setting(
    "FLIGHTDECK_TESTING",
    "",
    "tests only: `1` lets a test session choose its user; never set it on a server",
)

SETTINGS: tuple[Setting, ...] = (
    DB,
    MAX_UPLOAD_MB,
    FEASIBILITY_MIN,
    SUPPRESS_COUNT_MAX,
    SUPPRESS_MIN_DENOMINATOR,
    HOLD_SHARE,
    LOCAL_ROLE,
    ROLES,
    TESTING,
)


def value(setting: Setting, env: Mapping[str, str] | None = None) -> str:
    """The setting's text in the environment, or its default when unset or empty."""
    env = os.environ if env is None else env
    return (env.get(setting.name) or "").strip() or setting.default


@dataclass(frozen=True)
class Settings:
    db_path: Path
    max_upload_bytes: int
    feasibility_threshold: float
    suppress_count_max: int
    suppress_min_denominator: int
    hold_share: float
    roles_file: Path


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """The settings in force, read from the environment (default: this process's)."""
    return Settings(
        db_path=Path(value(DB, env)),
        max_upload_bytes=int(float(value(MAX_UPLOAD_MB, env)) * 1024 * 1024),
        feasibility_threshold=float(value(FEASIBILITY_MIN, env)),
        suppress_count_max=int(value(SUPPRESS_COUNT_MAX, env)),
        suppress_min_denominator=int(value(SUPPRESS_MIN_DENOMINATOR, env)),
        hold_share=float(value(HOLD_SHARE, env)),
        roles_file=Path(value(ROLES, env)),
    )
