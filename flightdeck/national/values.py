"""Reading one published cell: financial years, quarters, counts, outcome types, offence codes
and subgroups, as a spreadsheet or a CSV holds them (a number may come as 12, 12.0 or "12").

Each reader returns the canonical value, or None when the cell is not one.
"""

import datetime as dt
import math
import re

from flightdeck.vocabulary import OTHER_SEXUAL, RAPE

# The Offence Subgroup of the rows kept (compared in lower case, single spaces).
KEPT_SUBGROUPS: dict[str, str] = {
    "rape": RAPE,
    "rape offences": RAPE,
    "other sexual offences": OTHER_SEXUAL,
}
# What the Home Office writes in place of a figure it does not publish; refused, never read as 0.
NOT_AVAILABLE = frozenset({"..", "[x]", "[z]", "[c]", "[u]", "x", "-", "n/a", ":"})

_YEAR = re.compile(r"^(\d{4})\s*[-\u2013/_]\s*(\d{2}|\d{4})$")  # \u2013: an en dash
_SHEET_YEAR = re.compile(r"^\s*(\d{4})\s*[-\u2013/_ ]\s*(\d{2}|\d{4})(?!\d)")
_QUARTER = re.compile(r"^(?:q|quarter\s*)?([1-4])(?:\.0+)?$", re.IGNORECASE)
# A whole number as text: 12, 1,234, or 12.0 (as a spreadsheet saved as CSV may write it).
_WHOLE = re.compile(r"^(\d+|\d{1,3}(?:,\d{3})+)(?:\.0+)?$")
_OUTCOME = re.compile(r"^(?:outcome(?:\s*type)?\s*)?0*(\d{1,2})\s*([a-z]?)$", re.IGNORECASE)
_LEADING_ZEROS = re.compile(r"^0+(?=\d)")


def is_blank(cell) -> bool:
    if cell is None:
        return True
    if isinstance(cell, float) and math.isnan(cell):
        return True
    return isinstance(cell, str) and not cell.strip()


def text(cell) -> str:
    """The cell as text with single spaces: a whole number without its `.0`, blank as ''."""
    if is_blank(cell):
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, dt.datetime):
        return cell.date().isoformat()
    return " ".join(str(cell).split())


def _year_label(first: str, second: str) -> str | None:
    start = int(first)
    end = int(second) if len(second) == 4 else (start // 100) * 100 + int(second)
    if len(second) == 2 and end < start:
        end += 100  # 1999/00
    return f"{start}/{str(start + 1)[-2:]}" if end == start + 1 else None


def financial_year(cell) -> str | None:
    """'2022/23' from 2022/23, 2022-23, 2022_23 or 2022/2023."""
    found = _YEAR.match(text(cell))
    return _year_label(*found.groups()) if found else None


def sheet_year(name: str) -> str | None:
    """The financial year a sheet is named for (2022-23, 2022_23, "2023-24 (provisional)")."""
    found = _SHEET_YEAR.match(name)
    return _year_label(*found.groups()) if found else None


def quarter(cell) -> int | None:
    """1 to 4, from 1, 1.0, "1", "Q1" or "Quarter 1"."""
    if isinstance(cell, bool):
        return None
    if isinstance(cell, int | float) and not is_blank(cell):
        return int(cell) if float(cell).is_integer() and 1 <= cell <= 4 else None
    found = _QUARTER.match(text(cell))
    return int(found.group(1)) if found else None


def period_start(year: str, q: int) -> dt.date:
    """The first day of a financial quarter: Q1 of 2022/23 starts on 1 April 2022."""
    first = int(year[:4])
    return dt.date(first + 1, 1, 1) if q == 4 else dt.date(first, 3 * q + 1, 1)


def count(cell) -> int | None:
    """A whole number of 0 or more (12, 12.0, "12", "12.0", "1,234"); None for anything
    else (a fraction, a negative number, text, a blank, a not-available mark)."""
    if isinstance(cell, bool):
        return None
    if isinstance(cell, int):
        return cell if cell >= 0 else None
    if isinstance(cell, float):
        return int(cell) if not math.isnan(cell) and cell.is_integer() and cell >= 0 else None
    found = _WHOLE.match(text(cell))
    return int(found.group(1).replace(",", "")) if found else None


def not_available(cell) -> bool:
    return text(cell).lower() in NOT_AVAILABLE


def outcome_type(cell) -> str | None:
    """The outcome type as the reference list writes it: '1', '1A', '14' from 1, 1.0, "01",
    "1a" or "Outcome 1A". Not checked against the list here."""
    found = _OUTCOME.match(text(cell))
    return f"{int(found.group(1))}{found.group(2).upper()}" if found else None


def offence_code(cell) -> str:
    """The code as the reference list writes it: 19C from 19c, 019C or " 19C "; 21 from 21.0."""
    return _LEADING_ZEROS.sub("", text(cell).upper().replace(" ", ""))


def offence_group(cell) -> str | None:
    """rape or other_sexual for a kept Offence Subgroup, None for any other offence."""
    return KEPT_SUBGROUPS.get(text(cell).lower())
