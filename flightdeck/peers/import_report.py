"""The report of a peer results file: each broken rule with its line, column and value, at
most `EXAMPLES_PER_RULE` examples per rule, and the total per rule."""

from dataclasses import dataclass, field

import pandas as pd

EXAMPLES_PER_RULE = 10


@dataclass
class Finding:
    rule: str
    message: str
    line: int | None = None
    column: str | None = None
    value: str | None = None


@dataclass
class ImportReport:
    """Everything wrong with a results file; `ok` when nothing is."""

    file_name: str
    findings: list[Finding] = field(default_factory=list)
    totals: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.findings

    def add(self, rule: str, message: str, line=None, column=None, value=None) -> None:
        self.totals[rule] = self.totals.get(rule, 0) + 1
        if self.totals[rule] <= EXAMPLES_PER_RULE:
            self.findings.append(Finding(rule, message, line, column, value))

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame(
            [
                {
                    "rule": f.rule,
                    "column": f.column,
                    "line": f.line,
                    "value": f.value,
                    "message": f.message,
                    "total": self.totals[f.rule],
                }
                for f in self.findings
            ],
            columns=["rule", "column", "line", "value", "message", "total"],
        )

    def to_text(self) -> str:
        if self.ok:
            return f"{self.file_name}: no problems."
        lines = [f"{self.file_name}: refused."]
        for f in self.findings:
            where = f" line {f.line}" if f.line else ""
            col = f" [{f.column}]" if f.column else ""
            val = f" value {f.value!r}" if f.value not in (None, "") else ""
            lines.append(f"  {f.rule}{where}{col}{val}: {f.message}")
        for rule, total in self.totals.items():
            if total > EXAMPLES_PER_RULE:
                lines.append(f"  {rule}: {total} in all ({EXAMPLES_PER_RULE} shown)")
        return "\n".join(lines)
