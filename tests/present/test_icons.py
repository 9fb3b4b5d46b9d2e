"""The Making Data Count icons: one for every variation and assurance key, each an image with
its words as accessible name and title, in the palette's colour for its meaning, and readable
by a colour-blind reader (a letter and markers, not colour alone)."""

import base64
import re
import xml.etree.ElementTree as ET

import pytest

from flightdeck.present import icons
from flightdeck.present.style import BLUE, GREY, ORANGE, PURPLE

SVG = "{http://www.w3.org/2000/svg}"
VARIATIONS = [
    "common_cause",
    "improvement_high",
    "improvement_low",
    "concern_high",
    "concern_low",
    "neutral_high",
    "neutral_low",
]
ASSURANCES = ["consistent_pass", "consistent_fail", "inconsistent"]


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # well-formed XML, so it also works as an image file


def test_the_keys_are_the_contract_s():
    assert list(icons.VARIATION_WORDS) == VARIATIONS
    assert list(icons.ASSURANCE_WORDS) == ASSURANCES


@pytest.mark.parametrize(
    ("draw", "key", "words"),
    [(icons.variation_svg, k, icons.VARIATION_WORDS[k]) for k in VARIATIONS]
    + [(icons.assurance_svg, k, icons.ASSURANCE_WORDS[k]) for k in ASSURANCES],
)
def test_every_icon_is_an_image_named_in_words(draw, key, words):
    root = _parse(draw(key))
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("aria-label") == words
    assert root.find(f"{SVG}title").text == words
    assert root.get("width") == root.get("height") == "32"
    assert _parse(draw(key, size=48)).get("width") == "48"


@pytest.mark.parametrize(
    ("key", "colour"),
    [
        ("common_cause", GREY),
        ("improvement_high", BLUE),
        ("improvement_low", BLUE),
        ("concern_high", ORANGE),
        ("concern_low", ORANGE),
        ("neutral_high", PURPLE),
        ("neutral_low", PURPLE),
    ],
)
def test_variation_colours_mean_what_they_say(key, colour):
    circle = _parse(icons.variation_svg(key)).find(f"{SVG}circle")
    assert circle.get("fill") == colour


def _letters(svg: str) -> list[str]:
    return [t.text for t in _parse(svg).iter(f"{SVG}text")]


def test_special_causes_say_high_or_low_and_common_cause_has_no_letter():
    for key in VARIATIONS[1:]:
        assert _letters(icons.variation_svg(key)) == ["H" if key.endswith("high") else "L"]
    assert _letters(icons.variation_svg("common_cause")) == []


def test_improvement_and_concern_differ_by_marker_not_only_by_colour():
    # the charts' markers: diamonds (paths) for an improvement, squares (rects) for a concern
    improvement = _parse(icons.variation_svg("improvement_high"))
    concern = _parse(icons.variation_svg("concern_high"))
    assert len(improvement.findall(f"{SVG}path")) == 3 and not improvement.findall(f"{SVG}rect")
    assert len(concern.findall(f"{SVG}rect")) == 3 and not concern.findall(f"{SVG}path")


def test_assurance_icons_pass_fail_and_hit_and_miss():
    assert _letters(icons.assurance_svg("consistent_pass")) == ["P"]
    assert _letters(icons.assurance_svg("consistent_fail")) == ["F"]
    fills = {k: _parse(icons.assurance_svg(k)).find(f"{SVG}circle").get("fill") for k in ASSURANCES}
    assert fills == {"consistent_pass": BLUE, "consistent_fail": ORANGE, "inconsistent": GREY}
    hit_and_miss = _parse(icons.assurance_svg("inconsistent"))
    assert hit_and_miss.find(f"{SVG}line") is not None  # the target line the dots cross
    assert _letters(icons.assurance_svg("inconsistent")) == []


def test_letters_and_dots_read_against_their_circle():
    for colour in (BLUE, ORANGE, PURPLE, GREY):
        assert icons.contrast(icons.ink_on(colour), colour) >= 3.9  # WCAG 1.4.11 asks for 3


def test_an_unknown_key_is_refused_naming_it():
    with pytest.raises(ValueError, match="'improvement'"):
        icons.variation_svg("improvement")
    with pytest.raises(ValueError, match="'pass'"):
        icons.assurance_svg("pass")


def test_words_are_plain_and_escaped_in_the_markup(monkeypatch):
    monkeypatch.setitem(icons.VARIATION_WORDS, "common_cause", 'Ordinary <b>"noise"</b> & more')
    svg = icons.variation_svg("common_cause")
    assert "<b>" not in svg and "&lt;b&gt;" in svg and "&amp; more" in svg
    assert _parse(svg).get("aria-label") == 'Ordinary <b>"noise"</b> & more'


def test_a_data_uri_holds_the_svg_for_an_image_url():
    svg = icons.assurance_svg("consistent_pass")
    uri = icons.data_uri(svg)
    assert uri.startswith("data:image/svg+xml;base64,")
    assert base64.b64decode(uri.split(",", 1)[1]).decode() == svg
    img = icons.img_tag(svg, "Pass & more")
    assert re.search(r'alt="Pass &amp; more"', img) and 'width="32"' in img
