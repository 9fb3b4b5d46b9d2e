"""The header of an extract: duplicate names, columns that look like direct personal data,
required columns missing, unknown extra columns. Every problem of the header is reported in one
go (the report keeps a bounded number of examples of each, with the total)."""

from flightdeck.extracts.columns import looks_like_personal_data
from flightdeck.extracts.report import ERROR, WARNING, ValidationReport


def check_header(
    header: list[str], columns: dict[str, str], required: list[str], report: ValidationReport
) -> bool:
    """Report every header problem; False when the file cannot be read further (any error)."""
    if len(header) <= 1 and not set(header) & set(columns):
        report.add(
            ERROR,
            "not_a_csv",
            "the first line has no comma-separated column names: not a CSV extract "
            "(columns must be separated by commas, not semicolons or tabs)",
        )
        return False
    seen: set[str] = set()
    duplicates = [h for h in header if h in seen or seen.add(h)]
    if duplicates:
        report.add(
            ERROR,
            "duplicate_column",
            "this column name appears more than once in the header",
            examples=[(1, name) for name in dict.fromkeys(duplicates)],
        )
    identifying = [h for h in header if h not in columns and looks_like_personal_data(h)]
    for name in dict.fromkeys(identifying):
        report.add(
            ERROR,
            "identifying_column",
            "this column looks like direct personal data; only pseudonymised extracts are "
            "accepted: remove it from the export",
            column=name,
            examples=[(1, name)],
        )
    missing = [c for c in required if c not in header]
    if missing:
        report.add(
            ERROR,
            "required_columns_missing",
            "required columns missing: " + ", ".join(missing),
            examples=[(1, ", ".join(missing))],
        )
    personal = set(identifying)  # a set: a header may have thousands of names
    unknown = [h for h in header if h not in columns and h not in personal]
    for name in dict.fromkeys(unknown):
        report.add(
            WARNING,
            "unknown_column",
            "not a column of the contract: it is ignored",
            column=name,
            examples=[(1, name or "(no name)")],
        )
    return report.ok
