"""The reference CSVs shipped with the product: the force populations list (rates per 100,000
people), the harm weights of the suspect lists, and how `load_reference` reads and checks them."""

import csv
import re
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from flightdeck import resources
from flightdeck.reference import ReferenceDataError, load_reference
from flightdeck.synthetic import demo, generator

REPO = Path(__file__).resolve().parents[1]
POPULATIONS = resources.reference_dir() / "force_populations.csv"
SYNTHETIC_SOURCE = "synthetic: fictional demo force"
# Recorded RASSO crimes per 100,000 people a year that a force of England and Wales could have.
REALISTIC_RATE = (150, 350)


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    """The file as text, so a figure pandas would quietly coerce (1.5e6, 1,234) is seen as it is."""
    with POPULATIONS.open(newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        assert reader.fieldnames == ["force", "population", "year", "source"]
        return list(reader)


def test_every_population_is_for_a_known_force_once(rows):
    forces = [row["force"] for row in rows]
    assert set(forces) <= load_reference().force_ids
    assert len(forces) == len(set(forces)), "a force has two population rows"


def test_populations_are_positive_whole_numbers_and_years_four_digit(rows):
    for row in rows:
        assert re.fullmatch(r"[1-9][0-9]*", row["population"]), row
        assert re.fullmatch(r"(19|20)[0-9]{2}", row["year"]), row
        assert row["source"].strip(), row


def test_every_demo_force_has_a_synthetic_population(rows):
    by_force = {row["force"]: row for row in rows}
    for force in load_reference().synthetic_force_ids:
        assert force in by_force, f"{force} has no synthetic population"
        assert by_force[force]["source"] == SYNTHETIC_SOURCE


def test_real_forces_cite_a_published_source_never_a_synthetic_one(rows):
    synthetic = load_reference().synthetic_force_ids
    real = [row for row in rows if row["force"] not in synthetic]
    assert real, "no real force has a population"
    for row in real:
        assert "synthetic" not in row["source"].lower(), row
        assert "ONS" in row["source"] and "github.com/" in row["source"], row


def test_british_transport_police_has_no_resident_population(rows):
    assert "btp" not in {row["force"] for row in rows}


def test_load_reference_reads_populations_as_whole_numbers():
    populations = load_reference().populations
    assert list(populations.columns) == ["force", "population", "year", "source"]
    assert pd.api.types.is_integer_dtype(populations["population"])
    assert pd.api.types.is_integer_dtype(populations["year"])


def test_population_gives_figure_year_and_source_or_none():
    reference = load_reference()
    figure = reference.population("leicestershire")
    assert figure is not None
    population, year, source = figure
    assert isinstance(population, int) and population > 0
    assert isinstance(year, int) and 1000 <= year <= 9999
    assert "ONS" in source
    assert reference.population("btp") is None
    assert reference.population("no-such-force") is None


def test_a_reference_folder_with_malformed_populations_is_refused(tmp_path):
    for path in resources.reference_dir().glob("*.csv"):
        (tmp_path / path.name).write_bytes(path.read_bytes())
    (tmp_path / "force_populations.csv").write_text(
        "force,population,year,source\nleicestershire,1.2 million,2023,x\n", encoding="utf-8"
    )
    with pytest.raises(ValueError):
        load_reference(tmp_path)


def test_demo_populations_give_realistic_rasso_rates(tmp_path):
    """Each year of the demo's window, every demo force's recorded crimes per 100,000 people
    land where a real force's could: the populations fit the volumes the generator writes."""
    files = generator.generate(
        tmp_path / "demo",
        forces=len(generator.DEMO_FORCES),
        months=demo.DEMO_MONTHS,
        warmup_months=demo.DEMO_WARMUP_MONTHS,
        crimes_per_month=demo.DEMO_CRIMES_PER_MONTH,
        seed=demo.DEMO_SEED,
        as_of=date(2025, 12, 31),
    )
    reference = load_reference()
    low, high = REALISTIC_RATE
    for path in files.case_files:
        cases = pd.read_csv(path, usecols=["force", "recorded_date"])
        force = cases["force"].iloc[0]
        population, _, _ = reference.population(force)
        years = pd.to_datetime(cases["recorded_date"]).dt.year.value_counts()
        for year in (2023, 2024, 2025):
            rate = years[year] / population * 100_000
            assert low <= rate <= high, f"{force} {year}: {rate:.0f} per 100,000"


def test_the_docs_describe_the_populations_file():
    docs = (REPO / "docs" / "data-contract.md").read_text(encoding="utf-8")
    assert "data/reference/force_populations.csv" in docs
    assert "ONS" in docs and "mid-year" in docs
    assert "British Transport Police" in docs


# --- harm weights (the suspect lists' harm, docs/suspects.md) ---------------------------------

HARM_WEIGHTS = resources.reference_dir() / "harm_weights.csv"
CITED = {
    "19C": 1825, "19D": 1825, "19F": 1825, "19G": 1825,  # rape, s1: category 3, 5 years
    "19E": 2920, "19H": 2920,  # rape of a child under 13, s5: category 3, 8 years
    "17B": 182, "20B": 182,  # sexual assault of a child under 13, s7: 3B, 26 weeks
}  # fmt: skip


@pytest.fixture(scope="module")
def harm_rows() -> list[dict[str, str]]:
    with HARM_WEIGHTS.open(newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        assert reader.fieldnames == ["offence_code", "weight_days", "source"]
        return list(reader)


def test_every_rasso_code_has_exactly_one_weight_a_positive_whole_number(harm_rows):
    codes = [row["offence_code"] for row in harm_rows]
    assert sorted(codes) == sorted(load_reference().offence_codes["code"])
    assert len(codes) == len(set(codes))
    for row in harm_rows:
        assert re.fullmatch(r"[1-9][0-9]*", row["weight_days"]), row


def test_cited_weights_and_their_citation(harm_rows):
    by_code = {row["offence_code"]: row for row in harm_rows}
    for code, days in CITED.items():
        row = by_code[code]
        assert int(row["weight_days"]) == days
        assert "Cambridge Crime Harm Index" in row["source"], row
        assert "Sherman, Neyroud & Neyroud 2016" in row["source"], row
        assert "Sentencing Council" in row["source"] and "2014" in row["source"], row


def test_every_other_code_has_its_groups_lowest_cited_value_marked_as_such(harm_rows):
    codes = load_reference().offence_codes
    groups = dict(zip(codes["code"], codes["group"], strict=True))
    lowest = {}
    for code, days in CITED.items():
        lowest[groups[code]] = min(days, lowest.get(groups[code], days))
    for row in harm_rows:
        if row["offence_code"] in CITED:
            continue
        group = groups[row["offence_code"]]
        assert int(row["weight_days"]) == lowest[group], row  # never overstated
        assert row["source"].startswith("group value: no code-specific CCHI value cited"), row
        assert f"({group})" in row["source"], row


def test_load_reference_reads_harm_weights_as_whole_days():
    reference = load_reference()
    assert pd.api.types.is_integer_dtype(reference.harm_weights["weight_days"])
    assert reference.harm_weight_of["19E"] == 2920
    assert all(isinstance(days, int) for days in reference.harm_weight_of.values())


@pytest.mark.parametrize(
    "edit, message",
    [
        (lambda rows: rows[:-1], "no weight for the offence code(s) 88E"),
        (lambda rows: [*rows, rows[1]], "more than one weight for the offence code(s) 19C"),
        (lambda rows: [*rows, "99Z,100,x"], "offence code(s) not in offence_codes.csv: 99Z"),
        (lambda rows: [rows[0], "19C,1825.5,x", *rows[2:]], "the weight of 19C is '1825.5'"),
        (lambda rows: [rows[0], "19C,0,x", *rows[2:]], "a whole number of days above 0"),
        (lambda rows: [rows[0], "19C,,x", *rows[2:]], "the weight of 19C is ''"),
        (lambda rows: ["code,weight,source", *rows[1:]], "the columns must be offence_code,"),
    ],
    ids=["missing", "twice", "unknown", "fraction", "zero", "blank", "header"],
)
def test_a_harm_weights_file_with_a_mistake_is_refused_naming_it(tmp_path, edit, message):
    for path in resources.reference_dir().glob("*.csv"):
        (tmp_path / path.name).write_bytes(path.read_bytes())
    rows = HARM_WEIGHTS.read_text(encoding="utf-8").splitlines()
    (tmp_path / "harm_weights.csv").write_text("\n".join(edit(rows)) + "\n", encoding="utf-8")
    with pytest.raises(ReferenceDataError) as refused:
        load_reference(tmp_path)
    assert str(refused.value).startswith(f"{tmp_path / 'harm_weights.csv'}: ")
    assert message in str(refused.value)
