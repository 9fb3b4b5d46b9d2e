"""The columns of the Home Office's open-data tables as published, and how their header row is
found: names are matched case-insensitively, ignoring surrounding and repeated spaces, in the
first HEADER_SEARCH_ROWS rows of a sheet (a published workbook may have title rows above it).
"""

from dataclasses import dataclass

RECORDED, OUTCOMES = "recorded", "outcomes"

YEAR = "Financial Year"
QUARTER = "Financial Quarter"
FORCE = "Force Name"
DESCRIPTION = "Offence Description"
GROUP = "Offence Group"
SUBGROUP = "Offence Subgroup"
CODE = "Offence Code"
# The columns both tables describe a row with, in their published order.
DESCRIPTIVE: tuple[str, ...] = (YEAR, QUARTER, FORCE, DESCRIPTION, GROUP, SUBGROUP, CODE)

OFFENCES = "Number of Offences"  # the count of the recorded crime table
OUTCOME_TYPE = "Outcome Type"  # its presence makes a table an outcomes table
OUTCOMES_COUNT = "Number of Outcomes"
OUTCOME_OPTIONAL: tuple[str, ...] = ("Outcome Description", "Outcome Group")
# Some outcomes tables split the count by when the offence was recorded ("... recorded in
# quarter", "... recorded in previous quarters"); without Number of Outcomes, their sum is it.
SPLIT_COUNT_PREFIX = "force outcomes for offences recorded"

HEADER_SEARCH_ROWS = 10


def normalise(cell) -> str | None:
    """A header cell as compared: lower case, single spaces; None for a blank or a number."""
    if not isinstance(cell, str):
        return None
    text = " ".join(cell.split()).lower()
    return text or None


@dataclass(frozen=True)
class Header:
    """The header row of a sheet: where it is, what kind of table it heads, which column holds
    each published column, and what is missing."""

    row: int  # 0-based position in the sheet (the spreadsheet's row number minus 1)
    kind: str
    positions: dict[str, int]  # published column name -> 0-based column position
    split_counts: tuple[int, ...]  # positions of the split outcome counts
    missing: tuple[str, ...]
    repeated: tuple[str, ...]  # published columns that appear more than once

    @property
    def usable(self) -> bool:
        return not self.missing and not self.repeated

    @property
    def descriptive_found(self) -> int:
        return sum(name in self.positions for name in DESCRIPTIVE)


def _wanted(kind: str) -> tuple[str, ...]:
    if kind == RECORDED:
        return (*DESCRIPTIVE, OFFENCES)
    return (*DESCRIPTIVE, OUTCOME_TYPE, OUTCOMES_COUNT, *OUTCOME_OPTIONAL)


def read_header(cells: list, row: int) -> Header:
    """What row `row` (its cells) would be as the header row."""
    names = [normalise(cell) for cell in cells]
    kind = OUTCOMES if OUTCOME_TYPE.lower() in names else RECORDED
    positions: dict[str, int] = {}
    repeated = []
    for name in _wanted(kind):
        found = [i for i, n in enumerate(names) if n == name.lower()]
        if found:
            positions[name] = found[0]
        if len(found) > 1:
            repeated.append(name)
    split = tuple(i for i, n in enumerate(names) if n and n.startswith(SPLIT_COUNT_PREFIX))
    required = list(DESCRIPTIVE) + ([OFFENCES] if kind == RECORDED else [OUTCOME_TYPE])
    missing = [name for name in required if name not in positions]
    if kind == OUTCOMES and OUTCOMES_COUNT not in positions and not split:
        missing.append(OUTCOMES_COUNT)
    if OUTCOMES_COUNT in positions:
        split = ()
    return Header(row, kind, positions, split, tuple(missing), tuple(repeated))


def find_header(rows: list[list]) -> Header | None:
    """The header row among the first HEADER_SEARCH_ROWS rows: the first with every required
    column, else the one with the most (to say what is missing); None when no row has any."""
    best = None
    for index, cells in enumerate(rows[:HEADER_SEARCH_ROWS]):
        header = read_header(cells, index)
        if header.usable:
            return header
        if header.descriptive_found and (
            best is None or header.descriptive_found > best.descriptive_found
        ):
            best = header
    return best
