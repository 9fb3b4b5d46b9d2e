"""Published national tables written by hand for the tests: rows in the Home Office's
open-data layout, saved as ODS, XLSX or CSV with pandas."""

from pathlib import Path

import pandas as pd

HEADER = [
    "Financial Year",
    "Financial Quarter",
    "Force Name",
    "Offence Description",
    "Offence Group",
    "Offence Subgroup",
    "Offence Code",
    "Number of Offences",
]
OUTCOME_HEADER = [
    *HEADER[:7],
    "Outcome Description",
    "Outcome Group",
    "Outcome Type",
    "Number of Outcomes",
]
RAPE, OTHER = "Rape offences", "Other sexual offences"
DESCRIPTIONS = {
    "19C": "Rape of a female aged 16 and over",
    "19D": "Rape of a female under 16",
    "20A": "Sexual assault on a female aged 13 and over",
    "34B": "Robbery",
}


def recorded(code="19C", count=10, force="Kent", quarter=1, year="2023/24", subgroup=None):
    """One row of a recorded crime table; the subgroup follows the code unless given."""
    robbery = code == "34B"
    subgroup = subgroup or (
        "Robbery of personal property" if robbery else RAPE if code.startswith("19") else OTHER
    )
    group = "Robbery" if robbery else "Sexual offences"
    return [
        year,
        quarter,
        force,
        DESCRIPTIONS.get(code, "An offence"),
        group,
        subgroup,
        code,
        count,
    ]


def outcome(outcome_type="1", count=5, code="19C", force="Kent", quarter=1, year="2023/24"):
    """One row of an outcomes table."""
    row = recorded(code, None, force, quarter, year)[:7]
    return [*row, "An outcome", "A group", outcome_type, count]


def write_table(
    path: Path,
    sheets: dict[str, list[list]],
    header: list[str] = HEADER,
    title_rows: int = 0,
    extra_sheets: dict[str, list[list]] | None = None,
) -> Path:
    """Write `sheets` (name -> rows under `header`, below `title_rows` title lines) to an
    .ods, .xlsx or .csv file (a CSV takes one sheet); `extra_sheets` (Cover, Notes) go first."""

    def table(rows):
        titles = [["Police recorded crime: a title row"] + [None] * (len(header) - 1)]
        return pd.DataFrame(titles * title_rows + [header] + rows)

    if path.suffix == ".csv":
        (rows,) = sheets.values()
        table(rows).to_csv(path, header=False, index=False)
        return path
    engine = {".ods": "odf", ".xlsx": "openpyxl"}[path.suffix]
    with pd.ExcelWriter(path, engine=engine) as book:
        for name, rows in (extra_sheets or {}).items():
            pd.DataFrame(rows).to_excel(book, sheet_name=name, header=False, index=False)
        for name, rows in sheets.items():
            table(rows).to_excel(book, sheet_name=name, header=False, index=False)
    return path
