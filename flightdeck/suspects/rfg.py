"""The RFG threat score (recency, frequency, gravity) of the suspect lists, from its one
configuration file, `data/reference/rfg_score.toml`.

    config = load_config()
    config.score(days_since_last=10, crimes=3, harm=3832)   # 5 + 3 + 4 = 12.0
    config.explain(10, 3, 3832)                             # the points of each part

Each part gives points by bands of one figure: recency by the days from the suspect's latest
crime to the month end, frequency by the crimes in the window, gravity by their harm in days.
A part's points are the highest points of the bands the figure falls in (recency: bands whose
`up_to_days` is at least the days; frequency and gravity: bands whose `from_...` is at most the
figure), 0 when it falls in none; the score adds each part's points times its weight.

Monotone by construction: fewer days can only add recency bands, more crimes or harm can only
add frequency or gravity bands, so the highest points never fall; points and weights are never
negative, so no part lowers the sum. The SQL of the lists (`sql/suspects/summary.sql`) scores
with the same rule from `sql_parameters()`.
"""

import math
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from flightdeck import resources

CONFIG_FILE = "rfg_score.toml"
# Each part, the key of its band threshold, and whether its points rise with the figure.
PARTS: dict[str, tuple[str, bool]] = {
    "recency": ("up_to_days", False),
    "frequency": ("from_crimes", True),
    "gravity": ("from_days", True),
}
FIGURES = {
    "recency": "days from the latest crime to the month end",
    "frequency": "crimes in the window",
    "gravity": "harm in the window (days)",
}


class RfgConfigError(ValueError):
    """The score's configuration file cannot be used; the message names the file and key."""


@dataclass(frozen=True)
class Part:
    """One part of the score: its weight and its bands, (threshold, points), in file order."""

    name: str
    weight: float
    bands: tuple[tuple[int, int], ...]

    @property
    def rises(self) -> bool:
        return PARTS[self.name][1]

    def points(self, figure: int) -> int:
        """The highest points of the bands `figure` falls in; 0 when it falls in none."""
        if self.rises:
            matching = [points for bound, points in self.bands if figure >= bound]
        else:
            matching = [points for bound, points in self.bands if figure <= bound]
        return max(matching, default=0)


@dataclass(frozen=True)
class PartPoints:
    """How one part scored a suspect: the figure, its points, the weight and their product."""

    part: str
    figure: int
    points: int
    weight: float

    @property
    def weighted(self) -> float:
        return self.points * self.weight


@dataclass(frozen=True)
class RfgConfig:
    recency: Part
    frequency: Part
    gravity: Part

    @property
    def parts(self) -> tuple[Part, Part, Part]:
        return (self.recency, self.frequency, self.gravity)

    @property
    def whole_weights(self) -> bool:
        """Whether every weight is a whole number (the score is then one too)."""
        return all(float(part.weight).is_integer() for part in self.parts)

    def explain(self, days_since_last: int, crimes: int, harm: int) -> tuple[PartPoints, ...]:
        """The points each part gives a suspect, for a worked example."""
        figures = (days_since_last, crimes, harm)
        return tuple(
            PartPoints(part.name, figure, part.points(figure), part.weight)
            for part, figure in zip(self.parts, figures, strict=True)
        )

    def score(self, days_since_last: int, crimes: int, harm: int) -> float:
        """The suspect's score: each part's points times its weight, added up."""
        return float(sum(p.weighted for p in self.explain(days_since_last, crimes, harm)))

    def sql_parameters(self) -> dict[str, object]:
        """The bands and weights as the named parameters of sql/suspects/summary.sql."""
        values: dict[str, object] = {}
        for part in self.parts:
            values[f"{part.name}_bounds"] = [bound for bound, _ in part.bands]
            values[f"{part.name}_points"] = [points for _, points in part.bands]
            values[f"{part.name}_weight"] = float(part.weight)
        return values


def _is_whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _part(path: Path, name: str, table: object) -> Part:
    bound_key, rises = PARTS[name]

    def refuse(key: str, problem: str) -> RfgConfigError:
        return RfgConfigError(f"{path}: [{name}] {key}: {problem}")

    if not isinstance(table, dict):
        raise RfgConfigError(f"{path}: [{name}] must be a table with weight and bands")
    extra = sorted(set(table) - {"weight", "bands"})
    if extra:
        raise refuse(extra[0], "unknown key (a part has only weight and bands)")
    weight = table.get("weight")
    if isinstance(weight, bool) or not isinstance(weight, int | float):
        raise refuse("weight", f"must be a number, not {weight!r}")
    if not math.isfinite(weight) or weight < 0:
        raise refuse("weight", f"must be 0 or more, not {weight!r}")
    bands = table.get("bands")
    if not isinstance(bands, list) or not bands:
        raise refuse("bands", "must be a list of at least one band")
    parsed: list[tuple[int, int]] = []
    for number, band in enumerate(bands, start=1):
        where = f"bands[{number}]"
        if not isinstance(band, dict) or set(band) != {bound_key, "points"}:
            raise refuse(where, f"each band holds exactly {bound_key} and points")
        bound, points = band[bound_key], band["points"]
        if not _is_whole(bound) or bound < 0:
            raise refuse(f"{where}.{bound_key}", f"must be a whole number, 0 or more: {bound!r}")
        if not _is_whole(points) or points < 0:
            raise refuse(f"{where}.points", f"must be a whole number, 0 or more: {points!r}")
        if parsed and bound <= parsed[-1][0]:
            raise refuse(
                f"{where}.{bound_key}",
                f"{bound} does not follow {parsed[-1][0]}: write the bands in strictly "
                f"increasing order of {bound_key}",
            )
        if parsed and (points < parsed[-1][1] if rises else points > parsed[-1][1]):
            direction = "fall" if rises else "rise"
            raise refuse(
                f"{where}.points",
                f"{points} after {parsed[-1][1]}: {name} points must never {direction} from "
                "one band to the next (a score must never drop as the threat grows)",
            )
        parsed.append((bound, points))
    return Part(name, weight, tuple(parsed))


def parse_rfg(text: str, path: Path | str = CONFIG_FILE) -> RfgConfig:
    """The score's configuration from the text of its file; raises RfgConfigError naming
    `path` and the key of the first mistake."""
    path = Path(path)
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RfgConfigError(f"{path}: not valid TOML: {exc}") from None
    unknown = sorted(set(document) - set(PARTS))
    if unknown:
        raise RfgConfigError(f"{path}: unknown part [{unknown[0]}] (the parts: {', '.join(PARTS)})")
    missing = [name for name in PARTS if name not in document]
    if missing:
        raise RfgConfigError(f"{path}: the part [{missing[0]}] is missing")
    return RfgConfig(*(_part(path, name, document[name]) for name in PARTS))


@cache
def load_config(path: Path | None = None) -> RfgConfig:
    """The score's configuration (default: the product's own file; cached: it changes only when
    an analyst edits it)."""
    path = path or resources.reference_dir() / CONFIG_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise RfgConfigError(f"{path}: cannot be read ({exc.strerror})") from None
    return parse_rfg(text, path)


def _number(value: float) -> str:
    return f"{value:g}"


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}" + ("" if count == 1 else "s")


def _band_words(part: Part) -> str:
    unit = "crime" if part.name == "frequency" else "day"
    word = "from" if part.rises else "up to"
    return "; ".join(
        f"{word} {_plural(bound, unit)}: {_plural(points, 'point')}" for bound, points in part.bands
    )


def explained(config: RfgConfig) -> str:
    """The score's rule, bands and weights in words (Markdown), from the configuration."""
    rows = "\n".join(
        f"| {part.name} | {FIGURES[part.name]} | {_band_words(part)} | {_number(part.weight)} |"
        for part in config.parts
    )
    return (
        "**RFG score** = recency points x recency weight + frequency points x frequency weight "
        "+ gravity points x gravity weight. A figure outside every band gets 0 points.\n\n"
        "| part | figure | bands (points) | weight |\n| --- | --- | --- | --- |\n" + rows
    )


def worked_example(config: RfgConfig, days_since_last: int, crimes: int, harm: int) -> str:
    """One suspect's score worked out part by part (Markdown), from the configuration."""
    parts = config.explain(days_since_last, crimes, harm)
    lines = [
        f"- {p.part}: {FIGURES[p.part]} = {p.figure:,}, {p.points} points x weight "
        f"{_number(p.weight)} = {_number(p.weighted)}"
        for p in parts
    ]
    total = config.score(days_since_last, crimes, harm)
    added = " + ".join(_number(p.weighted) for p in parts)
    return "\n".join([*lines, f"- score = {added} = {_number(total)}"])
