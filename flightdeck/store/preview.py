"""Checking case extracts before a load: the validation reports, what loading them would change
per force, the optional columns they lack and whether the load would be held as a likely wrong
extract. Nothing is written: the files' rows are staged in the store's connection while they
are counted, then dropped."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from flightdeck import memory
from flightdeck.extracts.columns import CASE_COLUMNS
from flightdeck.extracts.contract import ValidationReport, validate_case_files
from flightdeck.settings import load_settings
from flightdeck.store import admission
from flightdeck.store import changes as changes_of


@dataclass
class Preview:
    reports: list[ValidationReport]
    changes: pd.DataFrame  # force, rows_new, rows_updated, rows_unchanged, missing_from_previous
    columns_absent: dict[str, list[str]] = field(default_factory=dict)  # file -> optional columns
    held: list[str] = field(default_factory=list)  # why it looks like the wrong extract

    @property
    def ok(self) -> bool:
        return all(r.ok for r in self.reports)


def preview_case_files(
    con: duckdb.DuckDBPyConnection,
    paths: Sequence[Path],
    *,
    as_of: dt.date,
    file_names: Sequence[str] | None = None,
) -> Preview:
    """Validate the files and say what loading them would change, changing nothing.

    Raises ValueError (the sentence the page shows) for a future as-of date, or for files that
    need more memory than DuckDB may use.
    """
    refusal = admission.future_as_of(as_of)
    if refusal:
        raise ValueError(refusal)
    names = list(file_names or [Path(p).name for p in paths])
    extracts = []
    try:
        extracts = validate_case_files(paths, as_of=as_of, names=names, con=con)
        frames = [changes_of.changes(con, e).counts for e in extracts if e.report.ok]
    except duckdb.OutOfMemoryException as exc:
        raise ValueError(memory.too_big(exc, f"Checking {', '.join(names)}")) from exc
    finally:
        for extract in extracts:
            extract.drop()
    columns = changes_of.CHANGE_COLUMNS
    found = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)
    absent = {
        e.file_name: [c for c in CASE_COLUMNS if c not in e.columns_present]
        for e in extracts
        if e.report.ok
    }
    held = changes_of.held(found, load_settings().hold_share)
    return Preview([e.report for e in extracts], found[columns], absent, held)
