"""Synthetic workforce extract: investigators in post and trained, per force and month."""

import csv
from pathlib import Path

import numpy as np

from flightdeck import files

WORKFORCE_HEADER = ("force", "month", "investigators_in_post", "investigators_trained")
MIN_IN_POST, MAX_IN_POST = 20.0, 80.0


def workforce_rows(
    rng: np.random.Generator, force: str, months: list[str], crimes_per_month: float
) -> list[tuple[str, str, str, str]]:
    """One row per month: FTE in post (20-80, one decimal) drifting month to month, and trained
    FTE (never more than in post) whose share rises steadily over the window.

    The establishment scales with the force's caseload (one investigator per 2.5
    crimes recorded a month), within the 20-80 range.
    """
    n = len(months)
    base = float(np.clip(crimes_per_month / 2.5, MIN_IN_POST + 5, MAX_IN_POST - 5))
    drift = np.cumsum(rng.normal(0, 0.8, n))
    in_post = np.round(np.clip(base + drift, MIN_IN_POST, MAX_IN_POST), 1)
    start, end = rng.uniform(0.2, 0.45), rng.uniform(0.65, 0.9)
    share = np.linspace(start, end, n) + rng.normal(0, 0.01, n)
    trained = np.minimum(np.round(in_post * np.clip(share, 0, 1), 1), in_post)
    return [
        (force, month, f"{post:.1f}", f"{done:.1f}")
        for month, post, done in zip(months, in_post, trained, strict=True)
    ]


def write_workforce(path: Path, rows: list[tuple[str, str, str, str]]) -> None:
    """Write the workforce extract as CSV (UTF-8, LF line ends), owner-only (0600)."""
    with files.create_owner_only(path) as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(WORKFORCE_HEADER)
        writer.writerows(rows)
