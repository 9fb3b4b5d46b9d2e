"""The report of one published file: each broken rule with the sheet, the row (as the
spreadsheet numbers it, or the CSV's line), the column and the value, at most
EXAMPLES_PER_RULE examples per rule and the total per rule; and what was read: the data
sheets, the sheets skipped, the rows kept and the rows of other offences skipped."""

from dataclasses import dataclass, field

import pandas as pd

EXAMPLES_PER_RULE = 10
VALUE_CHARS = 60  # a value quoted in a message is cut to this length


@dataclass
class Finding:
    rule: str
    message: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    value: str | None = None


@dataclass
class NationalReport:
    """Everything wrong with one file (`ok` when nothing is) and what it holds."""

    file_name: str
    csv: bool = False  # rows are a CSV's lines, and there are no sheets
    kind: str | None = None
    sheets: list[str] = field(default_factory=list)
    sheets_skipped: list[str] = field(default_factory=list)
    rows_kept: int = 0
    rows_skipped: int = 0
    findings: list[Finding] = field(default_factory=list)
    totals: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.totals

    def add(self, rule: str, message: str, sheet=None, row=None, column=None, value=None) -> None:
        self.totals[rule] = self.totals.get(rule, 0) + 1
        if self.totals[rule] <= EXAMPLES_PER_RULE:
            shown = None if value is None else str(value)[:VALUE_CHARS]
            self.findings.append(Finding(rule, message, sheet, row, column, shown))

    def where(self, finding: Finding) -> str:
        parts = []
        if finding.sheet is not None and not self.csv:
            parts.append(f"sheet {finding.sheet!r}")
        if finding.row is not None:
            parts.append(f"{'line' if self.csv else 'row'} {finding.row}")
        if finding.column:
            parts.append(f"column {finding.column!r}")
        return ", ".join(parts)

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame(
            [
                {
                    "file": self.file_name,
                    "sheet": f.sheet,
                    "row": f.row,
                    "column": f.column,
                    "value": f.value,
                    "rule": f.rule,
                    "message": f.message,
                    "total": self.totals[f.rule],
                }
                for f in self.findings
            ],
            columns=["file", "sheet", "row", "column", "value", "rule", "message", "total"],
        )

    def to_text(self) -> str:
        if self.ok:
            return f"{self.file_name}: no problems."
        lines = [f"{self.file_name}: refused, {sum(self.totals.values()):,} problems."]
        for f in self.findings:
            where = self.where(f)
            if f.value not in (None, ""):
                where = f"{where}, value {f.value!r}" if where else f"value {f.value!r}"
            lines.append(f"  {f.rule}{' at ' + where if where else ''}: {f.message}")
        for rule, total in self.totals.items():
            if total > EXAMPLES_PER_RULE:
                lines.append(f"  {rule}: {total:,} in all ({EXAMPLES_PER_RULE} shown)")
        return "\n".join(lines)
