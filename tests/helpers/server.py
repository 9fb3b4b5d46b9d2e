"""The dashboard served for real, as `./scripts/dashboard` serves it: through the launcher
(`flightdeck/app/server.py`) on a free loopback port, in a subprocess."""

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from flightdeck.synthetic import demo
from helpers.paths import ROOT

LAUNCHER = ROOT / "flightdeck" / "app" / "server.py"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(url: str, process: subprocess.Popen, log_path: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError(f"{url} did not answer within {seconds} s: {log_path.read_text()}")


@contextlib.contextmanager
def serving(
    db: Path, log_path: Path, *, launcher: Path = LAUNCHER, cwd: Path = ROOT, **env_extra: str
) -> Iterator[int]:
    """The app served by `launcher` from `cwd` over `db`, with the real sign-in gate (no test
    override); yields the port once Streamlit answers its health check."""
    port = free_port()
    # No file watcher: a source file saved while a test runs would otherwise hold the page
    # with Streamlit's "source file changed" prompt.
    env = {
        **os.environ,
        "FLIGHTDECK_DB": str(db),
        "STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none",
        **env_extra,
    }
    env.pop("FLIGHTDECK_TESTING", None)
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(launcher), "--server.headless",
             "true", "--server.port", str(port), "--server.address", "127.0.0.1"],
            cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            _wait_for(f"http://127.0.0.1:{port}/_stcore/health", process, log_path)
            yield port
        finally:
            process.terminate()
            process.wait(timeout=20)


@contextlib.contextmanager
def serving_demo(folder: Path, **build: object) -> Iterator[tuple[str, Path]]:
    """A synthetic demo database built in `folder` (`demo.build_demo`'s arguments) and served
    as the dashboard: yields its address and the database file."""
    db = folder / "demo.duckdb"
    demo.build_demo(db, **build)
    with serving(db, folder / "streamlit.log") as port:
        yield f"http://127.0.0.1:{port}", db
