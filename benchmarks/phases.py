"""The benchmark's phases: wall time and peak resident memory of each, and the machine it ran on.

Memory is sampled by a thread reading `VmRSS` from /proc/self/status every SAMPLE_SECONDS (no
dependency; DuckDB releases the GIL while it works, so the thread keeps sampling during a
query). The sampler's peak is reset when a phase starts, so each phase has its own peak; the
whole run's peak is the kernel's `ru_maxrss`, which no sampling can miss.
"""

import contextlib
import datetime as dt
import os
import platform
import resource
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb

SAMPLE_SECONDS = 0.02
LABEL_WIDTH = 48


def line(label: str, value: str) -> None:
    """One figure as the run goes: the label padded, then its value."""
    print(f"{label:<{LABEL_WIDTH}} {value}", flush=True)


def rss_mb(status: Path = Path("/proc/self/status")) -> float | None:
    """This process's resident memory in MB (VmRSS), or None where /proc has no such line."""
    try:
        text = status.read_text()
    except OSError:
        return None
    for row in text.splitlines():
        if row.startswith("VmRSS:"):
            return int(row.split()[1]) / 1024  # kB
    return None


def max_rss_mb() -> float:
    """The whole run's peak resident memory so far, in MB (Linux gives ru_maxrss in kB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class RssSampler:
    """A daemon thread keeping the highest resident memory seen since the last `reset`."""

    def __init__(
        self, interval: float = SAMPLE_SECONDS, read: Callable[[], float | None] = rss_mb
    ) -> None:
        self._interval = interval
        self._read = read
        self._peak = 0.0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="rss-sampler", daemon=True)

    def sample(self) -> None:
        value = self._read()
        if value is not None:
            with self._lock:
                self._peak = max(self._peak, value)

    def reset(self) -> None:
        """Forget the peak so far: from now on, the peak is at least the memory in use now."""
        with self._lock:
            self._peak = 0.0
        self.sample()

    @property
    def peak_mb(self) -> float:
        self.sample()
        with self._lock:
            return self._peak

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            self.sample()

    def __enter__(self) -> "RssSampler":
        self.sample()
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


@dataclass
class Phase:
    name: str
    seconds: float
    peak_mb: float


class Phases:
    """Each phase's wall time and peak memory, in the order run."""

    def __init__(self, sampler: RssSampler) -> None:
        self.sampler = sampler
        self.done: list[Phase] = []

    @contextlib.contextmanager
    def phase(self, name: str) -> Iterator[None]:
        line(f"== {name}", "")
        self.sampler.reset()
        start = time.perf_counter()
        try:
            yield
        finally:
            done = Phase(name, time.perf_counter() - start, self.sampler.peak_mb)
            self.done.append(done)
            line(f"   {name}: wall, peak RSS", f"{done.seconds:8.2f} s   {done.peak_mb:,.0f} MB")


def timed(label: str, func: Callable[[], object]) -> tuple[object, float]:
    """Run `func`, print its wall time under `label`, and return its result and the seconds."""
    start = time.perf_counter()
    result = func()
    seconds = time.perf_counter() - start
    line(label, f"{seconds:8.2f} s")
    return result, seconds


def db_size_mb(path: Path) -> float:
    """The database on disk: the file and its write-ahead log, in MB."""
    wal = path.with_name(path.name + ".wal")
    return sum(p.stat().st_size for p in (path, wal) if p.exists()) / 1e6


def _ram_gb() -> str:
    with contextlib.suppress(OSError):
        for row in Path("/proc/meminfo").read_text().splitlines():
            if row.startswith("MemTotal:"):
                return f"{int(row.split()[1]) / 1024 / 1024:.1f} GB"
    return "unknown"


def _commit() -> str:
    root = Path(__file__).resolve().parents[1]
    try:
        head = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head


def machine() -> dict[str, str]:
    """What the figures were measured on, for the table's header."""
    return {
        "date (UTC)": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M"),
        "machine": platform.platform(),
        "CPUs": str(os.cpu_count()),
        "RAM": _ram_gb(),
        "Python": platform.python_version(),
        "DuckDB": duckdb.__version__,
        "commit": _commit() + " (others' uncommitted changes in the checkout count too)",
    }
