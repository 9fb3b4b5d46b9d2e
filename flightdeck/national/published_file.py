"""Reading and checking one published file: which sheets hold figures, what kind of table it
is, and its valid rape and other sexual offence rows.

A sheet holds figures when it is named for a financial year (2022-23, 2022_23, "2023-24
(provisional)"), or when its first rows hold the published header; other sheets (Cover, Notes,
Contents) are skipped and listed. A CSV is one sheet. The kind comes from the header: an
`Outcome Type` column makes an outcomes table, else it is a recorded crime table.
"""

import hashlib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from flightdeck.national import columns as col
from flightdeck.national import values
from flightdeck.national.report import NationalReport
from flightdeck.national.sheets import Rules, check_sheet
from flightdeck.national.workbook import Sheet, UnreadableFile, read_sheets

SYNTHETIC_WORD = "synthetic"


@dataclass
class PublishedFile:
    report: NationalReport
    frame: pd.DataFrame  # the valid kept rows (see sheets.check_sheet), with `file`
    sha256: str
    synthetic: bool  # a synthetic force among its rows, or "synthetic" on a skipped sheet

    @property
    def kind(self) -> str | None:
        return self.report.kind


def _is_data_sheet(sheet: Sheet, header: col.Header | None) -> bool:
    if sheet.name is None or values.sheet_year(sheet.name):
        return True
    return header is not None and header.descriptive_found == len(col.DESCRIPTIVE)


def _header_problems(sheet: Sheet, header: col.Header | None, report: NationalReport) -> None:
    where = f"in its first {col.HEADER_SEARCH_ROWS} rows"
    if header is None:
        report.add(
            "missing_column",
            f"no header row of the published columns ({', '.join(col.DESCRIPTIVE)}, ...) " + where,
            sheet.name,
        )
        return
    row = header.row + 1
    for name in header.missing:
        report.add(
            "missing_column", f"the header row has no column {name!r}", sheet.name, row, name
        )
    for name in header.repeated:
        report.add(
            "repeated_column",
            f"the header row has more than one column {name!r}: which to read is not clear",
            sheet.name,
            row,
            name,
        )


def read_published_file(path: Path, rules: Rules, file_name: str | None = None) -> PublishedFile:
    """Read and check the file; its report says what is wrong (nothing when `ok`)."""
    path = Path(path)
    name = file_name or path.name
    report = NationalReport(name, csv=path.suffix.lower() == ".csv")
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    try:
        sheets = read_sheets(path)
    except UnreadableFile as exc:
        report.add("unreadable", f"the file {exc}")
        return PublishedFile(report, pd.DataFrame(), sha, False)
    frames, kinds, cover_text = [], set(), []
    for sheet in sheets:
        header = col.find_header(sheet.rows(col.HEADER_SEARCH_ROWS))
        if not _is_data_sheet(sheet, header):
            report.sheets_skipped.append(sheet.name)
            cover_text.append(sheet.text())
            continue
        if sheet.name is not None:
            report.sheets.append(sheet.name)
        if header is None or not header.usable:
            _header_problems(sheet, header, report)
        if header is None or header.repeated or col.SUBGROUP not in header.positions:
            continue  # which rows to keep cannot be told
        kinds.add(header.kind)
        frames.append(check_sheet(sheet, header, rules, report))
    if not report.sheets and not report.csv:
        report.add(
            "no_data_sheet",
            "no sheet is named for a financial year (2022-23, 2022_23 ...) or holds the "
            f"published header; sheets found: {', '.join(report.sheets_skipped) or 'none'}",
        )
    if kinds and report.ok and not report.rows_kept:
        report.add(
            "no_kept_rows",
            f"no row has the {col.SUBGROUP} of a rape or other sexual offence ("
            + ", ".join(repr(k) for k in values.KEPT_SUBGROUPS)
            + f"), so nothing would be imported; {report.rows_skipped:,} rows of other "
            "offences were skipped",
        )
    if len(kinds) > 1:
        report.add(
            "mixed_tables",
            "some sheets are recorded crime tables and some outcomes tables (with an Outcome "
            "Type column): import them as separate files",
        )
    report.kind = next(iter(kinds)) if len(kinds) == 1 else None
    frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    if not frame.empty:
        frame.insert(0, "file", name)
    forces = set(frame["force"]) if not frame.empty else set()
    synthetic = bool(forces & rules.synthetic_forces) or any(
        SYNTHETIC_WORD in text.lower() for text in cover_text
    )
    return PublishedFile(report, frame, sha, synthetic)
