"""The summary matrix: every KPI kept in a row (suppressed, not feasible and incomplete ones
too), its words, its sort orders, and the accessible HTML table with escaped cells, inline
icons and no assurance icon without a target."""

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

import pandas as pd

from flightdeck.present import icons, matrix, tiles


@dataclass(frozen=True)
class Kpi:
    id: str
    name: str
    pillar: str


@dataclass(frozen=True)
class Tile:  # the contract's fields of tiles.Tile that the matrix reads
    headline: str
    status: str = "value"
    note: str = ""
    signal: str = "No signal: ordinary month-to-month variation"
    latest: str = ""
    variation: str | None = "common_cause"
    assurance: str | None = None
    target: float | None = None
    assurance_words: str = ""
    extra: dict = field(default_factory=dict)


DECK = [
    (Kpi("K01", "Suspect identified within 30 days", "suspect-focused"), Tile("41.2%")),
    (
        Kpi("K02", "Charge/summons rate", "outcomes and timeliness"),
        Tile(
            "6.1%",
            signal="Signal: a month below the lower limit (Jun 2025): a concern",
            variation="concern_low",
            assurance="consistent_fail",
            target=0.1,
            assurance_words="Target 10.0%: the process will consistently miss it",
        ),
    ),
    (
        Kpi("K07", "ISVA referral within 7 days", "victim engagement"),
        Tile("n/a", "not_feasible", "n/a — not feasible: no ISVA referral date", "", "", None),
    ),
    (
        Kpi("K03", "Rapes recorded", "outcomes and timeliness"),
        Tile("120 crimes", signal="Signal: 7 months in a row above", variation="neutral_high"),
    ),
    (
        Kpi("K05", "Victims' Code needs assessment", "victim engagement"),
        Tile(
            "incomplete",
            "incomplete",
            "Incomplete: the time window for this month is still open",
            latest="Latest complete month, May 2025: 40.0%",
            variation="improvement_high",
            signal="Signal: an improvement",
        ),
    ),
    (
        Kpi("K04", "Suspects with a bail condition", "repeat suspects"),
        Tile("suppressed (small numbers)", "suppressed", "Too few to publish", "", "", None),
    ),
    (
        Kpi("K06", "Open investigations", "digital and forensics"),
        Tile("n/a", "no_data", "Nothing to count for this force in this month", "", "", None),
    ),
]


def _table() -> pd.DataFrame:
    return matrix.rows(DECK)


def test_every_kpi_is_kept_with_its_headline_as_it_is():
    table = _table()
    assert list(table["kpi_id"]) == [k.id for k, _ in DECK]
    assert dict(zip(table["kpi_id"], table["value"], strict=True)) == {
        "K01": "41.2%",
        "K02": "6.1%",
        "K07": "n/a",
        "K03": "120 crimes",
        "K05": "incomplete",
        "K04": "suppressed (small numbers)",
        "K06": "n/a",
    }
    assert table.set_index("kpi_id").loc["K02", "pillar"] == "Outcomes and timeliness"


def test_words_give_the_signal_the_assurance_and_for_no_value_the_reason():
    words = _table().set_index("kpi_id")["words"]
    assert words["K01"] == "No signal: ordinary month-to-month variation"
    assert words["K02"] == (
        "Signal: a month below the lower limit (Jun 2025): a concern. "
        "Target 10.0%: the process will consistently miss it"
    )
    assert words["K07"] == "n/a — not feasible: no ISVA referral date"
    assert words["K05"].startswith("Incomplete: the time window")
    assert "Latest complete month, May 2025: 40.0%. Signal: an improvement" in words["K05"]
    assert words["K04"] == "Too few to publish"


def _order(how: str) -> list[str]:
    return list(matrix.sorted_rows(_table(), how)["kpi_id"])


def test_the_sort_orders():
    assert list(matrix.SORTS) == ["Pillar (the model's order)", "Concerns first", "KPI number"]
    assert _order("KPI number") == ["K01", "K02", "K03", "K04", "K05", "K06", "K07"]
    # the operating model's pillars in order, KPIs by number within a pillar
    assert _order("Pillar (the model's order)") == ["K01", "K04", "K05", "K07", "K06", "K02", "K03"]
    # concern, improvement, context signal, common cause, then those with nothing to judge
    assert _order("Concerns first") == ["K02", "K05", "K03", "K01", "K04", "K06", "K07"]
    assert _order("no such order") == _order(matrix.DEFAULT_SORT)


def test_the_count_line_accounts_for_every_kpi():
    assert matrix.count_line(_table()) == (
        "1 concern · 1 improvement · 1 change in a context measure · 1 ordinary variation · "
        "1 suppressed (small numbers) · 1 cannot be computed · 1 nothing to count. "
        "1 KPI is still being counted this month: its icon reads the latest complete month"
    )


def _parsed(markup: str) -> ET.Element:
    return ET.fromstring(markup)  # well-formed: every cell escaped


def test_the_table_is_accessible_with_inline_icons():
    markup = matrix.html_table(_table(), caption="Jun 2025 at a glance")
    root = _parsed(markup)
    assert root.find("caption").text == "Jun 2025 at a glance"
    assert [th.get("scope") for th in root.find("thead").iter("th")] == ["col"] * 6
    body = root.find("tbody").findall("tr")
    assert len(body) == len(DECK)
    assert all(tr.find("th").get("scope") == "row" for tr in body)
    # a row's class names its group apart from the cells' classes (a "value" row is not bold)
    assert [tr.get("class") for tr in body][:3] == [
        "fd-group-common_cause",
        "fd-group-concern",
        "fd-group-not_feasible",
    ]
    assert markup.count("<svg") == 4 + 1  # four variation icons, one assurance icon
    assert 'aria-label="Special cause concern: lower than expected"' in markup
    assert f'aria-label="{icons.ASSURANCE_WORDS["consistent_fail"]}"' in markup
    assert "<a " not in markup  # no links without href


def test_no_assurance_icon_without_a_target_only_words_for_screen_readers():
    root = _parsed(matrix.html_table(_table()))
    k01 = next(tr for tr in root.iter("tr") if tr.find("th").text.startswith("K01"))
    cells = k01.findall("td")
    assurance = cells[3]
    assert assurance.find("{http://www.w3.org/2000/svg}svg") is None
    assert assurance.find("span").get("class") == "fd-sr"
    assert assurance.find("span").text == "no target set"
    k07 = next(tr for tr in root.iter("tr") if tr.find("th").text.startswith("K07"))
    assert k07.findall("td")[2].find("span").get("class") == "fd-sr"  # no variation either
    assert ".fd-sr{" in matrix.MATRIX_CSS  # visually hidden, read aloud


def test_names_and_words_are_escaped_and_links_come_from_href():
    deck = [(Kpi("K09", 'Arrests <script>alert("x")</script> & more', "suspect-focused"),
             Tile("5 <b>suspects</b>", signal="Signal: a > b & c"))]  # fmt: skip
    markup = matrix.html_table(matrix.rows(deck), href=lambda k: f'kpi?kpi={k}&force=a"b')
    assert "<script>" not in markup and "<b>" not in markup
    assert "&lt;script&gt;" in markup and "a &gt; b &amp; c" in markup
    link = _parsed(markup).find(".//a")
    assert link.get("href") == 'kpi?kpi=K09&force=a"b'
    assert link.text.startswith("K09 · Arrests <script>")
    grid = matrix.grid_row_html(matrix.rows(deck).iloc[0])
    assert "<b>" not in grid and "5 &lt;b&gt;suspects&lt;/b&gt;" in grid


def test_the_grid_row_has_the_table_s_value_icons_and_words():
    row = _table().iloc[1]
    grid = matrix.grid_row_html(row)
    assert re.findall(r'aria-label="([^"]+)"', grid) == [
        icons.VARIATION_WORDS["concern_low"],
        icons.ASSURANCE_WORDS["consistent_fail"],
    ]
    assert "6.1%" in grid and "a concern. Target 10.0%" in grid
    assert matrix.grid_header_html().count("<div>") == len(matrix.GRID_COLUMNS)


def test_the_legend_shows_every_icon():
    legend = matrix.legend_html()
    assert legend.count("<svg") == len(icons.VARIATION_WORDS) + len(icons.ASSURANCE_WORDS)


def test_the_real_tile_carries_what_the_matrix_reads():
    tile = tiles.Tile(
        headline="41.2%",
        status="value",
        note="12 of 40 crimes",
        previous=None,
        last_year=None,
        signal="No signal",
        assessment=None,
        spark=pd.DataFrame(),
        variation="common_cause",
        assurance="inconsistent",
        target=0.4,
        assurance_words="Target 40.0%: hit and miss",
    )
    row = matrix.rows([(Kpi("K01", "Suspect identified", "suspect-focused"), tile)]).iloc[0]
    assert row["assurance"] == "inconsistent" and row["words"].endswith("hit and miss")
