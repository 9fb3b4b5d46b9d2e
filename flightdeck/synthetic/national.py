"""Synthetic published national figures, in the Home Office's open-data layout: a recorded
crime table and an outcomes table, one sheet per financial year after a Cover sheet that says
the numbers are SYNTHETIC, for the 43 territorial forces and the demo forces.

The numbers are made up, deterministically from the seed and the as-of date, with plausible
volumes: rape at 60 to 130 a year per 100,000 people and other sexual offences 1.5 to 2 times
that, varying between forces more than chance alone would; outcome shares of about 3-8 %
charge or summons, 30-45 % victim does not support (14, 16), 15-25 % evidential difficulties
(15), the rest other outcomes. Sizes come from data/reference/force_populations.csv (a force
without a row gets FALLBACK_POPULATION). A few rows of other offences show that they are
skipped. `anchors` (the demo's own figures) set a force's volume and outcome shares instead.

The product ships the files written by `write_shipped_fixture` under data/national/.
"""

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from flightdeck import files, resources
from flightdeck.national import columns as col
from flightdeck.national import figures, measures
from flightdeck.national.figures import quarter_label
from flightdeck.reference import load_reference
from flightdeck.vocabulary import OTHER_SEXUAL, RAPE

RECORDED_FILE, OUTCOMES_FILE = "synthetic-recorded-crime", "synthetic-crime-outcomes"
SHIPPED_AS_OF = dt.date(2024, 6, 30)  # the shipped files: 2023/24 and Q1 of 2024/25
SHIPPED_SEED = 2024
FALLBACK_POPULATION = 1_000_000
COVER = (
    "SYNTHETIC figures: made up by the RASSO flight deck for its tests and demo. "
    "These are not Home Office figures and describe no real force."
)
SEXUAL = "Sexual offences"
# Real Home Office codes: (code, description, subgroup, share of its group's crimes).
OFFENCES = (
    ("19C", "Rape of a female aged 16 and over", "Rape offences", 0.7),
    ("19D", "Rape of a female aged under 16", "Rape offences", 0.3),
    ("20A", "Sexual assault on a female aged 13 and over", "Other sexual offences", 0.6),
    ("22B", "Sexual activity involving a child under 16", "Other sexual offences", 0.4),
)
OTHER_OFFENCES = (
    ("34B", "Robbery of personal property", "Robbery", "Robbery of personal property"),
)
OTHER_OFFENCE_FORCES = 3  # forces with a row of another offence in each quarter
# The outcome types written, with their Outcome Group (the description is the reference's).
OUTCOME_TYPES = {
    "1": "Charged/Summonsed",
    "14": "Evidential difficulties",
    "15": "Evidential difficulties",
    "16": "Evidential difficulties",
    "18": "Investigation complete",
    "21": "Not in the public interest",
}
SPLIT = (
    "Force outcomes for offences recorded in quarter",
    "Force outcomes for offences recorded in previous quarters",
)


@dataclass
class NationalFixture:
    recorded: Path
    outcomes: Path
    quarters: list[dt.date]  # the quarters written (their first days), oldest first


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def latest_complete_quarter(as_of: dt.date) -> dt.date:
    """The first day of the latest financial quarter that ends on or before `as_of`."""
    # Financial quarters start in April, July, October and January, as calendar ones do.
    start = dt.date(as_of.year, as_of.month - (as_of.month - 1) % 3, 1)
    ends = _add_months(start, 3) - dt.timedelta(days=1)
    return start if as_of >= ends else _add_months(start, -3)


def _quarters(as_of: dt.date, years: int) -> list[dt.date]:
    """The quarters of `years` financial years, up to the latest complete one."""
    last = latest_complete_quarter(as_of)
    day = dt.date(last.year - (last.month < 4) - (years - 1), 4, 1)
    out = []
    while day <= last:
        out.append(day)
        day = _add_months(day, 3)
    return out


def _published_name(force: str, name: str) -> str:
    special = {
        "city-of-london": "London, City of",
        "hampshire": "Hampshire",
        "metropolitan": "Metropolitan Police",
    }
    if force in special:
        return special[force]
    for suffix in (" Police Service", " Constabulary", " Police"):
        name = name.replace(suffix, "")
    return name


def _forces() -> pd.DataFrame:
    """force, published name, population: the territorial forces, then the demo forces."""
    forces = load_reference().forces
    forces = forces[forces["id"] != "btp"]
    path = resources.reference_dir() / "force_populations.csv"
    sizes = pd.read_csv(path, dtype={"force": str}) if path.is_file() else pd.DataFrame()
    size = dict(zip(sizes.get("force", []), sizes.get("population", []), strict=True))
    return pd.DataFrame(
        {
            "force": forces["id"].to_numpy(),
            "name": [
                _published_name(f, n) for f, n in zip(forces["id"], forces["name"], strict=True)
            ],
            "population": [int(size.get(f, FALLBACK_POPULATION)) for f in forces["id"]],
        }
    )


def _profiles(rng, forces: pd.DataFrame, anchors: pd.DataFrame | None) -> pd.DataFrame:
    """Each force's yearly crimes per group and its outcome shares."""
    n = len(forces)
    rape_rate = np.clip(rng.lognormal(np.log(92), 0.2, n), 60, 130)
    per_year = forces["population"].to_numpy() / 100_000 * rape_rate
    p = pd.DataFrame(
        {
            "force": forces["force"],
            RAPE: per_year,
            OTHER_SEXUAL: per_year * rng.uniform(1.5, 2.0, n),
            "1": rng.uniform(0.03, 0.08, n),
            "vns": rng.uniform(0.30, 0.45, n),
            "15": rng.uniform(0.15, 0.25, n),
            "outcomes": 0.95,
        }
    )
    if anchors is not None:
        p = _anchored(p, anchors)
    p["14"], p["16"] = p["vns"] * 0.3, p["vns"] * 0.7
    rest = (1 - p[["1", "vns", "15"]].sum(axis=1)).clip(lower=0)
    p["18"], p["21"] = rest * 0.6, rest * 0.4
    return p.drop(columns="vns")


def _anchored(p: pd.DataFrame, anchors: pd.DataFrame) -> pd.DataFrame:
    """Volumes and shares set from `anchors` (force, measure, numerator, denominator: a
    year's own figures), where it has them."""
    p = p.set_index("force")
    # Volumes first: the outcomes' volume is set relative to them.
    anchors = anchors.sort_values("measure", key=lambda m: m != "recorded", kind="stable")
    for row in anchors.itertuples(index=False):
        if row.force not in p.index:
            continue
        if row.measure == "recorded":
            total = p.loc[row.force, [RAPE, OTHER_SEXUAL]].sum()
            p.loc[row.force, [RAPE, OTHER_SEXUAL]] *= row.numerator / total
        elif row.denominator > 0:
            column = {"charge": "1", "victim_not_support": "vns", "evidential": "15"}[row.measure]
            p.loc[row.force, column] = row.numerator / row.denominator
            recorded = p.loc[row.force, [RAPE, OTHER_SEXUAL]].sum()
            p.loc[row.force, "outcomes"] = row.denominator / recorded if recorded else 0.0
    return p.reset_index()


def fixture_tables(
    as_of: dt.date, seed: int, years: int = 2, anchors: pd.DataFrame | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The recorded crime and the outcomes rows, in the published columns."""
    rng = np.random.default_rng([seed, 7_001])
    forces = _forces()
    profiles = _profiles(rng, forces, anchors).set_index("force")
    types = load_reference().outcome_types
    titles = dict(zip(types["code"], types["title"], strict=True))
    recorded, outcomes = [], []

    def outcome(offence: list, kind: str, n: int) -> None:
        in_quarter = int(rng.binomial(n, 0.35))  # the rest: offences of earlier quarters
        outcomes.append([*offence, titles[kind], OUTCOME_TYPES[kind], kind, in_quarter,
                         n - in_quarter])  # fmt: skip

    for start in _quarters(as_of, years):
        label = quarter_label(start)
        year, q = label[:7], int(label[-1])
        season = 1 + 0.06 * np.cos((q - 2) * np.pi / 2)  # a summer peak
        for index, (force, name) in enumerate(zip(forces["force"], forces["name"], strict=True)):
            prof = profiles.loc[force]
            shares = np.array([prof[t] for t in OUTCOME_TYPES])
            for code, text, subgroup, share in OFFENCES:
                offence = [year, q, name, text, SEXUAL, subgroup, code]
                mean = prof[RAPE if subgroup.startswith("Rape") else OTHER_SEXUAL] / 4
                mean *= season * share
                recorded.append([*offence, int(rng.poisson(mean))])
                given = rng.multinomial(rng.poisson(mean * prof["outcomes"]), shares / shares.sum())
                for kind, n in zip(OUTCOME_TYPES, given, strict=True):
                    if n:
                        outcome(offence, kind, int(n))
            if index < OTHER_OFFENCE_FORCES:
                for code, text, group, subgroup in OTHER_OFFENCES:
                    offence = [year, q, name, text, group, subgroup, code]
                    recorded.append([*offence, int(rng.poisson(40))])
                    outcome(offence, "1", 1 + int(rng.poisson(4)))
    recorded_columns = [*col.DESCRIPTIVE, col.OFFENCES]
    outcome_columns = [*col.DESCRIPTIVE, *col.OUTCOME_OPTIONAL, col.OUTCOME_TYPE, *SPLIT]
    return (
        pd.DataFrame(recorded, columns=recorded_columns),
        pd.DataFrame(outcomes, columns=outcome_columns),
    )


def _write(path: Path, frame: pd.DataFrame, fmt: str) -> Path:
    if fmt == "csv":
        with files.create_owner_only(path) as handle:
            frame.to_csv(handle, index=False)
        return path
    engine = {"ods": "odf", "xlsx": "openpyxl"}[fmt]
    with (
        files.create_owner_only(path, binary=True) as handle,
        pd.ExcelWriter(handle, engine=engine) as book,
    ):
        pd.DataFrame([[COVER]]).to_excel(book, sheet_name="Cover", header=False, index=False)
        for year, rows in frame.groupby(col.YEAR, sort=True):
            rows.to_excel(book, sheet_name=year.replace("/", "_"), index=False)
    return path


def write_national_fixture(
    folder: Path,
    *,
    as_of: dt.date = SHIPPED_AS_OF,
    seed: int = SHIPPED_SEED,
    years: int = 2,
    fmt: str = "ods",
    anchors: pd.DataFrame | None = None,
) -> NationalFixture:
    """Write the two tables (ODS or XLSX: a Cover sheet, then a sheet per financial year; CSV:
    one table each) into `folder`, owner-only; `years` financial years ending with the latest
    quarter complete on `as_of`."""
    if fmt not in ("ods", "xlsx", "csv"):
        raise ValueError(f"fmt must be ods, xlsx or csv; got {fmt!r}")
    folder = files.make_owner_only_folder(folder)
    recorded, outcomes = fixture_tables(as_of, seed, years, anchors)
    return NationalFixture(
        _write(folder / f"{RECORDED_FILE}.{fmt}", recorded, fmt),
        _write(folder / f"{OUTCOMES_FILE}.{fmt}", outcomes, fmt),
        _quarters(as_of, years),
    )


def write_shipped_fixture(folder: Path | None = None) -> NationalFixture:
    """(Re)write the files the product ships (data/national/ of the checkout by default)."""
    return write_national_fixture(folder or resources.national_fixture_dir())


def own_anchors(con, end_period_start: dt.date) -> pd.DataFrame:
    """The four national measures from the case data held (the four quarters ending with
    `end_period_start`), as `anchors`: force, measure, numerator, denominator."""
    frames = [
        figures.own(con, m.id, end_period_start).assign(measure=m.id) for m in measures.MEASURES
    ]
    return pd.concat(frames, ignore_index=True)
