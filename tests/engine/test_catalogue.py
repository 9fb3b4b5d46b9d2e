"""The KPI catalogue reads each KPI from its YAML and SQL side by side, and refuses to load,
naming the file, when a half is missing, a field is wrong, or there are no KPIs at all."""

import shutil

import pytest

from flightdeck import resources
from flightdeck.engine import catalogue

YAML = """\
id: K99
name: Test KPI
pillar: outcomes and timeliness
kind: rate
unit: fraction
direction: up
definition: Within {cohort_days} days.
cohort_days: 7
"""


@pytest.fixture
def folder(tmp_path):
    kpis = tmp_path / "kpis"
    kpis.mkdir()
    (kpis / "k99_test.yaml").write_text(YAML)
    (kpis / "k99_test.sql").write_text("SELECT 1")
    return kpis


def test_a_kpi_is_its_yaml_and_the_sql_of_the_same_name(folder):
    (kpi,) = catalogue.read_catalogue(folder)
    assert (kpi.id, kpi.kind, kpi.direction) == ("K99", "rate", "up")
    assert kpi.sql_path == folder / "k99_test.sql" and kpi.sql == "SELECT 1"
    assert kpi.definition == "Within 7 days."
    assert (kpi.cohort_days, kpi.complete_after_days) == (7, 7)


def test_the_shipped_catalogue_has_all_21_kpis_then_the_six_supplementary_measures():
    ids = [k.id for k in catalogue.read_catalogue(resources.kpi_dir())]
    flight_deck = [f"K{i:02d}" for i in range(1, 22)]
    suspect_management = [f"S{i:02d}" for i in range(1, 7)]
    assert ids == flight_deck + suspect_management
    assert [k.id for k in catalogue.catalogue()] == flight_deck
    assert [k.id for k in catalogue.supplementary()] == suspect_management
    assert [k.id for k in catalogue.measures()] == ids
    assert set(catalogue.by_id()) == set(catalogue.kinds()) == set(ids)
    assert not any(k.supplementary for k in catalogue.catalogue())
    assert all(k.section == catalogue.SUSPECT_MANAGEMENT for k in catalogue.supplementary())


def test_a_missing_sql_file_is_refused_naming_it(folder):
    (folder / "k99_test.sql").unlink()
    with pytest.raises(catalogue.CatalogueError, match=r"K99: k99_test\.sql is missing"):
        catalogue.read_catalogue(folder)


def test_sql_without_metadata_is_refused_naming_it(folder):
    (folder / "k98_orphan.sql").write_text("SELECT 1")
    with pytest.raises(catalogue.CatalogueError, match=r"no metadata.*k98_orphan\.sql"):
        catalogue.read_catalogue(folder)


def test_an_empty_or_missing_folder_is_refused(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(catalogue.CatalogueError, match="holds no KPI definitions"):
        catalogue.read_catalogue(tmp_path / "empty")
    with pytest.raises(catalogue.CatalogueError, match="is missing"):
        catalogue.read_catalogue(tmp_path / "nowhere")


@pytest.mark.parametrize(
    "change, message",
    [
        (("kind: rate", "kind: ratio"), "k99_test.yaml: kind must be one of rate, count, median"),
        (("direction: up", "direction: sideways"), "k99_test.yaml: direction must be one of"),
        (("name: Test KPI\n", ""), "k99_test.yaml lacks name"),
        (("id: K99", "id: [K99"), "k99_test.yaml is not valid YAML"),
    ],
)
def test_broken_metadata_is_refused_naming_the_file(folder, change, message):
    path = folder / "k99_test.yaml"
    path.write_text(YAML.replace(*change))
    with pytest.raises(catalogue.CatalogueError, match=message):
        catalogue.read_catalogue(folder)


def test_the_same_id_twice_is_refused(folder):
    shutil.copy(folder / "k99_test.yaml", folder / "k99_again.yaml")
    shutil.copy(folder / "k99_test.sql", folder / "k99_again.sql")
    with pytest.raises(catalogue.CatalogueError, match="declared twice: K99"):
        catalogue.read_catalogue(folder)


def test_a_measure_names_what_its_counts_count():
    from flightdeck.engine.catalogue import by_id

    measures = by_id()
    assert measures["K02"].noun == "crimes"
    assert measures["K20"].noun == "investigators"
    assert measures["K14"].noun == measures["S01"].noun == "suspects"
    assert measures["S04"].noun == "applications"
