"""The synthetic extracts are written like every extract the product holds: owner-only files in
a folder created owner-only, whatever the umask of the process."""

import datetime as dt
import os

import pytest

from flightdeck.synthetic import generator
from helpers.modes import mode, open_umask  # noqa: F401 (a fixture)


@pytest.mark.usefixtures("open_umask")
def test_generated_extracts_are_owner_only_in_an_owner_only_folder(tmp_path):
    out = tmp_path / "extracts" / "june"
    files = generator.generate(
        out, forces=2, months=2, crimes_per_month=5, as_of=dt.date(2024, 6, 30)
    )
    written = sorted(p.name for p in out.iterdir())
    assert written == [
        "cases_demo-eastvale.csv",
        "cases_demo-northmoor.csv",
        "partners_demo-eastvale.csv",
        "partners_demo-northmoor.csv",
        "workforce.csv",
    ]
    assert {name: mode(out / name) for name in written} == dict.fromkeys(written, 0o600)
    assert (mode(tmp_path / "extracts"), mode(out)) == (0o700, 0o700)
    assert files.workforce_file == out / "workforce.csv"
    assert files.partner_files == [
        out / "partners_demo-northmoor.csv",
        out / "partners_demo-eastvale.csv",
    ]


@pytest.mark.usefixtures("open_umask")
def test_regenerating_over_readable_files_makes_them_owner_only(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    os.chmod(out, 0o755)
    stale = out / "workforce.csv"
    stale.write_text("old")
    os.chmod(stale, 0o644)
    generator.generate(out, forces=1, months=1, crimes_per_month=5, as_of=dt.date(2024, 6, 30))
    assert mode(stale) == 0o600
    assert stale.read_text().startswith("force,month,")
    assert mode(out) == 0o755  # a folder the user made is theirs to set
