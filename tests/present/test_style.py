"""The palette is defined once: the app's theme uses the palette's blue, and every meaning has
a colour, a marker and a tint."""

import tomllib
from pathlib import Path

from flightdeck.present import style
from flightdeck.stats import spc

CONFIG = Path(__file__).resolve().parents[2] / ".streamlit" / "config.toml"


def test_the_streamlit_theme_uses_the_palette():
    theme = tomllib.loads(CONFIG.read_text(encoding="utf-8"))["theme"]
    assert theme["primaryColor"] == style.BLUE
    assert theme["textColor"] == style.INK


def test_every_assessment_has_a_colour_a_marker_a_tint_and_a_text_colour():
    meanings = {spc.IMPROVEMENT, spc.CONCERN, spc.NEUTRAL}
    for table in (style.ASSESSMENT_COLOURS, style.ASSESSMENT_SYMBOLS, style.ASSESSMENT_TINTS,
                  style.ASSESSMENT_TEXT_COLOURS):  # fmt: skip
        assert set(table) == meanings
    # Meaning never by colour alone: the markers differ too.
    assert len(set(style.ASSESSMENT_SYMBOLS.values())) == 3


def test_flag_labels_carry_a_symbol_and_a_word():
    assert style.flag_label("feasible") == "✓ feasible"
    assert style.flag_label("partial") == "◐ partial"
    assert style.flag_label("not_feasible") == "✗ not feasible"
    assert style.flag_label("unheard_of") == "unheard_of"
