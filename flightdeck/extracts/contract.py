"""The data contract: validate a case or workforce extract, its typed rows staged in DuckDB.

A file is checked in three stages, each reported with the file's line numbers (header = line 1):

1. the file as a whole (`flightdeck.extracts.csvfile`): size limit, empty, binary, undecodable text,
   a header the csv module cannot read;
2. the header (`flightdeck.extracts.header`): duplicate names, columns that look like direct
   personal data (the file is refused: only pseudonymised extracts are accepted), required
   columns missing (all named in one message), unknown extra columns (a warning; ignored);
3. the rows (`flightdeck.extracts.rows`): rows with the wrong number of fields; then the typed
   rows, staged in DuckDB (`flightdeck.extracts.staging`), against the rules of
   `flightdeck.extracts.rules`, run as SQL where the rows are (`flightdeck.extracts.checks`):
   types, allowed values, reference forces and offence codes, duplicates, the ordering rules,
   the rows of one civil order application that disagree, warnings.

The rows never go through pandas: a store passes its own connection (`con`), so they go from the
file into DuckDB and from there into the store. A file with any error is refused as a whole
(`table` is None, its rows dropped); warnings do not stop a load.
"""

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from flightdeck import memory
from flightdeck.extracts import csvfile, rows, rules
from flightdeck.extracts.checks import apply_rules
from flightdeck.extracts.columns import (
    CASE_COLUMNS,
    CASE_REQUIRED,
    ID_COLUMNS,
    WORKFORCE_COLUMNS,
)
from flightdeck.extracts.header import check_header
from flightdeck.extracts.report import ERROR, ValidationReport
from flightdeck.extracts.schema import Rule
from flightdeck.extracts.staging import Staged
from flightdeck.extracts.typed_sql import typing_query
from flightdeck.reference import Reference, load_reference
from flightdeck.settings import load_settings


@dataclass
class Extract:
    """A validated extract. Its typed rows wait in the DuckDB connection `con` as the relation
    `table` (line and every column of the contract typed, absent optional columns all NULL),
    `rows` of them, until `drop()`; `con` and `table` are None when the file is refused."""

    file_name: str
    sha256: str
    report: ValidationReport
    forces: list[str] = field(default_factory=list)
    con: duckdb.DuckDBPyConnection | None = None
    table: str | None = None
    rows: int = 0
    staged: Staged | None = field(default=None, repr=False)

    @property
    def frame(self) -> pd.DataFrame | None:
        """The typed rows as pandas (None when refused): for tests and small files only."""
        return None if self.table is None or self.staged is None else self.staged.frame()

    def drop(self) -> None:
        """Remove the staged rows (and close the connection the extract opened); idempotent."""
        if self.staged is not None:
            self.staged.drop()
        self.table = None


@dataclass
class CaseExtract(Extract):
    """A validated case extract: dates DATE, victim_age INTEGER, cancelled BOOLEAN (blank is
    false), s63g_application BOOLEAN, text in canonical form."""

    columns_present: list[str] = field(default_factory=list)


@dataclass
class WorkforceExtract(Extract):
    """A validated workforce extract: line, force, month (first day), investigators_in_post and
    investigators_trained."""


Reading = Callable[[duckdb.DuckDBPyConnection], "Staged | None"]


def validated(
    extract: Extract,
    con: duckdb.DuckDBPyConnection | None,
    read: Reading,
    columns: dict[str, str],
    row_rules: Callable[[], list[Rule]],
) -> None:
    """Stage the file's rows with `read` in `con` (None: a private connection the extract then
    owns), check them against the rules, and keep them when the file passes; otherwise (an
    error in the file, or an exception) nothing stays staged."""
    owned = con is None
    con = memory.private_connection() if con is None else con
    try:
        staged = read(con)
        if staged is not None:
            staged.owns_connection, owned = owned, False  # dropping the rows closes it
            extract.staged = staged
            id_columns = ID_COLUMNS & set(columns)
            apply_rules(con, staged.checked, row_rules(), extract.report, id_columns)
        if staged is not None and extract.report.ok:
            extract.con, extract.table, extract.rows = con, staged.typed, staged.rows
            if "force" in columns:
                forces = con.execute(f"SELECT DISTINCT force FROM {staged.typed} ORDER BY 1")
                extract.forces = [f for (f,) in forces.fetchall()]
    finally:
        if extract.table is None:
            extract.drop()
        if owned:
            con.close()


def read_typed(
    path: Path,
    columns: dict[str, str],
    required: list[str],
    report: ValidationReport,
    max_bytes: int | None,
    con: duckdb.DuckDBPyConnection,
    header_check: Callable[..., bool] = check_header,
    canonical: dict[str, str] | None = None,
) -> tuple[str, list[str], Staged | None]:
    """The file's SHA-256, its header and its typed rows staged in `con` (None when refused
    before the row rules). `max_bytes` defaults to the configured upload limit; `header_check`
    is `check_header` or a stricter check with its arguments, and `canonical` the SQL of the
    canonical forms of text columns (`typing_query`), another extract's."""
    limit = load_settings().max_upload_bytes if max_bytes is None else max_bytes
    with csvfile.scratch_dir() as workdir:
        csv_file = csvfile.open_csv(
            Path(path), max_bytes=limit, report=report, workdir=Path(workdir)
        )
        if csv_file is None:
            return "", [], None
        if not header_check(csv_file.header, columns, required, report):
            return csv_file.sha256, csv_file.header, None
        fields = {c: csv_file.field(c) for c in columns}

        def query(whitespace: str, source: str) -> str:
            return typing_query(
                columns,
                fields,
                rows.LINE_COLUMN,
                whitespace,
                source,
                canonical,
                spaces=csv_file.edge_spaces,
            )

        staged = rows.read_rows(con, csv_file, query, report, columns)
    if staged.rows == 0:
        if report.ok:
            report.add(ERROR, "no_data_rows", "the file has a header but no data rows")
        staged.drop()
        return csv_file.sha256, csv_file.header, None
    return csv_file.sha256, csv_file.header, staged


def validate_case_file(
    path: Path,
    *,
    as_of: dt.date,
    reference: Reference | None = None,
    max_bytes: int | None = None,
    file_name: str | None = None,
    max_examples: int = 10,
    con: duckdb.DuckDBPyConnection | None = None,
) -> CaseExtract:
    """Validate a case extract taken on `as_of`; its rows stay staged in `con` (default: a
    private connection) only when there is no error. `max_bytes` defaults to the configured
    upload limit."""
    reference = reference or load_reference()
    report = ValidationReport(file_name or Path(path).name, max_examples=max_examples)
    extract = CaseExtract(report.file_name, "", report)

    def read(con: duckdb.DuckDBPyConnection) -> Staged | None:
        extract.sha256, header, staged = read_typed(
            path, CASE_COLUMNS, list(CASE_REQUIRED), report, max_bytes, con
        )
        extract.columns_present = [c for c in CASE_COLUMNS if c in header]
        return staged

    validated(extract, con, read, CASE_COLUMNS, lambda: rules.case_rules(as_of, reference))
    return extract


def validate_case_files(
    paths: Sequence[Path],
    *,
    as_of: dt.date,
    names: Sequence[str],
    progress: Callable[[str], None] | None = None,
    con: duckdb.DuckDBPyConnection | None = None,
) -> list[CaseExtract]:
    """Validate several case extracts one after another (DuckDB parallelises each file's
    reading and checks), staged in `con` (default: a private connection each)."""
    extracts: list[CaseExtract] = []
    try:
        for path, name in zip(paths, names, strict=True):
            if progress:
                progress(f"validating {name}")
            extracts.append(validate_case_file(Path(path), as_of=as_of, file_name=name, con=con))
    except BaseException:
        for extract in extracts:
            extract.drop()
        raise
    return extracts


def validate_workforce_file(
    path: Path,
    *,
    reference: Reference | None = None,
    max_bytes: int | None = None,
    file_name: str | None = None,
    max_examples: int = 10,
    con: duckdb.DuckDBPyConnection | None = None,
) -> WorkforceExtract:
    """Validate a workforce extract (one row per force and month, `month` as the first day of
    the month); its rows stay staged in `con` only when there is no error."""
    reference = reference or load_reference()
    report = ValidationReport(file_name or Path(path).name, max_examples=max_examples)
    extract = WorkforceExtract(report.file_name, "", report)

    def read(con: duckdb.DuckDBPyConnection) -> Staged | None:
        extract.sha256, _, staged = read_typed(
            path, WORKFORCE_COLUMNS, list(WORKFORCE_COLUMNS), report, max_bytes, con
        )
        return staged

    def row_rules() -> list[Rule]:
        return rules.workforce_rules(reference.force_ids)

    validated(extract, con, read, WORKFORCE_COLUMNS, row_rules)
    return extract
