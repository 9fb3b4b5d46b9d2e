"""Settings are declared once, and the README's settings table says exactly what they are."""

import re
from pathlib import Path

import pytest

from flightdeck import settings

README = Path(__file__).resolve().parents[1] / "README.md"
UNSET = "(unset)"  # how the README writes an empty default


def readme_settings() -> list[tuple[str, str, str, str]]:
    """(name, default, meaning, accepted values) of each row of the README's table under
    `## Settings`."""
    text = README.read_text(encoding="utf-8")
    section = text.split("\n## Settings\n", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 4 and cells[0].startswith("`FLIGHTDECK_"):
            name, default = (re.sub(r"^`(.*)`$", r"\1", c) for c in cells[:2])
            rows.append((name, "" if default == UNSET else default, cells[2], cells[3]))
    return rows


def test_the_readme_lists_every_setting_with_its_default_meaning_and_rule():
    declared = [(s.name, s.default, s.meaning, s.accepts) for s in settings.SETTINGS]
    assert readme_settings() == declared


def test_the_product_reads_no_environment_variable_it_does_not_declare():
    names = {s.name for s in settings.SETTINGS}
    package = Path(settings.__file__).parent
    used = set()
    for path in package.rglob("*.py"):
        used |= set(re.findall(r"FLIGHTDECK_[A-Z_]+", path.read_text(encoding="utf-8")))
    # FLIGHTDECK_SUPPRESS_* is how a docstring names the two suppression settings together.
    assert used - {"FLIGHTDECK_SUPPRESS_"} <= names


def test_unset_or_empty_settings_take_their_default_and_set_ones_are_read():
    defaults = settings.load_settings({})
    assert defaults.db_path == Path("data/flightdeck.duckdb")
    assert defaults.max_upload_bytes == 500 * 1024 * 1024
    assert defaults.feasibility_threshold == 0.8
    assert (defaults.suppress_count_max, defaults.suppress_min_denominator) == (4, 10)
    assert defaults.roles_file == Path("config/roles.toml")
    assert settings.load_settings({"FLIGHTDECK_DB": " "}).db_path == Path("data/flightdeck.duckdb")
    env = {"FLIGHTDECK_DB": "/srv/fd.duckdb", "FLIGHTDECK_MAX_UPLOAD_MB": "1.5",
           "FLIGHTDECK_SUPPRESS_COUNT_MAX": "9"}  # fmt: skip
    chosen = settings.load_settings(env)
    assert chosen.db_path == Path("/srv/fd.duckdb")
    assert chosen.max_upload_bytes == 1_572_864  # 1.5 x 1024 x 1024
    assert chosen.suppress_count_max == 9
    assert settings.value(settings.LOCAL_ROLE, {}) == "analyst"
    assert settings.value(settings.LOCAL_ROLE, {"FLIGHTDECK_LOCAL_ROLE": "viewer"}) == "viewer"


def test_every_default_meets_its_own_rule():
    for setting in settings.SETTINGS:
        settings.parsed(setting, {})  # raises SettingError if not


# (setting, value, the rule the message gives): each value breaks the rule.
REFUSED = [
    ("FLIGHTDECK_MAX_UPLOAD_MB", "abc", "a number of megabytes above 0"),
    ("FLIGHTDECK_MAX_UPLOAD_MB", "0", "a number of megabytes above 0"),
    ("FLIGHTDECK_MAX_UPLOAD_MB", "-5", "a number of megabytes above 0"),
    ("FLIGHTDECK_MAX_UPLOAD_MB", "inf", "a number of megabytes above 0"),
    ("FLIGHTDECK_MAX_UPLOAD_MB", "500MB", "a number of megabytes above 0"),
    ("FLIGHTDECK_FEASIBILITY_MIN", "2", "a share from 0 to 1"),
    ("FLIGHTDECK_FEASIBILITY_MIN", "-0.1", "a share from 0 to 1"),
    ("FLIGHTDECK_FEASIBILITY_MIN", "80%", "a share from 0 to 1"),
    ("FLIGHTDECK_FEASIBILITY_MIN", "nan", "a share from 0 to 1"),
    ("FLIGHTDECK_HOLD_SHARE", "x", "a share from 0 to 1"),
    ("FLIGHTDECK_HOLD_SHARE", "1.01", "a share from 0 to 1"),
    ("FLIGHTDECK_SUPPRESS_COUNT_MAX", "-1", "a whole number, 0 or more"),
    ("FLIGHTDECK_SUPPRESS_COUNT_MAX", "2.5", "a whole number, 0 or more"),
    ("FLIGHTDECK_SUPPRESS_COUNT_MAX", "four", "a whole number, 0 or more"),
    ("FLIGHTDECK_SUPPRESS_MIN_DENOMINATOR", "-3", "a whole number, 0 or more"),
    ("FLIGHTDECK_LOCAL_ROLE", "admin", "analyst or viewer (admin needs sign-in)"),
    ("FLIGHTDECK_LOCAL_ROLE", "root", "analyst or viewer (admin needs sign-in)"),
    ("FLIGHTDECK_TESTING", "yes", "1, or unset"),
    ("FLIGHTDECK_TESTING", "0", "1, or unset"),
]


@pytest.mark.parametrize("name, text, rule", REFUSED)
def test_a_value_outside_the_rule_is_refused_naming_setting_value_and_rule(name, text, rule):
    with pytest.raises(settings.SettingError) as refused:
        settings.load_settings({name: text})
    assert str(refused.value) == f"{name} is '{text}': it must be {rule}"
    assert refused.value.name == name
    assert isinstance(refused.value, ValueError)  # the app shows it as written


def test_the_message_quotes_the_value_as_given():
    with pytest.raises(settings.SettingError) as refused:
        settings.load_settings({"FLIGHTDECK_MAX_UPLOAD_MB": " abc "})
    assert str(refused.value) == (
        "FLIGHTDECK_MAX_UPLOAD_MB is 'abc': it must be a number of megabytes above 0"
    )


def test_the_edges_of_each_range_are_accepted():
    edges = settings.load_settings(
        {
            "FLIGHTDECK_MAX_UPLOAD_MB": "0.5",
            "FLIGHTDECK_FEASIBILITY_MIN": "0",
            "FLIGHTDECK_HOLD_SHARE": "1",
            "FLIGHTDECK_SUPPRESS_COUNT_MAX": "0",
            "FLIGHTDECK_SUPPRESS_MIN_DENOMINATOR": "0",
            "FLIGHTDECK_LOCAL_ROLE": "Viewer",
            "FLIGHTDECK_TESTING": "1",
        }
    )
    assert edges.max_upload_bytes == 524_288  # half of 1024 x 1024
    assert (edges.feasibility_threshold, edges.hold_share) == (0.0, 1.0)
    assert (edges.suppress_count_max, edges.suppress_min_denominator) == (0, 0)
    assert settings.load_settings({"FLIGHTDECK_FEASIBILITY_MIN": "1"}).feasibility_threshold == 1
    assert settings.load_settings({"FLIGHTDECK_HOLD_SHARE": "0"}).hold_share == 0
    assert settings.parsed(settings.LOCAL_ROLE, {"FLIGHTDECK_LOCAL_ROLE": "Viewer"}) == "viewer"
