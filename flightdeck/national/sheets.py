"""Checking one data sheet of a published table, row by row, and keeping its rape and other
sexual offence rows. Every problem goes into the file's report with the sheet, row, column
and value; rows of other offences are counted as skipped, not checked further."""

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from flightdeck import resources
from flightdeck.national import columns as col
from flightdeck.national import values
from flightdeck.national.force_names import ForceNames, force_names
from flightdeck.national.report import NationalReport
from flightdeck.national.workbook import Sheet
from flightdeck.reference import load_reference

REFERENCE = resources.REFERENCE  # where a message sends the user to look


@dataclass(frozen=True)
class Rules:
    """What the rows are checked against: the reference lists."""

    names: ForceNames
    outcome_types: frozenset[str]
    code_groups: dict[str, str]  # offence code -> rape or other_sexual
    synthetic_forces: frozenset[str]

    @classmethod
    def from_reference(cls) -> "Rules":
        ref = load_reference()
        codes = ref.offence_codes
        return cls(
            force_names(),
            frozenset(ref.outcome_types["code"]),
            dict(zip(codes["code"], codes["group"], strict=True)),
            ref.synthetic_force_ids,
        )


@dataclass
class _Sheet:
    """One sheet being checked: where its findings go."""

    sheet: Sheet
    header: col.Header
    report: NationalReport
    body: pd.DataFrame
    rows: pd.Series  # spreadsheet row numbers, by body index

    def cells(self, name: str) -> pd.Series:
        """The column's cells; blanks for a missing column (refused already, its rows not
        checked for it)."""
        if name not in self.header.positions:
            return pd.Series("", index=self.body.index, dtype=object)
        return self.body[self.header.positions[name]]

    def label(self, position: int) -> str:
        return values.text(self.sheet.cells.iat[self.header.row, position])

    def flag(self, mask: pd.Series, rule: str, column: str, raw: pd.Series, message) -> None:
        """A finding for each row in `mask`; `message` is text, made from the cell, or a
        Series of texts by row. None for a missing column: the header's finding says it."""
        if column in self.header.missing:
            return
        for index in mask[mask].index:
            cell = raw.at[index]
            if isinstance(message, pd.Series):
                text = message.at[index]
            else:
                text = message(cell) if callable(message) else message
            self.report.add(
                rule, text, self.sheet.name, int(self.rows.at[index]), column, values.text(cell)
            )


def _groups(s: _Sheet, rules: Rules) -> tuple[pd.Series, pd.Series, pd.Series]:
    """The offence group of each row (None: another offence), its code, and whether the
    reference lists the code under another group than the row's subgroup (refused: the row
    would be skipped or counted in the wrong group)."""
    subgroup = s.cells(col.SUBGROUP)
    group = subgroup.map(values.offence_group)
    codes = s.cells(col.CODE).map(values.offence_code)
    listed = codes.map(rules.code_groups)
    mismatch = listed.notna() & (listed != group)
    messages = pd.Series(
        [
            f"offence code {code} is {listed_as} in {REFERENCE}/offence_codes.csv, but the "
            f"row's {col.SUBGROUP} is {values.text(sub)!r}"
            for code, listed_as, sub in zip(
                codes[mismatch], listed[mismatch], subgroup[mismatch], strict=True
            )
        ],
        index=mismatch[mismatch].index,
        dtype=object,
    )
    s.flag(mismatch, "offence_group_mismatch", col.CODE, s.cells(col.CODE), messages)
    return group.where(~mismatch), codes, mismatch


def _checked(s: _Sheet, name: str, reader: Callable, rule: str, message) -> pd.Series:
    raw = s.cells(name)
    parsed = raw.map(reader)
    s.flag(parsed.isna(), rule, name, raw, message)
    return parsed


def _count(s: _Sheet, position: int, column: str) -> pd.Series:
    raw = s.body[position]
    parsed = raw.map(values.count)
    bad = parsed.isna()
    blank = raw.map(values.is_blank)
    marker = raw.map(values.not_available)
    s.flag(bad & blank, "count_blank", column, raw, "is blank: a count must be a whole number")
    s.flag(
        bad & marker,
        "count_not_available",
        column,
        raw,
        "marks a figure as not available: a count must be a whole number, and a missing "
        "figure is not taken as 0",
    )
    s.flag(
        bad & ~blank & ~marker,
        "count_not_a_whole_number",
        column,
        raw,
        "is not a whole number of 0 or more",
    )
    return parsed


def _counts(s: _Sheet) -> pd.Series:
    header = s.header
    name = col.OFFENCES if header.kind == col.RECORDED else col.OUTCOMES_COUNT
    if name in header.positions:
        return _count(s, header.positions[name], name)
    if header.kind == col.RECORDED or not header.split_counts:
        return s.cells(name).map(lambda _: None)  # missing: the header's finding says so
    # Split by when the offence was recorded: the count is their sum, each a whole number.
    parts = pd.concat([_count(s, p, s.label(p)) for p in header.split_counts], axis=1)
    return parts.sum(axis=1).where(parts.notna().all(axis=1))


def check_sheet(sheet: Sheet, header: col.Header, rules: Rules, report: NationalReport):
    """The kept rows of a data sheet whose every value is valid: sheet, row, financial_year,
    quarter, period_start, force, offence_code, offence_group, count (and outcome_type).
    Adds the problems to `report` and the rows read to its kept and skipped counts. With a
    column missing (the header needs Offence Subgroup at least), the others are checked."""
    body = sheet.cells.iloc[header.row + 1 :]
    body = body[~body.map(values.is_blank).all(axis=1)]
    s = _Sheet(sheet, header, report, body, pd.Series(body.index + 1, index=body.index))
    group, codes, mismatch = _groups(s, rules)
    kept = group.notna()
    report.rows_skipped += int((~kept & ~mismatch).sum())
    report.rows_kept += int(kept.sum())
    s = _Sheet(sheet, header, report, body[kept], s.rows[kept])
    year_of_sheet = values.sheet_year(sheet.name) if sheet.name else None
    year = _checked(
        s,
        col.YEAR,
        values.financial_year,
        "financial_year",
        "is not a financial year like 2022/23 or 2022-23",
    )
    if year_of_sheet:
        s.flag(
            year.notna() & (year != year_of_sheet),
            "financial_year_not_the_sheets",
            col.YEAR,
            s.cells(col.YEAR),
            f"is not {year_of_sheet}, the financial year the sheet is named for",
        )
    quarter = _checked(
        s,
        col.QUARTER,
        values.quarter,
        "financial_quarter",
        "is not a financial quarter: 1 to 4, or Q1 to Q4",
    )
    code = codes[kept]
    s.flag(code == "", "offence_code_blank", col.CODE, s.cells(col.CODE), "is blank")
    force = _forces(s, rules)
    count = _counts(s)
    frame = pd.DataFrame(
        {
            "sheet": sheet.name,
            "row": s.rows,
            "financial_year": year,
            "quarter": quarter,
            "force": force,
            "offence_code": code.where(code != ""),
            "offence_group": group[kept],
            "count": count,
        }
    )
    if header.kind == col.OUTCOMES:
        frame["outcome_type"] = _outcome_types(s, rules)
    frame = frame.dropna(subset=[c for c in frame.columns if c != "sheet"])  # a CSV's is None
    if year_of_sheet:
        frame = frame[frame["financial_year"] == year_of_sheet]
    frame = frame.astype({"quarter": "int64", "count": "int64", "row": "int64"})
    frame.insert(
        4,
        "period_start",
        [
            values.period_start(y, q)
            for y, q in zip(frame["financial_year"], frame["quarter"], strict=True)
        ],
    )
    return frame


def _forces(s: _Sheet, rules: Rules) -> pd.Series:
    raw = s.cells(col.FORCE)
    text = raw.map(values.text)
    known = {name: rules.names.lookup(name) for name in text.unique()}
    force = text.map(known)

    hints: dict[str, str] = {}  # one look for close names per unknown name, not per row

    def message(cell) -> str:
        name = values.text(cell)
        if name not in hints:
            hints[name] = rules.names.hint(name) if name else ""
        hint = hints[name]
        return (
            f"is not a force of {REFERENCE}/forces.csv nor a published name in "
            f"{REFERENCE}/force_names.csv" + (f"; close matches: {hint}" if hint else "")
        )

    s.flag(force.isna(), "force_unknown", col.FORCE, raw, message)
    return force


def _outcome_types(s: _Sheet, rules: Rules) -> pd.Series:
    raw = s.cells(col.OUTCOME_TYPE)
    parsed = raw.map(values.outcome_type)
    parsed = parsed.where(parsed.isin(rules.outcome_types))
    s.flag(
        parsed.isna(),
        "outcome_type_unknown",
        col.OUTCOME_TYPE,
        raw,
        f"is not a Home Office outcome type of {REFERENCE}/outcome_types.csv (1, 1A, 2 ... 22)",
    )
    return parsed
