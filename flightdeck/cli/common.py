"""What every `flightdeck` command shares: exit codes, progress lines, the user at the terminal,
the database for one command, the check that named files exist."""

import argparse
import datetime as dt
import getpass
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from flightdeck import access
from flightdeck.settings import load_settings
from flightdeck.store import busy, connection

EXIT_OK, EXIT_REFUSED, EXIT_USAGE = 0, 1, 2
# The dashboard opens the file only for moments; a load by another command may take minutes.
WAIT_SECONDS = 30.0


class Progress:
    """Progress lines on stderr, each with the time since the command started."""

    def __init__(self, quiet: bool = False) -> None:
        self.start = time.perf_counter()
        self.quiet = quiet

    def __call__(self, message: str) -> None:
        if not self.quiet:
            print(f"[{time.perf_counter() - self.start:6.1f}s] {message}", file=sys.stderr)


def date_argument(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date in YYYY-MM-DD form: {text!r}") from None


def cli_user() -> access.User:
    """The person at the terminal: the command line runs in local mode, as an analyst."""
    return access.User(name=getpass.getuser(), role="analyst")


def admin_user() -> access.User:
    """The person at the terminal reading the audit trail: they own the (owner-only) database
    file and could open it with any DuckDB client, so the command line lets them read it as an
    admin, and records that they did."""
    return access.User(name=getpass.getuser(), role="admin")


@contextmanager
def opened(
    args: argparse.Namespace, read_only: bool = False
) -> Iterator[duckdb.DuckDBPyConnection]:
    """The database at `args.db` for one command (waiting up to WAIT_SECONDS while another
    process holds it), closed when the command is done.

    `read_only=True` for a command that writes nothing (not even an audit row): it then works
    on a file the user may only read, never creates one, and raises connection.NoDatabase
    when there is none. Either way raises connection.NotADatabase for a file that is not a
    DuckDB database, leaving it untouched.
    """
    con = busy.open_when_free(
        lambda: connection.connect(args.db, read_only=read_only), WAIT_SECONDS
    )
    try:
        yield con
    finally:
        con.close()


def missing_file(files) -> str | None:
    """The usage error for files that do not exist, or None."""
    missing = [p for p in files if not Path(p).is_file()]
    return f"flightdeck: no such file: {', '.join(map(str, missing))}" if missing else None


def print_reports(reports, out=None) -> None:
    out = out or sys.stderr  # looked up at call time, so a redirected stderr is honoured
    for report in reports:
        if report.findings:
            print(report.to_text(), file=out)


def fail(message: str, code: int = EXIT_REFUSED) -> int:
    """Print `flightdeck: <message>` on stderr and return the exit code."""
    print(f"flightdeck: {message}", file=sys.stderr)
    return code


def add_db(parser: argparse.ArgumentParser) -> None:
    """The --db option every command that opens the database has."""
    default = load_settings().db_path
    parser.add_argument(
        "--db",
        type=Path,
        default=default,
        help=f"DuckDB file (default {default}; env FLIGHTDECK_DB)",
    )
