"""Synthetic extracts for the fictional demo forces: case files, a workforce file and partner
agency figures.

`generate` writes one case extract per force (`cases_<force>.csv`), one `workforce.csv` and one
partner figures file per force (`partners_<force>.csv`), all consistent with an extract date
(`as_of`) and valid under the data contract. The files are
owner-only (0600), like every extract the product holds, in a folder created owner-only. Output is
determined by the seed and `as_of` alone: the same arguments give byte-identical files.

The data carries patterns a governance board should be able to see: the first force's charge
rate improves steadily; the second force's ISVA referrals within 7 days step up halfway through;
recorded crimes peak in summer; the third force's extract lacks several optional columns (so
those KPIs are not feasible for it); the fourth force records `charge_date` on only about 60 %
of charged crimes; the fifth writes victim gender as letters (F/M/O/U). About one crime in ten
belongs to a repeat victim (the third force records no victim_id at all); ethnicity is recorded
on 85-90 % of the second force's crimes, on 40-65 % of most others', and the fourth force's
recording improves from about a third to about three quarters. Suspect management is recorded
by every force but the third (demo-westbury, whose extract has none of those five columns): a
few SSRP referrals and civil order applications a month (most granted, some refused or
withdrawn, recent ones pending), and a few breaches of bail and of granted orders.
"""

import calendar
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

from flightdeck import files
from flightdeck.reference import load_reference
from flightdeck.synthetic.cases import ForceProfile, case_table
from flightdeck.synthetic.disruption import SUSPECT_MANAGEMENT_COLUMNS
from flightdeck.synthetic.partners import partner_rows, write_partners
from flightdeck.synthetic.workforce import workforce_rows, write_workforce

# The fictional forces, in reference-file order.
DEMO_FORCES: list[str] = list(load_reference().forces.query("synthetic")["id"])

# Relative caseload of each demo force, in DEMO_FORCES order (cycled if more are added).
_SIZES = (1.3, 1.0, 0.8, 1.15, 0.7, 1.2, 0.9, 1.05, 0.75, 1.1, 0.95, 0.85)
# Optional columns the third force's records system cannot export.
_THIRD_FORCE_ABSENT = (
    "suspect_identified_date",
    "isva_referral_date",
    "vcop_assessment_date",
    "device_seized_date",
    "device_returned_date",
    "s63g_application",
    "victim_id",
    *SUSPECT_MANAGEMENT_COLUMNS,
)
SEASON_AMPLITUDE = 0.15  # recorded crimes peak in July, trough in January
YEARLY_GROWTH = 0.04


@dataclass
class GeneratedFiles:
    case_files: list[Path]  # one CSV per force: cases_<force>.csv
    workforce_file: Path  # workforce.csv, one row per force and month
    as_of: date  # the extract date the files are consistent with
    crimes: int  # total rows written
    partner_files: list[Path] = field(default_factory=list)  # partners_<force>.csv, by force


def force_profile(index: int) -> ForceProfile:
    """The built-in character of the demo force at `index` in DEMO_FORCES."""
    force = DEMO_FORCES[index]
    special = {
        0: ForceProfile(force, index, charge_trend=(0.4, 2.2), ethnicity_recorded=(0.55, 0.6)),
        1: ForceProfile(
            force,
            index,
            isva_within_7=(0.35, 0.85),
            isva_step_at=0.5,
            ethnicity_recorded=(0.86, 0.89),
        ),
        2: ForceProfile(
            force, index, absent_columns=_THIRD_FORCE_ABSENT, ethnicity_recorded=(0.42, 0.45)
        ),
        3: ForceProfile(force, index, charge_date_fill=0.6, ethnicity_recorded=(0.33, 0.75)),
        4: ForceProfile(
            force,
            index,
            gender_letters=True,
            charge_trend=(1.1, 1.0),
            ethnicity_recorded=(0.62, 0.6),
        ),
    }
    # The others differ a little in charge rate and ethnicity recording, with no trend.
    level = 0.8 + 0.4 * ((index * 7) % 5) / 4
    recorded = 0.4 + 0.25 * ((index * 3) % 5) / 4
    return special.get(
        index,
        ForceProfile(
            force,
            index,
            charge_trend=(level, level),
            ethnicity_recorded=(recorded, recorded),
        ),
    )


def default_as_of(today: date | None = None) -> date:
    """The last day of the calendar month before `today`."""
    return (today or date.today()).replace(day=1) - timedelta(days=1)


def month_starts(as_of: date, months: int) -> list[date]:
    """The first days of the `months` calendar months ending with as_of's month."""
    index = as_of.year * 12 + as_of.month - 1
    return [date(i // 12, i % 12 + 1, 1) for i in range(index - months + 1, index + 1)]


def month_weights(starts: list[date], as_of: date) -> np.ndarray:
    """Relative recorded volume per month: a summer peak, slow growth, and as_of's month only
    in proportion to the days it has had."""
    weights = []
    for i, start in enumerate(starts):
        days = calendar.monthrange(start.year, start.month)[1]
        elapsed = min(days, (as_of - start).days + 1) / days
        season = 1 + SEASON_AMPLITUDE * np.cos(2 * np.pi * (start.month - 7) / 12)
        weights.append(elapsed * season * (1 + YEARLY_GROWTH) ** (i / 12))
    return np.array(weights)


def _split(total: int, weights: np.ndarray) -> np.ndarray:
    """Whole numbers proportional to `weights` summing exactly to `total` (largest remainder)."""
    exact = total * weights / weights.sum()
    counts = np.floor(exact).astype(np.int64)
    short = total - counts.sum()
    counts[np.argsort(-(exact - counts), kind="stable")[:short]] += 1
    return counts


def _recorded_days(
    rng: np.random.Generator, starts: list[date], as_of: date, counts: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Recorded days (since 1970-01-01, sorted) and each crime's month index."""
    epoch = date(1970, 1, 1)
    first = np.array([(s - epoch).days for s in starts])
    last = np.array(
        [
            (min(s.replace(day=calendar.monthrange(s.year, s.month)[1]), as_of) - epoch).days
            for s in starts
        ]
    )
    month = np.repeat(np.arange(len(starts)), counts)
    span = (last - first + 1)[month]
    days = first[month] + np.floor(rng.random(month.size) * span).astype(np.int64)
    order = np.argsort(days, kind="stable")
    return days[order], month[order]


def _write_cases(path: Path, table: pa.Table) -> None:
    # The header is written by hand: Arrow would quote the column names.
    with files.create_owner_only(path, binary=True) as f:
        f.write((",".join(table.column_names) + "\n").encode())
        options = pacsv.WriteOptions(include_header=False, quoting_style="none")
        pacsv.write_csv(table, f, write_options=options)


def generate(
    out_dir: Path,
    *,
    forces: int = 4,
    months: int = 36,
    crimes_per_month: int = 120,
    seed: int = 1,
    as_of: date | None = None,
    warmup_months: int = 0,
    progress: Callable[[str], None] | None = None,
) -> GeneratedFiles:
    """Write synthetic case extracts for the first `forces` demo forces, and a workforce file.

    The files cover `months` + `warmup_months` calendar months ending with as_of's month: the
    force's history starts `warmup_months` before the `months` meant to be read, so that
    outcomes and open-case snapshots in those months include crimes recorded long before
    (without it, outcome-based KPIs climb from near zero over the first year whatever the force
    does). The forces' built-in trends follow the last `months` only; the warm-up months carry
    their starting level. With `warmup_months=0` the output is as it always was.

    `crimes_per_month` is the average per force per full month; forces differ in size and
    months follow a seasonal pattern, but the total is exactly forces x (months +
    warmup_months) x crimes_per_month when as_of is a month end. `as_of` defaults to the end
    of last month; no date in the files is after it. Raises ValueError for arguments that
    cannot be met.
    """
    as_of = as_of or default_as_of()
    if not 1 <= forces <= len(DEMO_FORCES):
        raise ValueError(
            f"forces must be between 1 and {len(DEMO_FORCES)} (the number of synthetic demo "
            f"forces in the reference list); got {forces}"
        )
    if months < 1 or crimes_per_month < 1:
        raise ValueError("months and crimes_per_month must be at least 1")
    if warmup_months < 0:
        raise ValueError(f"warmup_months cannot be negative; got {warmup_months}")
    covered = months + warmup_months
    starts = month_starts(as_of, covered)
    if starts[0] < date(2000, 1, 1):
        raise ValueError(f"{covered} months back from {as_of} starts before 2000-01-01")
    out_dir = files.make_owner_only_folder(out_dir)

    month_w = month_weights(starts, as_of)
    sizes = np.array([_SIZES[i % len(_SIZES)] for i in range(forces)])
    total = round(forces * crimes_per_month * (covered - 1 + _last_month_share(starts, as_of)))
    per_force = _split(total, sizes)
    id_key = int(np.random.default_rng([seed, 1_000_003]).integers(0, 2**48))
    as_of_day = (as_of - date(1970, 1, 1)).days
    labels = [s.strftime("%Y-%m") for s in starts]

    case_files, partner_files, workforce, written = [], [], [], 0
    for index in range(forces):
        profile = force_profile(index)
        rng = np.random.default_rng([seed, index])
        counts = rng.multinomial(per_force[index], month_w / month_w.sum())
        recorded, month = _recorded_days(rng, starts, as_of, counts)
        # Position in the months meant to be read: 0 through the warm-up, 1 in the last month.
        share = np.clip((month - warmup_months) / max(months - 1, 1), 0.0, 1.0)
        identity_rng = np.random.default_rng([seed, index, 2])
        management_rng = np.random.default_rng([seed, index, 3])
        table = case_table(
            rng, profile, recorded, share, as_of_day, id_key, identity_rng, management_rng
        )
        path = out_dir / f"cases_{profile.force}.csv"
        _write_cases(path, table)
        case_files.append(path)
        partner_files.append(out_dir / f"partners_{profile.force}.csv")
        place = load_reference().force_name(profile.force).split()[0]
        write_partners(partner_files[-1], partner_rows(identity_rng, place, table, labels))
        written += table.num_rows
        workforce += workforce_rows(rng, profile.force, labels, per_force[index] / covered)
        if progress:
            progress(f"{profile.force}: {table.num_rows:,} crimes written to {path.name}")
    workforce_file = out_dir / "workforce.csv"
    write_workforce(workforce_file, workforce)
    return GeneratedFiles(case_files, workforce_file, as_of, written, partner_files)


def _last_month_share(starts: list[date], as_of: date) -> float:
    last = starts[-1]
    days = calendar.monthrange(last.year, last.month)[1]
    return ((as_of - last).days + 1) / days
