"""The validation report: what was wrong with a file, where, and how often.

A report holds a bounded number of example findings per rule (each naming the file, rule, column,
offending value and file line, header = line 1) and, per rule, the total number of offending rows.
The terminal shows `to_text()`; the pages offer `to_frame()` as a CSV download.

A report never quotes an identifier: the values of the id columns, and any value the caller names
as withheld (one equal to an id of the file), read "[id withheld]"; the line still locates the row
in the analyst's own file.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

import pandas as pd

from flightdeck.extracts.columns import ID_COLUMNS

ERROR = "error"
WARNING = "warning"

# Long values (a whole malformed line, say) are cut in messages so the report stays readable.
_VALUE_SHOWN = 80
# The wording the page's redaction uses too (flightdeck.exports), so a report reads the same
# whichever of the two withheld an id.
ID_WITHHELD = "[id withheld]"


@dataclass(frozen=True)
class Finding:
    """One example of a broken rule. `line` and `column` are None for whole-file findings."""

    severity: str  # 'error' or 'warning'
    rule: str
    column: str | None
    line: int | None
    value: str | None
    message: str


def _shown(value: str | None) -> str:
    if value is None:
        return "blank"
    text = value if len(value) <= _VALUE_SHOWN else value[: _VALUE_SHOWN - 3] + "..."
    return repr(text)


def is_withheld(column: str | None, value: str | None, withheld: Collection[str] = ()) -> bool:
    """Whether a value must not be quoted: it is in an id column, or it is one of `withheld`."""
    return value is not None and (column in ID_COLUMNS or value in withheld)


def quote(column: str | None, value: str | None, withheld: Collection[str] = ()) -> str:
    """A value as a message quotes it: repr-quoted and cut, "blank", or "[id withheld]"."""
    return ID_WITHHELD if is_withheld(column, value, withheld) else _shown(value)


def describe(
    file_name: str,
    line: int | None,
    column: str | None,
    value: str | None,
    withheld: Collection[str] = (),
) -> str:
    """The location part of a message: "f.csv line 12, column recorded_date, value '2024-13-01'".

    A finding about a whole row or file (no column, no value) names no value.
    """
    parts = [f"line {line}"] if line is not None else []
    if column is not None:
        parts.append(f"column {column}")
    if line is not None and (column is not None or value is not None):
        parts.append(f"value {quote(column, value, withheld)}")
    return f"{file_name} " + ", ".join(parts) if parts else file_name


@dataclass
class ValidationReport:
    """Findings for one file: at most `max_examples` examples per rule, and total counts."""

    file_name: str
    findings: list[Finding] = field(default_factory=list)
    totals: dict[tuple[str, str], int] = field(default_factory=dict)
    max_examples: int = 10
    # Examples kept so far per (severity, rule): a rule added once per column is bounded too.
    _kept: dict[tuple[str, str], int] = field(default_factory=dict, repr=False, compare=False)

    @property
    def ok(self) -> bool:
        """True when the file has no errors (warnings do not stop a load)."""
        return not self.errors

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == WARNING]

    def add(
        self,
        severity: str,
        rule: str,
        text: str,
        *,
        column: str | None = None,
        examples: Iterable[tuple] = ((None, None),),
        total: int | None = None,
        withheld: Collection[str] = (),
    ) -> None:
        """Record a broken rule. `examples` are (line, value) or (line, value, detail) tuples;
        at most `max_examples` are kept per rule over all calls (`detail` is appended to that
        example's message). `total` is the number of offending rows (default: the number of
        examples). A value of an id column, or one in `withheld`, is not quoted."""
        examples = list(examples)
        key = (severity, rule)
        room = max(self.max_examples - self._kept.get(key, 0), 0)
        for line, value, *detail in examples[:room]:
            where = describe(self.file_name, line, column, value, withheld)
            message = f"{where}: {text}{''.join(detail)} [{rule}]"
            kept = None if is_withheld(column, value, withheld) else value
            self.findings.append(Finding(severity, rule, column, line, kept, message))
        self._kept[key] = self._kept.get(key, 0) + min(room, len(examples))
        self.totals[key] = self.totals.get(key, 0) + (len(examples) if total is None else total)

    def to_text(self) -> str:
        """The report for a terminal: each rule with its column, examples and total."""
        n_errors = sum(n for (s, _), n in self.totals.items() if s == ERROR)
        n_warnings = sum(n for (s, _), n in self.totals.items() if s == WARNING)
        verdict = "refused" if not self.ok else "accepted"
        lines = [
            f"{self.file_name}: {verdict} ({n_errors:,} errors, {n_warnings:,} warnings)",
        ]
        for (severity, rule), total in self.totals.items():
            examples = [f for f in self.findings if f.rule == rule and f.severity == severity]
            lines.append(f"  {severity.upper()} {rule}: {total:,} in all")
            for f in examples:
                lines.append(f"    {f.message}")
            if total > len(examples):
                lines.append(f"    ... and {total - len(examples):,} more")
        return "\n".join(lines)

    def to_frame(self) -> pd.DataFrame:
        """One row per example: severity, rule, column, line, value, message, total."""
        rows = [
            {
                "severity": f.severity,
                "rule": f.rule,
                "column": f.column,
                "line": f.line,
                "value": f.value,
                "message": f.message,
                "total": self.totals[(f.severity, f.rule)],
            }
            for f in self.findings
        ]
        frame = pd.DataFrame(
            rows, columns=["severity", "rule", "column", "line", "value", "message", "total"]
        )
        frame["line"] = frame["line"].astype("Int64")
        return frame
