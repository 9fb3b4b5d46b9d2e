"""Every setting a force may change, declared once: name, default, meaning and the values it
accepts.

`SETTINGS` is the one table of them. The README's settings table is checked against it by a
test, the Administration page shows the values in force from it, and `load_settings` reads the
environment through it. A setting that is unset or empty takes its default; one set to a value
its rule does not accept stops the product with a `SettingError` naming the setting, the value
and the rule, rather than running with a figure nobody chose.
"""

import math
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path


class SettingError(ValueError):
    """A setting holds a value its rule does not accept."""

    def __init__(self, name: str, text: str, accepts: str) -> None:
        super().__init__(f"{name} is {text!r}: it must be {accepts}")
        self.name = name


def _finite(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise ValueError(text)
    return number


def _above_zero(text: str) -> float:
    number = _finite(text)
    if number <= 0:
        raise ValueError(text)
    return number


def _share(text: str) -> float:
    number = _finite(text)
    if not 0 <= number <= 1:
        raise ValueError(text)
    return number


def _count(text: str) -> int:
    number = int(text)
    if number < 0:
        raise ValueError(text)
    return number


def _at_least(least: int, text: str) -> int:
    number = int(text)
    if number < least:
        raise ValueError(text)
    return number


# DuckDB's own size units: "2GB", "1.5 GiB", "800MB".
_SIZE = re.compile(r"\s*\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KIB|MIB|GIB|TIB)\s*", re.IGNORECASE)


def _size(text: str) -> str:
    if not _SIZE.fullmatch(text):
        raise ValueError(text)
    return text.replace(" ", "").upper()


def _one_of(*accepted: str) -> Callable[[str], str]:
    def parse(text: str) -> str:
        if text.lower() not in accepted:
            raise ValueError(text)
        return text.lower()

    return parse


@dataclass(frozen=True)
class Setting:
    name: str  # the environment variable
    default: str  # as written in the environment ("" for none)
    meaning: str  # one line, as the README and the Administration page say it
    accepts: str  # the values allowed, as the README and the error message say it
    parse: Callable[[str], object]  # the value from the text; ValueError when not accepted


MEMORY_LIMIT = Setting(
    "FLIGHTDECK_MEMORY_LIMIT",
    "2GB",
    "the most memory DuckDB may use for a load, a refresh or a page; beyond it, work spills to "
    "the temporary folder",
    "a size such as 2GB, 1500MB or 4GiB",
    _size,
)
TEMP_DIR = Setting(
    "FLIGHTDECK_TEMP_DIR",
    "",
    "the folder (created owner-only) where DuckDB spills work that does not fit in memory; "
    "unset: beside the database file (`<database>.tmp`), or a private system temporary folder "
    "for a check without a database",
    "a folder path, or unset",
    lambda text: Path(text) if text else None,
)
DB = Setting(
    "FLIGHTDECK_DB",
    "data/flightdeck.duckdb",
    "the database file (created owner-only)",
    "a file path",
    Path,
)
MAX_UPLOAD_MB = Setting(
    "FLIGHTDECK_MAX_UPLOAD_MB",
    "500",
    "largest extract accepted",
    "a number of megabytes above 0",
    _above_zero,
)
FEASIBILITY_MIN = Setting(
    "FLIGHTDECK_FEASIBILITY_MIN",
    "0.8",
    "completeness below which a KPI is flagged `partial`",
    "a share from 0 to 1",
    _share,
)
SUPPRESS_COUNT_MAX = Setting(
    "FLIGHTDECK_SUPPRESS_COUNT_MAX",
    "4",
    "counts from 1 to N, and rates with 1 to N crimes counted or not counted, are suppressed "
    "in exports and board packs",
    "a whole number, 0 or more",
    _count,
)
SUPPRESS_MIN_DENOMINATOR = Setting(
    "FLIGHTDECK_SUPPRESS_MIN_DENOMINATOR",
    "10",
    "rates and medians on fewer crimes are suppressed in exports and board packs",
    "a whole number, 0 or more",
    _count,
)
HOLD_SHARE = Setting(
    "FLIGHTDECK_HOLD_SHARE",
    "0.5",
    "a load is held as a likely wrong extract when more than this share of the crimes of the "
    "force's previous load is missing from it, or of its crimes is new",
    "a share from 0 to 1",
    _share,
)
SPC_TREND_POINTS = Setting(
    "FLIGHTDECK_SPC_TREND_POINTS",
    "7",
    "how many months rising (or falling) in a row make a trend signal on SPC charts",
    "7, or 6 as the Making Data Count tool allows",
    lambda text: int(_one_of("6", "7")(text)),
)
SPC_SCREEN_OUTLIERS = Setting(
    "FLIGHTDECK_SPC_SCREEN_OUTLIERS",
    "off",
    "`on` leaves out month-to-month changes of 3.267 times the average or more when working "
    "out SPC limits (NHSRplotthedots' screening; off, as in the Making Data Count tool)",
    "on or off",
    lambda text: _one_of("on", "off")(text) == "on",
)
SPC_WARMUP_MONTHS = Setting(
    "FLIGHTDECK_SPC_WARMUP_MONTHS",
    "24",
    "the first months of a force's history, distorted by where the extract starts, that SPC "
    "charts draw but never analyse or use as a baseline (twice as many for the open-case "
    "snapshots K06 and K21)",
    "a whole number, 0 or more",
    _count,
)
SPC_BASELINE_POINTS = Setting(
    "FLIGHTDECK_SPC_BASELINE_POINTS",
    "12",
    "how many complete months after the warm-up (or a change point) set the SPC average and "
    "limits, which then stay fixed",
    "a whole number, 12 or more",
    lambda text: _at_least(12, text),
)
ETHNICITY_THRESHOLD = Setting(
    "FLIGHTDECK_ETHNICITY_THRESHOLD",
    "0.8",
    "completeness of victim ethnicity below which the problem profile shows no breakdown by "
    "ethnicity",
    "a share from 0 to 1",
    _share,
)
CHROMIUM = Setting(
    "FLIGHTDECK_CHROMIUM",
    "/usr/bin/chromium",
    "the Chromium that prints the board pack as a PDF on this machine (Debian's `chromium`)",
    "a file path",
    Path,
)
LOCAL_ROLE = Setting(
    "FLIGHTDECK_LOCAL_ROLE",
    "analyst",
    "in local mode (no sign-in configured): `viewer` makes a read-only display",
    "analyst or viewer (admin needs sign-in)",
    _one_of("analyst", "viewer"),
)
ROLES = Setting(
    "FLIGHTDECK_ROLES",
    "config/roles.toml",
    "the roles file mapping signed-in users to viewer, analyst or admin",
    "a file path",
    Path,
)
TESTING = Setting(
    "FLIGHTDECK_TESTING",
    "",
    "tests only: `1` lets a test session choose its user; never set it on a server",
    "1, or unset",
    _one_of("", "1"),
)

SETTINGS: tuple[Setting, ...] = (
    DB,
    MAX_UPLOAD_MB,
    FEASIBILITY_MIN,
    SUPPRESS_COUNT_MAX,
    SUPPRESS_MIN_DENOMINATOR,
    HOLD_SHARE,
    SPC_TREND_POINTS,
    SPC_SCREEN_OUTLIERS,
    SPC_WARMUP_MONTHS,
    SPC_BASELINE_POINTS,
    ETHNICITY_THRESHOLD,
    MEMORY_LIMIT,
    TEMP_DIR,
    CHROMIUM,
    LOCAL_ROLE,
    ROLES,
    TESTING,
)


def value(setting: Setting, env: Mapping[str, str] | None = None) -> str:
    """The setting's text in the environment, or its default when unset or empty."""
    env = os.environ if env is None else env
    return (env.get(setting.name) or "").strip() or setting.default


def parsed(setting: Setting, env: Mapping[str, str] | None = None) -> object:
    """The setting's value in force, read by its rule; raises SettingError when the
    environment holds a value the rule does not accept."""
    text = value(setting, env)
    try:
        return setting.parse(text)
    except ValueError:
        raise SettingError(setting.name, text, setting.accepts) from None


@dataclass(frozen=True)
class Settings:
    db_path: Path
    max_upload_bytes: int
    feasibility_threshold: float
    suppress_count_max: int
    suppress_min_denominator: int
    hold_share: float
    roles_file: Path
    ethnicity_threshold: float
    memory_limit: str = MEMORY_LIMIT.default
    temp_dir: Path | None = None


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """The settings in force, read from the environment (default: this process's).

    Every setting in SETTINGS is checked, also those read elsewhere (the local role, the test
    switch), so a mistyped value is reported wherever the product starts. Raises SettingError
    for the first setting whose value its rule does not accept.
    """
    env = os.environ if env is None else env
    values = {setting.name: parsed(setting, env) for setting in SETTINGS}
    return Settings(
        db_path=values[DB.name],
        max_upload_bytes=int(values[MAX_UPLOAD_MB.name] * 1024 * 1024),
        feasibility_threshold=values[FEASIBILITY_MIN.name],
        suppress_count_max=values[SUPPRESS_COUNT_MAX.name],
        suppress_min_denominator=values[SUPPRESS_MIN_DENOMINATOR.name],
        hold_share=values[HOLD_SHARE.name],
        roles_file=values[ROLES.name],
        ethnicity_threshold=values[ETHNICITY_THRESHOLD.name],
        memory_limit=values[MEMORY_LIMIT.name],
        temp_dir=values[TEMP_DIR.name],
    )
