"""The RFG score's configuration file: read and checked (each mistake named by file and key),
the worked example, and the promise that a more recent last crime, more crimes or more harm
never lowers a score, for the shipped bands and for any bands the checks let through."""

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flightdeck import access
from flightdeck.suspects import lists, rfg
from helpers.kpis import FORCE, crime
from helpers.store import insert_case_load

SHIPPED = rfg.load_config()


def toml(recency: str = "", frequency: str = "", gravity: str = "") -> str:
    return (
        "[recency]\nweight = 1\n"
        + (recency or "bands = [{ up_to_days = 30, points = 2 }, { up_to_days = 90, points = 1 }]")
        + "\n[frequency]\nweight = 1\n"
        + (frequency or "bands = [{ from_crimes = 1, points = 1 }]")
        + "\n[gravity]\nweight = 2\n"
        + (gravity or "bands = [{ from_days = 0, points = 1 }, { from_days = 1000, points = 3 }]")
        + "\n"
    )


def test_the_shipped_file_holds_the_documented_bands():
    assert SHIPPED.recency.bands == ((30, 5), (91, 4), (182, 3), (273, 2), (364, 1))
    assert SHIPPED.frequency.bands == ((1, 1), (2, 2), (3, 3), (4, 4), (6, 5))
    assert SHIPPED.gravity.bands == ((0, 1), (365, 2), (1825, 3), (3650, 4), (7300, 5))
    assert [p.weight for p in SHIPPED.parts] == [1, 1, 1]
    assert SHIPPED.whole_weights


def test_a_worked_example_part_by_part():
    # last crime 10 days before E, 3 crimes, 1,825 + 1,825 + 182 = 3,832 days of harm
    parts = SHIPPED.explain(10, 3, 3832)
    assert [(p.part, p.figure, p.points, p.weighted) for p in parts] == [
        ("recency", 10, 5, 5),
        ("frequency", 3, 3, 3),
        ("gravity", 3832, 4, 4),
    ]
    assert SHIPPED.score(10, 3, 3832) == 12
    assert rfg.worked_example(SHIPPED, 10, 3, 3832).endswith("- score = 5 + 3 + 4 = 12")


@pytest.mark.parametrize(
    "days, crimes, harm, expected",
    [
        (0, 1, 182, 5 + 1 + 1),
        (30, 5, 365, 5 + 4 + 2),  # the edges: 30 days is in the first band, 5 crimes in "4"
        (31, 6, 7299, 4 + 5 + 4),
        (364, 20, 7300, 1 + 5 + 5),
        (365, 1, 0, 0 + 1 + 1),  # outside every recency band: 0
    ],
)
def test_band_edges(days, crimes, harm, expected):
    assert SHIPPED.score(days, crimes, harm) == expected


def test_weights_multiply_the_points():
    config = rfg.parse_rfg(toml())
    assert config.score(10, 1, 1000) == 2 + 1 + 2 * 3
    assert config.score(100, 0, 0) == 0 + 0 + 2 * 1


@pytest.mark.parametrize(
    "text, message",
    [
        ("not = [toml", "not valid TOML"),
        (toml() + "[victims]\nweight = 1\n", "unknown part [victims]"),
        (toml().replace("[gravity]", "[gravity_]"), "unknown part [gravity_]"),
        (toml().replace("weight = 2", 'weight = "high"'), "[gravity] weight: must be a number"),
        (toml().replace("weight = 2", "weight = -1"), "[gravity] weight: must be 0 or more"),
        (toml(frequency="bands = []"), "[frequency] bands: must be a list of at least one"),
        (
            toml(frequency="bands = [{ from_days = 1, points = 1 }]"),
            "[frequency] bands[1]: each band holds exactly from_crimes and points",
        ),
        (
            toml(frequency="bands = [{ from_crimes = 1.5, points = 1 }]"),
            "[frequency] bands[1].from_crimes: must be a whole number",
        ),
        (
            toml(frequency="bands = [{ from_crimes = 1, points = -1 }]"),
            "[frequency] bands[1].points: must be a whole number, 0 or more",
        ),
        (
            toml(frequency="bands = [{ from_crimes = 2, points = 1 }, "
                 "{ from_crimes = 2, points = 2 }]"),
            "[frequency] bands[2].from_crimes: 2 does not follow 2",
        ),
        (
            toml(gravity="bands = [{ from_days = 0, points = 2 }, { from_days = 9, points = 1 }]"),
            "[gravity] bands[2].points: 1 after 2: gravity points must never fall",
        ),
        (
            toml(recency="bands = [{ up_to_days = 9, points = 1 }, "
                 "{ up_to_days = 99, points = 2 }]"),
            "[recency] bands[2].points: 2 after 1: recency points must never rise",
        ),
        (toml().replace("weight = 1\n", "weight = 1\nscale = 2\n", 1), "[recency] scale: unknown"),
    ],
)  # fmt: skip
def test_a_mistake_is_named_by_file_and_key(text, message):
    with pytest.raises(rfg.RfgConfigError) as refused:
        rfg.parse_rfg(text, Path("/force/rfg_score.toml"))
    assert str(refused.value).startswith("/force/rfg_score.toml: ")
    assert message in str(refused.value)


def test_a_missing_part_or_file_is_named(tmp_path):
    with pytest.raises(rfg.RfgConfigError, match=r"the part \[gravity\] is missing"):
        rfg.parse_rfg(toml().split("[gravity]")[0])
    with pytest.raises(rfg.RfgConfigError, match="rfg_score.toml: cannot be read"):
        rfg.load_config(tmp_path / "rfg_score.toml")


@st.composite
def configs(draw) -> rfg.RfgConfig:
    """Any bands the checks let through: thresholds increasing, points monotone the right way."""
    parts = []
    for name, (_, rises) in rfg.PARTS.items():
        n = draw(st.integers(1, 5))
        bounds = sorted(draw(st.sets(st.integers(0, 8000), min_size=n, max_size=n)))
        points = sorted(draw(st.lists(st.integers(0, 9), min_size=n, max_size=n)))
        points = points if rises else points[::-1]
        weight = draw(st.floats(0, 5, allow_nan=False) | st.integers(0, 5))
        parts.append(rfg.Part(name, weight, tuple(zip(bounds, points, strict=True))))
    return rfg.RfgConfig(*parts)


figures = st.tuples(st.integers(0, 400), st.integers(0, 40), st.integers(0, 20000))


@given(st.one_of(st.just(SHIPPED), configs()), figures, figures)
def test_a_more_recent_crime_more_crimes_or_more_harm_never_lowers_a_score(config, a, b):
    # b is a with a more recent last crime, at least as many crimes and at least as much harm
    days, crimes, harm = a
    more_recent = min(days, b[0])
    more = (more_recent, crimes + b[1], harm + b[2])
    assert config.score(*more) >= config.score(*a)


@given(configs())
def test_any_accepted_configuration_reads_back_from_its_file(config):
    lines = []
    for part in config.parts:
        key = rfg.PARTS[part.name][0]
        bands = ", ".join(f"{{ {key} = {b}, points = {p} }}" for b, p in part.bands)
        lines += [f"[{part.name}]", f"weight = {part.weight!r}", f"bands = [{bands}]"]
    assert rfg.parse_rfg("\n".join(lines)) == config


def test_the_lists_score_as_the_configuration_does(store):
    crimes = [
        crime(f"C{n}-{i}", f"2025-0{1 + n % 6}-{1 + i:02d}", suspect_id=f"S{n}",
              offence_code=("19C", "19E", "20A")[(n + i) % 3])
        for n in range(9)
        for i in range(n % 4 + 1)
    ]  # fmt: skip
    insert_case_load(store, crimes, "2025-07-10")
    analyst = access.User("ana", "analyst")
    frame = lists.suspect_list(store, analyst, FORCE, dt.date(2025, 6, 1), "rfg")
    end = dt.date(2025, 6, 30)
    for row in frame.itertuples():
        expected = SHIPPED.score((end - row.last_recorded).days, row.crimes, row.harm)
        assert row.score == expected
