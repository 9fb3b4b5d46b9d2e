"""Reading a published file into its sheets of raw cells: an ODS or XLSX workbook (every
sheet) or a CSV (one sheet). Cells are kept as the file holds them (numbers as numbers, text
as text); row i of a sheet's cells is the spreadsheet's row i + 1, title rows and blank rows
included, so a report names rows as the user sees them."""

import csv
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

# calamine (Rust) reads both formats: about 75 times faster than odfpy on the published ODS.
ENGINES = {".ods": "calamine", ".xlsx": "calamine"}
SUFFIXES = (*ENGINES, ".csv")


class UnreadableFile(ValueError):
    """The file is not a workbook or CSV that can be read; the message says why."""


@dataclass
class Sheet:
    name: str | None  # None for a CSV
    cells: pd.DataFrame  # object dtype, positional columns

    def rows(self, count: int) -> list[list]:
        """The first `count` rows, as lists of cells."""
        return self.cells.head(count).to_numpy(dtype=object).tolist()

    def text(self) -> str:
        """Every text cell, space-separated (to look for a "synthetic" mark on a cover)."""
        values = self.cells.to_numpy(dtype=object).ravel()
        return " ".join(v for v in values if isinstance(v, str))


def _read_csv(path: Path) -> list[Sheet]:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            with path.open(newline="", encoding=encoding) as handle:
                rows = list(csv.reader(handle))
            break
        except UnicodeDecodeError:
            continue
        except csv.Error as exc:
            raise UnreadableFile(f"is not a readable CSV file ({exc})") from None
    else:
        raise UnreadableFile("is not text in UTF-8 or Windows-1252")
    cells = pd.DataFrame(rows, dtype=object)
    return [Sheet(None, cells.where(cells.notna(), None))]


def read_sheets(path: Path) -> list[Sheet]:
    """Every sheet of the file, in workbook order. Raises UnreadableFile."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _read_csv(path)
    if suffix not in ENGINES:
        raise UnreadableFile(
            f"is not an ODS, XLSX or CSV file (its name ends {suffix or 'without a suffix'}); "
            "save the published table in one of those formats"
        )
    try:
        # Cells as written: "n/a" or "NA" is text (refused as a count), not a blank.
        frames = pd.read_excel(
            path,
            sheet_name=None,
            header=None,
            dtype=object,
            engine=ENGINES[suffix],
            keep_default_na=False,
            na_values=[],
        )
    except Exception as exc:  # a damaged workbook fails inside its reader in many ways
        raise UnreadableFile(
            f"cannot be read as an {suffix[1:].upper()} workbook ({type(exc).__name__})"
        ) from None
    sheets = []
    for name, frame in frames.items():
        frame = frame.reset_index(drop=True)
        frame.columns = range(frame.shape[1])
        sheets.append(Sheet(str(name), frame))
    return sheets
