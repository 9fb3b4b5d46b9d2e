"""Where the product's own files are: the KPI definitions, the shared SQL, the reference CSVs,
the synthetic national figures, the dashboard's page script (`app.py`) and its icon.

They live in the checkout's top-level folders (`kpis/`, `sql/`, `data/reference/`,
`data/national/`, and `app.py` beside them), where a force reads and edits them. The wheel
carries copies inside the package, under `flightdeck/_resources/`, so an installed product
finds them with `importlib.resources` wherever it runs from. The checkout's folders win only
when the package has no copies (an editable install or a plain checkout); an installed package
never reads a folder of the current directory.
"""

from functools import cache
from importlib.resources import files
from pathlib import Path

# The folder names, the same in the checkout and inside the wheel.
KPIS = "kpis"
SQL = "sql"
REFERENCE = "data/reference"
NATIONAL = "data/national"  # the synthetic published national figures (docs/national.md)
APP_SCRIPT = "app.py"

_PACKED = "_resources"  # where the wheel puts them (pyproject.toml, force-include)
_CHECKOUT = Path(__file__).resolve().parent.parent


class ResourcesMissing(RuntimeError):
    """The product's definition files cannot be found: a broken install."""


@cache
def root() -> Path:
    """The folder holding `kpis/`, `sql/` and `data/reference/`."""
    packed = files("flightdeck") / _PACKED
    if packed.is_dir():
        if not isinstance(packed, Path):  # a zipped package: the SQL must be real files
            raise ResourcesMissing("flightdeck must be installed unzipped (its SQL is read)")
        return packed
    if (_CHECKOUT / KPIS).is_dir() and (_CHECKOUT / SQL).is_dir():
        return _CHECKOUT
    raise ResourcesMissing(
        f"the flight deck's definitions ({KPIS}/, {SQL}/, {REFERENCE}/) are neither inside "
        f"the installed package nor beside it at {_CHECKOUT}: reinstall the package"
    )


def kpi_dir() -> Path:
    """Each KPI's SQL file and its YAML metadata, side by side."""
    return root() / KPIS


def sql_dir() -> Path:
    """Shared tables, views and the results template."""
    return root() / SQL


def reference_dir() -> Path:
    """The editable reference CSVs (forces, offence codes, outcomes, peer groups, ...)."""
    return root() / REFERENCE


def national_fixture_dir() -> Path:
    """The synthetic national figures in the Home Office's published layout (ODS), for the
    tests and the demo."""
    return root() / NATIONAL


def app_script() -> Path:
    """The Streamlit page script of the dashboard (`app.py`), which the server runs."""
    return root() / APP_SCRIPT


def favicon() -> Path:
    """The dashboard's icon, a file inside the package: the browser loads it from this server
    (a Material icon name would make it fetch the icon from an outside font service)."""
    return Path(__file__).resolve().parent / "app" / "favicon.png"
