"""Force names as the Home Office publishes them map to the reference ids; an unknown name gets
the closest ones as a hint."""

import pytest

from flightdeck.national.force_names import (
    force_names,
    normalise,
    read_published_names,
    territorial_forces,
)
from flightdeck.reference import load_reference

NAMES = force_names()


@pytest.mark.parametrize(
    "published, force",
    [
        ("London, City of", "city-of-london"),
        ("City of London Police", "city-of-london"),
        ("Metropolitan Police", "metropolitan"),
        ("Metropolitan Police Service", "metropolitan"),
        ("Avon and Somerset", "avon-and-somerset"),
        ("Avon & Somerset Constabulary", "avon-and-somerset"),
        ("Devon and Cornwall", "devon-and-cornwall"),
        ("Dyfed-Powys", "dyfed-powys"),
        ("Dyfed Powys Police", "dyfed-powys"),
        ("Hampshire", "hampshire"),
        ("Hampshire and Isle of Wight", "hampshire"),
        ("Greater Manchester", "greater-manchester"),
        ("British Transport Police", "btp"),
        ("  KENT  ", "kent"),
        ("North Wales", "north-wales"),
        ("Durham", "durham"),
        ("Thames Valley", "thames-valley"),
        ("Northmoor (synthetic)", "demo-northmoor"),
        ("west-yorkshire", "west-yorkshire"),
    ],
)
def test_published_spellings_map_to_the_reference_ids(published, force):
    assert NAMES.lookup(published) == force


def test_every_reference_name_maps_to_its_own_force_and_no_two_forces_share_one():
    forces = load_reference().forces
    for force, name in zip(forces["id"], forces["name"], strict=True):
        assert NAMES.lookup(name) == force
    normalised = [normalise(name) for name in forces["name"]]
    assert len(set(normalised)) == len(normalised)


def test_the_published_names_file_maps_to_known_forces_only():
    names = read_published_names()
    assert list(names.columns) == ["published_name", "force"]
    assert set(names["force"]) <= load_reference().force_ids
    assert names["published_name"].is_unique


@pytest.mark.parametrize("unknown", ["Kentt", "Atlantis", "Action Fraud", "", "Police"])
def test_unknown_names_are_none_with_close_matches(unknown):
    assert NAMES.lookup(unknown) is None


def test_the_hint_lists_close_matches():
    assert NAMES.hint("Kentt").startswith("Kent Police (kent)")
    assert "Greater Manchester Police (greater-manchester)" in NAMES.hint("Greater Manchster")
    assert NAMES.hint("Atlantis") == ""


def test_the_43_territorial_forces():
    forces = territorial_forces()
    assert len(forces) == 43
    assert "btp" not in forces and not any(f.startswith("demo-") for f in forces)
