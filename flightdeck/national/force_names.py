"""Force names as the Home Office publishes them, mapped to the force ids of the reference list.

A published name matches a force when, compared in lower case with "&" read as "and", hyphens
and punctuation as spaces, and a trailing "Police Service", "Police" or "Constabulary" (and a
"(synthetic)" mark) dropped, it equals the force's reference name or id; or when it is one of
the Home Office spellings listed in data/reference/force_names.csv ("London, City of",
"Hampshire", ...). Any other name is unknown, and the hint lists the closest names.
"""

import difflib
import re
from dataclasses import dataclass
from functools import cache

import pandas as pd

from flightdeck import resources
from flightdeck.reference import load_reference

FORCE_NAMES_FILE = "force_names.csv"
# Forces of the reference list that police no area of their own.
NON_TERRITORIAL = frozenset({"btp"})

_SUFFIXES = ("police service", "constabulary", "police")
_PUNCTUATION = re.compile(r"[^a-z0-9 ]+")


def normalise(name: str) -> str:
    """A force name as compared (see the module docstring)."""
    text = re.sub(r"\(synthetic\)", " ", str(name).lower())
    text = text.replace("&", " and ")
    text = " ".join(_PUNCTUATION.sub(" ", text).split())
    for suffix in _SUFFIXES:
        if text.endswith(" " + suffix):
            text = text[: -len(suffix) - 1]
            break
    return text


@dataclass(frozen=True)
class ForceNames:
    """The lookup from a published force name to a force id."""

    by_name: dict[str, str]  # normalised name -> force id
    display: dict[str, str]  # force id -> reference name

    def lookup(self, name: str) -> str | None:
        return self.by_name.get(normalise(name))

    def hint(self, name: str) -> str:
        """Close matches for an unknown name, as 'Kent Police (kent), ...', or ''."""
        close = difflib.get_close_matches(normalise(name), list(self.by_name), n=3, cutoff=0.6)
        forces = list(dict.fromkeys(self.by_name[c] for c in close))
        return ", ".join(f"{self.display[f]} ({f})" for f in forces)


def read_published_names() -> pd.DataFrame:
    """data/reference/force_names.csv: published_name, force."""
    path = resources.reference_dir() / FORCE_NAMES_FILE
    return pd.read_csv(path, dtype=str, keep_default_na=False)


@cache
def force_names() -> ForceNames:
    """The lookup built from the reference forces and force_names.csv (cached: they change
    only when an analyst edits them)."""
    forces = load_reference().forces
    by_name: dict[str, str] = {}
    for force_id, name in zip(forces["id"], forces["name"], strict=True):
        by_name[normalise(name)] = force_id
        by_name[normalise(force_id)] = force_id
    for published, force_id in read_published_names().itertuples(index=False):
        if force_id not in set(forces["id"]):
            raise ValueError(
                f"{FORCE_NAMES_FILE}: {published!r} maps to unknown force {force_id!r}"
            )
        by_name[normalise(published)] = force_id
    return ForceNames(by_name, dict(zip(forces["id"], forces["name"], strict=True)))


def territorial_forces() -> list[str]:
    """The 43 territorial forces of England and Wales: the reference list's real forces
    without British Transport Police."""
    forces = load_reference().forces
    real = forces.loc[~forces["synthetic"], "id"]
    return [force for force in real if force not in NON_TERRITORIAL]
