"""The product finds its KPI definitions, shared SQL and reference CSVs in a checkout, and
inside the package when installed; without either it refuses with a clear message."""

from pathlib import Path

import pytest

from flightdeck import resources

CHECKOUT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def fresh_lookup():
    resources.root.cache_clear()
    yield
    resources.root.cache_clear()


def test_a_checkout_reads_its_own_top_level_folders():
    assert resources.root() == CHECKOUT
    assert resources.kpi_dir() == CHECKOUT / "kpis"
    assert resources.sql_dir() == CHECKOUT / "sql"
    assert resources.reference_dir() == CHECKOUT / "data" / "reference"
    assert (resources.kpi_dir() / "k01_recorded_crimes.sql").is_file()


def test_copies_inside_the_package_win_over_the_checkout(tmp_path, monkeypatch):
    packed = tmp_path / "flightdeck" / "_resources"
    (packed / "kpis").mkdir(parents=True)
    monkeypatch.setattr(resources, "files", lambda package: tmp_path / package)
    assert resources.root() == packed
    assert resources.kpi_dir() == packed / "kpis"


def test_neither_copy_nor_checkout_is_refused_with_what_is_missing(tmp_path, monkeypatch):
    monkeypatch.setattr(resources, "files", lambda package: tmp_path / package)
    monkeypatch.setattr(resources, "_CHECKOUT", tmp_path / "not-a-checkout")
    with pytest.raises(resources.ResourcesMissing, match=r"kpis/, sql/, data/reference/"):
        resources.root()
