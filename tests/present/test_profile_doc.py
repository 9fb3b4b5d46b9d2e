"""The problem profile document from a hand-built profile: every section, hidden counts printed
as suppressed (never 0), no ethnicity breakdown below the threshold, the synthetic mark on
every page."""

import html
import re

from flightdeck.present import formatting, profile_doc
from helpers.profiles import hand_partners, hand_profile


def build(**kw) -> str:
    p = hand_profile(**kw)
    return profile_doc.build(p, hand_partners(p.period), None, None)


def sections(text: str) -> list[str]:
    return re.findall(r"<section class='(?:page|title-page[^']*)'.*?</section>", text, re.S)


def row(text: str, first_cell: str) -> list[str]:
    """The cells of the table row whose first cell is `first_cell`."""
    found = re.search(rf"<tr[^>]*><td>{re.escape(first_cell)}</td>(.*?)</tr>", text)
    return re.findall(r"<td[^>]*>(.*?)</td>", found[1])


def test_every_section_has_its_page_and_heading_in_order():
    text = build()
    headings = re.findall(r"<section class='page' id='([a-z]+)'><div[^>]*>[^<]*</div><h2>", text)
    assert headings == [anchor for anchor, _ in profile_doc.CONTENTS]
    for _, heading in profile_doc.CONTENTS:
        assert f"<h2>{html.escape(heading)}</h2>" in text
    assert "<h1>RASSO problem profile: Northmoor Constabulary (synthetic)</h1>" in text
    assert "Dec 2025 to Nov 2026, against Dec 2024 to Nov 2025" in text


def test_a_hidden_count_is_printed_as_suppressed_never_as_zero():
    text = build()
    # 19D: both periods hidden; 88E: 4 before (published), now hidden, so no change either
    assert row(text, "19D")[2:] == ["suppressed", "suppressed", "—", "—"]
    assert row(text, "88E")[2:] == ["4", "suppressed", "—", "—"]
    # 17A: 246 then 277: +31, +12.6 %
    assert row(text, "17A")[2:] == ["246", "277", "+31", "+12.6%"]
    assert row(text, "0-12") == ["20", "suppressed", "0", "6"]
    # the partner month hidden; its 12-month total would give it back, so none
    sarc = row(text, "Attendances at the sexual assault referral centre")
    assert sarc[3] == "suppressed" and sarc[-1] == "—" and sarc[:3] == ["50", "51", "52"]
    # open cases at each month end are a stock: shown by month, never added up
    stock = row(text, "Open cases held by the ISVA service")
    assert stock[:2] == ["100", "101"] and stock[-1] == "not added (month-end figure)"
    assert "Suspects named in two or more crimes recorded in the 12 months (S01): suppressed" in (
        text
    )


def test_below_the_threshold_no_ethnicity_breakdown_is_shown_and_the_reason_is():
    text = build(passes=False)
    assert "Victim&#x27;s ethnicity (recorded)" not in text and "Mixed" not in text
    assert "below the 80 % threshold needed for a breakdown, so none is shown." in text
    shown = build(passes=True)
    assert row(shown, "White") == ["300"] and row(shown, "Mixed") == ["suppressed"]


def test_repeat_victims_are_counted_or_said_to_be_uncountable():
    assert (
        "Victims of more than one crime recorded in the 12 months: 37 of 430 victims, the "
        "victims of 87 of 480 crimes." in build()
    )
    assert "does not record victim_id, so repeat victims cannot be counted" in build(victims=False)


def test_the_synthetic_mark_is_on_every_page_and_in_the_printed_margins():
    text = build()
    pages = sections(text)
    assert len(pages) == 11 and all(formatting.SYNTHETIC_BANNER in page for page in pages)
    assert '@top-center{content:"Synthetic demo data' in text
    real = build(synthetic=False)
    assert formatting.SYNTHETIC_BANNER not in real and "Synthetic demo data" not in real


def test_without_comparisons_the_pages_say_why():
    text = build()
    assert "No peer group with figures here" in text
    assert "No published national figures are loaded" in text
