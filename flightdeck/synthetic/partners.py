"""Synthetic partner agency figures for a demo force: its SARC and its ISVA service, month by
month, drawn around the force's own synthetic crimes.

- SARC attendances: 50-70 % (a level per force, wobbling month to month) of the crimes recorded
  in the month, with a total, a breakdown by victim age band and one by gender (drawn from the
  month's victims);
- forensic examinations: 40-60 % of the attendances;
- ISVA referrals received: about the crimes referred to an ISVA that month, plus referrals from
  elsewhere (self-referrals, health);
- ISVA open cases: a stock, each month keeping about eight in nine of last month's clients.
"""

import csv
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from flightdeck import files
from flightdeck.vocabulary import AGE_BAND_LIMITS, AGE_BANDS, ALL, GENDERS

PARTNER_HEADER = ("partner", "measure", "month", "count", "age_band", "gender")
POLICE_ISVA_SHARE = 0.65  # of crimes, where the extract does not say (no isva_referral_date)
OTHER_REFERRALS = 1.15  # referrals received per police referral
MONTHS_SUPPORTED = 9  # an ISVA client is supported for about nine months
_OLDEST = np.array([oldest for _, oldest in AGE_BAND_LIMITS[:-1]])
_GENDER_INDEX = {"F": 0, "M": 1, "O": 2, "U": 3}  # first letter of the word or the letter


def _month_index(days: np.ndarray, first_month: int) -> np.ndarray:
    return days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64) - first_month


def _per_month(month: np.ndarray, category: np.ndarray, months: int, width: int) -> np.ndarray:
    counts = np.zeros((months, width), dtype=np.int64)
    np.add.at(counts, (month, category), 1)
    return counts


def _days(table: pa.Table, column: str) -> np.ndarray:
    values = table.column(column).cast(pa.int32()).to_numpy(zero_copy_only=False)
    return np.asarray(values, dtype=float)


def partner_rows(
    rng: np.random.Generator, place: str, table: pa.Table, months: list[str]
) -> list[tuple[str, ...]]:
    """Rows of the partner figures file for the force whose extract is `table`, for the
    `months` (`YYYY-MM`, in order) it covers; `place` names its services."""
    first = np.datetime64(months[0], "M").astype(np.int64)
    recorded = _days(table, "recorded_date").astype(np.int64)
    month = _month_index(recorded, first)
    ages = table.column("victim_age").to_numpy(zero_copy_only=False)
    age = np.asarray(ages, dtype=float)
    band = np.where(np.isnan(age), len(AGE_BANDS) - 1, np.searchsorted(_OLDEST, age))
    letters = pc.utf8_upper(pc.utf8_slice_codeunits(table.column("victim_gender"), 0, 1))
    gender = np.array([_GENDER_INDEX[g] for g in letters.to_pylist()])
    by_band = _per_month(month, band, len(months), len(AGE_BANDS))
    by_gender = _per_month(month, gender, len(months), len(GENDERS))
    crimes = by_band.sum(axis=1)
    if "isva_referral_date" in table.column_names:
        referred = np.bincount(
            month[~np.isnan(_days(table, "isva_referral_date"))], minlength=len(months)
        )
    else:
        referred = np.round(crimes * POLICE_ISVA_SHARE).astype(np.int64)

    sarc, isva = f"{place} SARC", f"{place} ISVA Service"
    attend_level, forensic_level = rng.uniform(0.5, 0.7), rng.uniform(0.4, 0.6)
    rows: list[tuple[str, ...]] = []
    open_cases = int(round(MONTHS_SUPPORTED * referred[: min(12, len(months))].mean()))
    for i, label in enumerate(months):
        share = float(np.clip(attend_level + rng.normal(0, 0.04), 0.3, 0.9))
        attended = int(rng.binomial(crimes[i], share))
        rows.append((sarc, "sarc_attendances", label, str(attended), "", ""))
        for j, n in enumerate(rng.multinomial(attended, _shares(by_band[i]))):
            rows.append((sarc, "sarc_attendances", label, str(n), AGE_BANDS[j], ALL))
        for j, n in enumerate(rng.multinomial(attended, _shares(by_gender[i]))):
            rows.append((sarc, "sarc_attendances", label, str(n), ALL, GENDERS[j]))
        examined = int(rng.binomial(attended, forensic_level))
        rows.append((sarc, "sarc_forensic_examinations", label, str(examined), "", ""))
        received = int(rng.poisson(referred[i] * OTHER_REFERRALS))
        rows.append((isva, "isva_referrals_received", label, str(received), "", ""))
        open_cases += received - int(rng.binomial(open_cases, 1 / MONTHS_SUPPORTED))
        rows.append((isva, "isva_open_cases", label, str(open_cases), "", ""))
    return rows


def _shares(counts: np.ndarray) -> np.ndarray:
    """The month's victims' shares; an empty month (none recorded yet) spreads evenly."""
    total = counts.sum()
    return counts / total if total else np.full(counts.size, 1 / counts.size)


def write_partners(path: Path, rows: list[tuple[str, ...]]) -> None:
    """Write the partner figures file as CSV (UTF-8, LF line ends), owner-only (0600)."""
    with files.create_owner_only(path) as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(PARTNER_HEADER)
        writer.writerows(rows)
