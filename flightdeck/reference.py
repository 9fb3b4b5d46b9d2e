"""Reference data shipped with the product as editable CSVs under data/reference/."""

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd

from flightdeck import resources


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
    return Reference(
        forces=forces,
        offence_codes=_read(directory, "offence_codes.csv"),
        outcome_types=_read(directory, "outcome_types.csv"),
        peer_groups=_read(directory, "peer_groups.csv"),
        declared_status=_read(directory, "declared_status.csv"),
        targets=targets,
        populations=populations,
        partner_measures=_read(directory, "partner_measures.csv"),
    )
