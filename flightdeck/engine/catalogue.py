"""The KPI catalogue: each KPI's YAML metadata beside its SQL file in `kpis/`.

A KPI is two files with one name, `kNN_<what it measures>.yaml` and `.sql` (as a dbt model keeps
its `.yml` beside its `.sql`): the YAML says what the KPI is (id, name, pillar, kind, unit,
direction, required columns, breakdowns, the definition in words); the SQL selects the facts it
counts. A supplementary measure of suspect management (`S01`..`S06`) is two files `sNN_<what>`
of the same shape, run by the same engine into the same results table, and shown in its own
section beside the flight deck's 21, never among them. The catalogue refuses to load, naming
the file, when either half is missing, a field is missing or not allowed, or there are no KPIs
at all: an empty or partial catalogue would show a force nothing and say nothing.
"""

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

from flightdeck import resources

KINDS = ("rate", "count", "median")
# The sections a measure is shown in: the national flight deck's 21 KPIs, and the supplementary
# measures of suspect management beside them. The YAML names it; the id's letter must agree.
FLIGHT_DECK = "flight_deck"
SUSPECT_MANAGEMENT = "suspect_management"
SECTIONS = {FLIGHT_DECK: "K", SUSPECT_MANAGEMENT: "S"}
SECTION_TITLES = {FLIGHT_DECK: "Flight deck", SUSPECT_MANAGEMENT: "Suspect management"}
DIRECTIONS = ("up", "down", "neutral")
_REQUIRED_FIELDS = ("id", "name", "pillar", "kind", "unit", "direction", "definition")


class CatalogueError(RuntimeError):
    """The KPI definitions are missing or broken; the message names the file."""


@dataclass(frozen=True)
class KPI:
    """One KPI of the catalogue, as declared in its YAML file beside its SQL file."""

    id: str
    name: str
    pillar: str
    kind: str  # rate, count or median: how the results row is filled in
    unit: str
    direction: str  # up (higher is better), down, neutral
    requires: tuple[str, ...]  # case columns that must not be entirely blank
    expected_where: dict | None = field(hash=False)  # column, where, described_as
    force_level: bool  # force totals only, no age or gender breakdown
    cohort_days: int | None  # cohort KPIs: crimes recorded in the month, within N days
    definition: str
    sql_path: Path
    basis: str = ""  # what places a crime in a month, in words
    uses_workforce: bool = False
    # A month's rows are complete once month end + this many days <= as_of (None: always).
    complete_after_days: int | None = None
    parameters: dict = field(default_factory=dict, hash=False)  # named values the SQL uses
    section: str = FLIGHT_DECK  # flight_deck (the 21) or suspect_management (S01..S06)
    counted: str = ""  # the YAML's `noun`: what the counts count, when not crimes or suspects

    @property
    def supplementary(self) -> bool:
        """A supplementary measure (suspect management), not one of the flight deck's 21."""
        return self.section == SUSPECT_MANAGEMENT

    @property
    def sql(self) -> str:
        """The KPI's SQL file: the facts it counts."""
        return self.sql_path.read_text()

    @property
    def noun(self) -> str:
        """What the KPI's counts count: as the YAML's `noun` says (S04: applications), else
        suspects for a count of suspects, investigators for a workforce rate, else crimes."""
        if self.counted:
            return self.counted
        if self.unit == "suspects":
            return "suspects"
        return "investigators" if self.uses_workforce else "crimes"

    @property
    def is_snapshot(self) -> bool:
        """A state at month end (K06, K21): the same open crime is in every month end."""
        return "snapshot" in self.basis.lower()

    @property
    def over_months(self) -> str | None:
        """How figures of several months make one: "mean" of the month ends for a snapshot
        (never a sum), "sum" of numerators and denominators for a flow (a count or a rate),
        None for a median (never pooled)."""
        if self.kind == "median":
            return None
        return "mean" if self.is_snapshot else "sum"


def _read_yaml(path: Path) -> dict:
    try:
        meta = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise CatalogueError(f"{path.name} is not valid YAML: {exc}") from None
    if not isinstance(meta, dict):
        raise CatalogueError(f"{path.name} must be a mapping of the KPI's fields")
    missing = [f for f in _REQUIRED_FIELDS if not meta.get(f)]
    if missing:
        raise CatalogueError(f"{path.name} lacks {', '.join(missing)}")
    if meta["kind"] not in KINDS:
        raise CatalogueError(f"{path.name}: kind must be one of {', '.join(KINDS)}")
    if meta["direction"] not in DIRECTIONS:
        raise CatalogueError(f"{path.name}: direction must be one of {', '.join(DIRECTIONS)}")
    section = meta.setdefault("section", FLIGHT_DECK)
    if section not in SECTIONS:
        raise CatalogueError(f"{path.name}: section must be one of {', '.join(SECTIONS)}")
    if not str(meta["id"]).startswith(SECTIONS[section]):
        raise CatalogueError(
            f"{path.name}: a {section} id starts with {SECTIONS[section]}, not {meta['id']}"
        )
    return meta


def kpi_from_files(path: Path) -> KPI:
    """The KPI declared by a YAML file and the SQL file of the same name beside it."""
    meta = _read_yaml(path)
    sql_path = path.with_suffix(".sql")
    if not sql_path.is_file():
        raise CatalogueError(f"{meta['id']}: {sql_path.name} is missing beside {path.name}")
    parameters = dict(meta.get("parameters") or {})
    cohort_days = meta.get("cohort_days")
    if cohort_days is not None:
        parameters["cohort_days"] = cohort_days
    return KPI(
        id=meta["id"],
        name=meta["name"],
        pillar=meta["pillar"],
        kind=meta["kind"],
        unit=meta["unit"],
        direction=meta["direction"],
        requires=tuple(meta.get("requires") or ()),
        expected_where=meta.get("expected_where"),
        force_level=meta.get("breakdowns", "full") == "force_level",
        cohort_days=cohort_days,
        definition=meta["definition"].format(**parameters),
        sql_path=sql_path,
        basis=meta.get("basis", ""),
        uses_workforce=bool(meta.get("uses_workforce", False)),
        # A cohort's month is complete once its N days have passed after the month end.
        complete_after_days=(
            cohort_days if meta.get("complete_after_days") is None else meta["complete_after_days"]
        ),
        parameters=parameters,
        section=meta["section"],
        counted=str(meta.get("noun") or ""),
    )


def _definition_files(folder: Path, suffix: str) -> list[Path]:
    """The KPIs' (k*) and supplementary measures' (s*) files of one suffix in the folder."""
    return [p for pattern in ("k*", "s*") for p in folder.glob(pattern + suffix)]


def read_catalogue(folder: Path) -> tuple[KPI, ...]:
    """Every KPI and supplementary measure in the folder, sorted by id (K before S); raises
    CatalogueError for a broken or empty one."""
    if not folder.is_dir():
        raise CatalogueError(f"the KPI folder {folder} is missing")
    stray = sorted(
        p.name for p in _definition_files(folder, ".sql") if not p.with_suffix(".yaml").is_file()
    )
    if stray:
        raise CatalogueError(f"no metadata (.yaml) beside {', '.join(stray)} in {folder.name}/")
    kpis = sorted(
        (kpi_from_files(p) for p in _definition_files(folder, ".yaml")), key=lambda k: k.id
    )
    if not kpis:
        raise CatalogueError(f"the KPI folder {folder} holds no KPI definitions")
    ids = [k.id for k in kpis]
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        raise CatalogueError(f"KPI ids declared twice: {', '.join(repeated)}")
    return tuple(kpis)


@cache
def _catalogue() -> tuple[KPI, ...]:
    return read_catalogue(resources.kpi_dir())


def catalogue() -> list[KPI]:
    """The flight deck's 21 KPIs, sorted by id (read once, then cached)."""
    return [k for k in _catalogue() if not k.supplementary]


def supplementary() -> list[KPI]:
    """The supplementary measures of suspect management (S01..S06), sorted by id."""
    return [k for k in _catalogue() if k.supplementary]


def measures() -> list[KPI]:
    """Everything the engine computes into the results table: the 21 KPIs, then S01..S06."""
    return list(_catalogue())


def by_id() -> dict[str, KPI]:
    """Every KPI and supplementary measure by id."""
    return {k.id: k for k in _catalogue()}


def kinds() -> dict[str, str]:
    """kpi_id -> count, rate or median, for every KPI and supplementary measure."""
    return {k.id: k.kind for k in _catalogue()}
