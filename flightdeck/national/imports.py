"""Importing published national figures, all or nothing, and listing what was imported.

Every file is read and checked first; if any is refused, nothing is stored. Otherwise all are
stored in one transaction through `flightdeck.access.guard` (role checked, outcome audited,
refusals too, rolled back on any failure). A later import replaces the rows of the same
(kind, force, financial year, quarter) that an earlier one stored: a revised publication takes
the place of the first, it is never added to it.
"""

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from flightdeck import access
from flightdeck.access import guard
from flightdeck.national.columns import OUTCOMES, RECORDED
from flightdeck.national.published_file import PublishedFile, read_published_file
from flightdeck.national.report import NationalReport
from flightdeck.national.sheets import Rules

TABLES = {RECORDED: "national_recorded", OUTCOMES: "national_outcomes"}
COUNTS = {RECORDED: "offences", OUTCOMES: "outcomes"}
KIND_WORDS = {RECORDED: "recorded crime", OUTCOMES: "outcomes"}
# What makes a row: the same twice in one import would be counted twice.
_KEY = ["financial_year", "quarter", "force", "offence_code"]
KEYS = {RECORDED: _KEY, OUTCOMES: [*_KEY, "outcome_type"]}


@dataclass
class FileSummary:
    file_name: str
    kind: str
    sheets: list[str]
    sheets_skipped: list[str]
    rows_kept: int
    rows_skipped: int
    quarters_new: int  # (force, quarter) pairs not held before
    quarters_replaced: int  # (force, quarter) pairs an earlier import held, now replaced
    synthetic: bool
    import_id: int


@dataclass
class NationalImportOutcome:
    status: str  # imported or refused
    message: str
    reports: list[NationalReport]
    files: list[FileSummary] = field(default_factory=list)

    @property
    def quarters_new(self) -> int:
        return sum(f.quarters_new for f in self.files)

    @property
    def quarters_replaced(self) -> int:
        return sum(f.quarters_replaced for f in self.files)

    @property
    def synthetic(self) -> bool:
        return any(f.synthetic for f in self.files)


def _where(file: PublishedFile, row) -> str:
    sheet = "" if file.report.csv else f"sheet {row['sheet']!r}, "
    return f"{file.report.file_name}, {sheet}{'line' if file.report.csv else 'row'} {row['row']}"


def _refuse_duplicates(read: list[PublishedFile]) -> None:
    """The same row twice in the import (in one file or two) is refused where it repeats."""
    for kind, key in KEYS.items():
        frames = [
            f.frame.assign(file_index=i)
            for i, f in enumerate(read)
            if f.kind == kind and not f.frame.empty
        ]
        if not frames:
            continue
        rows = pd.concat(frames, ignore_index=True)
        repeated = rows[rows.duplicated(key, keep=False)]
        for _, same in repeated.groupby(key, sort=False):
            first = same.iloc[0]
            for _, again in same.iloc[1:].iterrows():
                file = read[again["file_index"]]
                file.report.add(
                    "duplicate_row",
                    f"the same financial year, quarter, force ({again['force']}), offence code"
                    + (" and outcome type" if kind == OUTCOMES else "")
                    + f" as {_where(read[first['file_index']], first)}: "
                    "imported twice it would be counted twice",
                    None if file.report.csv else again["sheet"],
                    int(again["row"]),
                )


def _refusal_note(reports: list[NationalReport]) -> str:
    """Which files were refused for which rules (no values: they may be long or quote data)."""
    return "; ".join(
        f"{r.file_name}: " + ", ".join(f"{rule} {n}" for rule, n in r.totals.items())
        for r in reports
        if not r.ok
    )


def import_national(
    con: duckdb.DuckDBPyConnection,
    paths: Sequence[Path],
    *,
    user: access.User,
    file_names: Sequence[str] | None = None,
    progress: Callable[[str], None] | None = None,
) -> NationalImportOutcome:
    """Check every file and store them all in one transaction, or store nothing.

    Refused (and audited) when any file breaks a rule: its report names the sheet, row,
    column and value. Raises access.PermissionDenied (audited) for a role that may not import.
    """
    paths = [Path(p) for p in paths]
    names = list(file_names or [p.name for p in paths])
    detail = f"national figures {', '.join(names) or '(no files)'}"
    action = guard.begin(con, user, "import_national", access.IMPORT_PEERS, detail)
    if not paths:
        action.refuse("no files")
        return NationalImportOutcome("refused", "No files were given: nothing was imported.", [])
    rules = Rules.from_reference()
    read = []
    for path, name in zip(paths, names, strict=True):
        if progress:
            progress(f"reading {name}")
        read.append(read_published_file(path, rules, name))
    _refuse_duplicates(read)
    reports = [f.report for f in read]
    refused = [r.file_name for r in reports if not r.ok]
    if refused:
        action.refuse(_refusal_note(reports))
        message = f"Refused {', '.join(refused)}: nothing was imported."
        return NationalImportOutcome("refused", message, reports)
    if progress:
        progress(f"storing {sum(r.rows_kept for r in reports):,} rows")
    summaries = action.run(
        lambda: _store(con, user, read), lambda done: f"imports {[s.import_id for s in done]}"
    )
    return NationalImportOutcome("imported", _message(summaries), reports, summaries)


def _store(con, user: access.User, read: list[PublishedFile]) -> list[FileSummary]:
    """Replace the (force, quarter) rows the files hold, kind by kind (the caller holds the
    transaction)."""
    summaries = []
    now = dt.datetime.now()
    for kind, table in TABLES.items():
        files = [f for f in read if f.kind == kind]
        if not files:
            continue
        held = {
            (force, start)
            for force, start in con.execute(
                f"SELECT DISTINCT force, period_start FROM {table}"
            ).fetchall()
        }
        incoming = pd.concat([f.frame for f in files])[["force", "period_start"]]
        con.register("incoming_quarters", incoming.drop_duplicates())
        try:
            con.execute(
                f"DELETE FROM {table} USING incoming_quarters AS q "
                f"WHERE {table}.force = q.force AND {table}.period_start = q.period_start"
            )
        finally:
            con.unregister("incoming_quarters")
        for file in files:
            summaries.append(_store_file(con, user, file, held, now))
    return summaries


def _store_file(con, user, file: PublishedFile, held: set, now: dt.datetime) -> FileSummary:
    kind, report = file.kind, file.report
    quarters = set(zip(file.frame["force"], file.frame["period_start"], strict=True))
    replaced = len(quarters & held)
    # fetchall, not fetchone: DuckDB refuses `register` while a result is left unfinished.
    import_id = con.execute("SELECT nextval('national_import_id_seq')").fetchall()[0][0]
    summary = FileSummary(
        report.file_name,
        kind,
        list(report.sheets),
        list(report.sheets_skipped),
        report.rows_kept,
        report.rows_skipped,
        len(quarters) - replaced,
        replaced,
        file.synthetic,
        import_id,
    )
    con.execute(
        "INSERT INTO national_imports VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            import_id,
            kind,
            report.file_name,
            file.sha256,
            summary.sheets,
            summary.sheets_skipped,
            summary.rows_kept,
            summary.rows_skipped,
            summary.quarters_new,
            summary.quarters_replaced,
            now,
            user.name,
            file.synthetic,
        ],
    )
    extra = ", outcome_type" if kind == OUTCOMES else ""
    con.register("incoming_national", file.frame)
    try:
        con.execute(
            f"INSERT INTO {TABLES[kind]} SELECT ?, financial_year, quarter, period_start, "
            f"force, offence_code, offence_group{extra}, count FROM incoming_national",
            [import_id],
        )
    finally:
        con.unregister("incoming_national")
    stored = con.execute(
        f"SELECT count(*) FROM {TABLES[kind]} WHERE import_id = ?", [import_id]
    ).fetchall()[0][0]
    if stored != report.rows_kept:  # never expected: the transaction is rolled back
        raise RuntimeError(
            f"{report.file_name}: {report.rows_kept:,} rows kept but {stored:,} stored"
        )
    return summary


def _message(summaries: list[FileSummary]) -> str:
    lines = []
    for s in summaries:
        sheets = f"sheets {', '.join(s.sheets)}" if s.sheets else "one table"
        skipped = f"; skipped {', '.join(s.sheets_skipped)}" if s.sheets_skipped else ""
        lines.append(
            f"Imported {s.file_name} ({KIND_WORDS[s.kind]}; {sheets}{skipped}): "
            f"{s.rows_kept:,} rape and other sexual offence rows kept, {s.rows_skipped:,} rows "
            f"of other offences skipped; {s.quarters_new:,} force quarters new, "
            f"{s.quarters_replaced:,} replaced"
            + ("; SYNTHETIC figures, not Home Office ones" if s.synthetic else "")
            + "."
        )
    return "\n".join(lines)


def list_national(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every national import, newest first, with how many of its rows are still current (a
    later import may have replaced them)."""
    return con.execute(
        """SELECT i.import_id, i.kind, i.file_name, array_to_string(i.sheets, ', ') AS sheets,
                  i.rows_kept, i.rows_skipped, i.quarters_new, i.quarters_replaced,
                  coalesce(r.n, 0) + coalesce(o.n, 0) AS rows_current,
                  i.synthetic, i.imported_by, i.imported_at
           FROM national_imports AS i
           LEFT JOIN (SELECT import_id, count(*) AS n FROM national_recorded GROUP BY ALL) AS r
               USING (import_id)
           LEFT JOIN (SELECT import_id, count(*) AS n FROM national_outcomes GROUP BY ALL) AS o
               USING (import_id)
           ORDER BY i.import_id DESC"""
    ).df()
