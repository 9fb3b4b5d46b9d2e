"""docs/suspects.md says what the product does: every column of the lists, the RFG score's bands
and weights as the configuration file holds them, its worked example as the score works it out,
and the CSV's handling line."""

import datetime as dt
import re

from flightdeck.suspects import lists, rfg
from helpers.paths import ROOT

DOC = (ROOT / "docs" / "suspects.md").read_text(encoding="utf-8")


def between(marker: str) -> str:
    found = re.search(rf"<!-- {marker}[^>]*-->\n(.*?)\n<!-- /{marker} -->", DOC, re.DOTALL)
    assert found, f"no {marker} block in docs/suspects.md"
    return found[1]


def test_every_column_is_defined():
    for column in (*lists.COLUMNS, "score"):
        assert f"| `{column}` |" in DOC, column


def test_the_bands_and_weights_are_those_of_the_configuration_file():
    assert between("rfg:explained") == rfg.explained(rfg.load_config())


def test_the_worked_example_is_worked_out_as_the_score_does():
    days, crimes, harm = map(
        int, re.search(r"<!-- rfg:worked-example (\d+) (\d+) (\d+)", DOC).groups()
    )
    assert between("rfg:worked-example") == rfg.worked_example(
        rfg.load_config(), days, crimes, harm
    )


def test_the_handling_line_is_the_csvs():
    line = lists.handling_line("<force>", dt.date(2025, 6, 1)).replace("2025-06-30", "<month end>")
    assert f"    {line}\n" in DOC


def test_the_docs_name_the_editable_files():
    assert "data/reference/harm_weights.csv" in DOC and "data/reference/rfg_score.toml" in DOC
