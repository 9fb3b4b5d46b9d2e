"""The benchmark's figure table: one markdown row per figure (`| figure | value | target | met |`)
under a header saying when, on what and with which settings it was measured."""

from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Figure:
    name: str
    value: str
    target: str = ""
    met: bool | None = None  # None: no target, or nothing to judge


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def met_word(met: bool | None) -> str:
    return "" if met is None else "yes" if met else "**no**"


@dataclass
class FigureTable:
    title: str
    header: dict[str, str] = field(default_factory=dict)
    rows: list[Figure] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, name: str, value: str, target: str = "", met: bool | None = None) -> None:
        self.rows.append(Figure(name, value, target, met))

    def markdown(self) -> str:
        out = [f"# {self.title}", ""]
        out += [f"- {key}: {_cell(value)}" for key, value in self.header.items()]
        out += ["", "| figure | value | target | met |", "| --- | --- | --- | --- |"]
        out += [
            f"| {_cell(r.name)} | {_cell(r.value)} | {_cell(r.target)} | {met_word(r.met)} |"
            for r in self.rows
        ]
        if self.notes:
            out += [""] + [f"- {note}" for note in self.notes]
        return "\n".join(out) + "\n"

    def write(self, path: Path) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(self.markdown())
        return path


def seconds(value: float) -> str:
    return f"{value:.2f} s"


def megabytes(value: float) -> str:
    return f"{value:,.0f} MB"


def ratio(value: float, floor: float) -> str:
    """Seconds and their ratio to the bare read."""
    return f"{value:.2f} s = {value / floor:.2f}x the bare read"
