"""The `flightdeck` command line: load, inspect, roll back, compute, generate, exchange, audit.

Exit status: 0 success (including a load that changed nothing), 1 a file was refused or an
action failed (the report goes to stderr), 2 a usage error (also a setting the product does
not accept).

Each command group lives in its own module with a `register(command)` function; this module
builds the parser from them and runs the chosen command, turning refusals into one line.
"""

import argparse
import sys

from flightdeck import access, files
from flightdeck.cli import (
    audit,
    board_pack,
    loads,
    national,
    peers,
    profile,
    results,
    suspects,
    synthetic,
)
from flightdeck.cli.common import EXIT_USAGE, WAIT_SECONDS, add_db, fail
from flightdeck.settings import SettingError
from flightdeck.store import busy, connection

COMMAND_GROUPS = (loads, results, synthetic, peers, national, audit, board_pack, profile, suspects)


def build_parser() -> argparse.ArgumentParser:
    """The parser of every command. Reads the settings (the --db default), so it raises
    SettingError when one holds a value the product does not accept."""
    parser = argparse.ArgumentParser(
        prog="flightdeck",
        description="RASSO flight deck: load case extracts, compute the 21 KPIs, run the demo.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, func, help_text: str, db: bool = True) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        if db:
            add_db(p)
        p.add_argument("--quiet", action="store_true", help="no progress lines")
        p.set_defaults(func=func)
        return p

    for group in COMMAND_GROUPS:
        group.register(command)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command; returns its exit status. Every error ends as one `flightdeck: ...` line
    on stderr, never a stack trace."""
    # Case rows pass through files DuckDB creates beside the database (.wal, .tmp) with the
    # process umask: only the owner may read anything this process creates.
    files.private_umask()
    try:
        parser = build_parser()
    except SettingError as exc:  # raised while the --db default is read, before parsing
        return fail(str(exc), EXIT_USAGE)
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except SettingError as exc:
        return fail(str(exc), EXIT_USAGE)
    except connection.DatabaseFileError as exc:
        return fail(str(exc))
    except access.PermissionDenied as exc:
        return fail(f"refused: {exc}")
    except busy.DatabaseBusy:
        return fail(
            f"{args.db} is held by another program (a load or a DuckDB client) "
            f"for more than {WAIT_SECONDS:.0f} s; nothing was changed, try again."
        )
    except KeyboardInterrupt:
        return fail("interrupted; nothing was changed by the unfinished step.")
    except Exception as exc:  # the user gets one line, not a stack trace
        return fail(f"failed: {type(exc).__name__}: {exc}")


if __name__ == "__main__":
    sys.exit(main())
