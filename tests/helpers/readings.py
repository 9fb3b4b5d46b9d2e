"""Which reading of a CSV was used: the csv module's (`rows._read_with_python`) or DuckDB's."""

from flightdeck.extracts import rows


def python_readings(monkeypatch) -> list[str]:
    """A list that gets 'python' each time the csv module reads a file, in order."""
    used = []
    by_python = rows._read_with_python

    def spy(*args):
        used.append("python")
        return by_python(*args)

    monkeypatch.setattr(rows, "_read_with_python", spy)
    return used
