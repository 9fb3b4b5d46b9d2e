"""Settings are declared once, and the README's settings table says exactly what they are."""

import re
from pathlib import Path

from flightdeck import settings

README = Path(__file__).resolve().parents[1] / "README.md"
UNSET = "(unset)"  # how the README writes an empty default


def readme_settings() -> list[tuple[str, str, str]]:
    """(name, default, meaning) of each row of the README's table under `## Settings`."""
    text = README.read_text(encoding="utf-8")
    section = text.split("\n## Settings\n", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[0].startswith("`FLIGHTDECK_"):
            name, default = (re.sub(r"^`(.*)`$", r"\1", c) for c in cells[:2])
            rows.append((name, "" if default == UNSET else default, cells[2]))
    return rows


def test_the_readme_lists_every_setting_with_its_default_and_meaning():
    declared = [(s.name, s.default, s.meaning) for s in settings.SETTINGS]
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
