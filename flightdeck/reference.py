"""Reference data shipped with the product as editable CSVs under data/reference/."""

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd

from flightdeck import resources

HARM_WEIGHTS = "harm_weights.csv"
HARM_WEIGHT_COLUMNS = ["offence_code", "weight_days", "source"]
_WHOLE_POSITIVE = re.compile(r"[1-9][0-9]*")


class ReferenceDataError(ValueError):
    """A reference file the product cannot use as it stands; the message names the file and
    what to change."""


@dataclass(frozen=True)
class Reference:
    forces: pd.DataFrame  # id, name, region, synthetic
    offence_codes: pd.DataFrame  # code, title, group
    outcome_types: pd.DataFrame  # code, title
    peer_groups: pd.DataFrame  # group, force
    declared_status: pd.DataFrame  # force, kpi_id, status, note
    targets: pd.DataFrame  # force, kpi_id, target (a number; NaN if not one), source
    # force, population (whole number), year (of the mid-year estimate), source; a force with
    # no published figure (British Transport Police) has no row
    populations: pd.DataFrame
    # measure, title, beside_kpi (a KPI id, or blank), kind (flow or stock), meaning: the
    # partner agency measures a partner figures file may hold (flightdeck.partners)
    partner_measures: pd.DataFrame
    # offence_code, weight_days (a whole number of days > 0), source: each RASSO code's harm
    # weight for the suspect lists (flightdeck.suspects), one per code
    harm_weights: pd.DataFrame

    @property
    def force_ids(self) -> frozenset[str]:
        return frozenset(self.forces["id"])

    @property
    def synthetic_force_ids(self) -> frozenset[str]:
        return frozenset(self.forces.loc[self.forces["synthetic"], "id"])

    @property
    def partner_measure_ids(self) -> tuple[str, ...]:
        return tuple(self.partner_measures["measure"])

    @property
    def offence_code_set(self) -> frozenset[str]:
        return frozenset(self.offence_codes["code"])

    @property
    def harm_weight_of(self) -> dict[str, int]:
        """Each offence code's harm weight in days."""
        weights = self.harm_weights
        return {
            code: int(days)
            for code, days in zip(weights["offence_code"], weights["weight_days"], strict=True)
        }

    def force_name(self, force_id: str) -> str:
        names = dict(zip(self.forces["id"], self.forces["name"], strict=True))
        return names.get(force_id, force_id)

    def population(self, force_id: str) -> tuple[int, int, str] | None:
        """(population, year, source) of the force, or None when the list has no figure for it."""
        row = self.populations[self.populations["force"] == force_id]
        if row.empty:
            return None
        first = row.iloc[0]
        return int(first["population"]), int(first["year"]), str(first["source"])


def _read(directory: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(directory / name, dtype=str, keep_default_na=False)


def _harm_weights(directory: Path, codes: pd.Series) -> pd.DataFrame:
    """The harm weights file, checked: exactly one positive whole number of days for every
    offence code of the reference list, and no other code."""
    path = directory / HARM_WEIGHTS
    weights = _read(directory, HARM_WEIGHTS)

    def refuse(problem: str) -> ReferenceDataError:
        return ReferenceDataError(f"{path}: {problem}")

    if list(weights.columns) != HARM_WEIGHT_COLUMNS:
        raise refuse(
            f"the columns must be {','.join(HARM_WEIGHT_COLUMNS)}, "
            f"not {','.join(map(str, weights.columns))}"
        )
    weights["offence_code"] = weights["offence_code"].str.strip()
    weights["weight_days"] = weights["weight_days"].str.strip()
    repeated = sorted(set(weights.loc[weights["offence_code"].duplicated(), "offence_code"]))
    if repeated:
        raise refuse(f"more than one weight for the offence code(s) {', '.join(repeated)}")
    unknown = sorted(set(weights["offence_code"]) - set(codes))
    if unknown:
        raise refuse(f"offence code(s) not in offence_codes.csv: {', '.join(unknown)}")
    missing = [code for code in codes if code not in set(weights["offence_code"])]
    if missing:
        raise refuse(f"no weight for the offence code(s) {', '.join(missing)}")
    bad = weights.loc[~weights["weight_days"].str.fullmatch(_WHOLE_POSITIVE)]
    if not bad.empty:
        first = bad.iloc[0]
        raise refuse(
            f"the weight of {first['offence_code']} is {first['weight_days']!r}: each weight "
            "must be a whole number of days above 0"
        )
    return weights.astype({"weight_days": "int64"})


@cache
def load_reference(directory: Path | None = None) -> Reference:
    """Read the reference CSVs (default: the product's own; cached: they change only when an
    analyst edits them)."""
    directory = directory or resources.reference_dir()
    forces = _read(directory, "forces.csv")
    forces["synthetic"] = forces["synthetic"].str.lower().eq("true")
    targets = _read(directory, "targets.csv")
    targets["target"] = pd.to_numeric(targets["target"], errors="coerce")
    populations = _read(directory, "force_populations.csv")
    populations = populations.astype({"population": "int64", "year": "int64"})
    offence_codes = _read(directory, "offence_codes.csv")
    return Reference(
        forces=forces,
        offence_codes=offence_codes,
        outcome_types=_read(directory, "outcome_types.csv"),
        peer_groups=_read(directory, "peer_groups.csv"),
        declared_status=_read(directory, "declared_status.csv"),
        targets=targets,
        populations=populations,
        partner_measures=_read(directory, "partner_measures.csv"),
        harm_weights=_harm_weights(directory, offence_codes["code"]),
    )
