"""The `flightdeck` command line: load, inspect, roll back, compute, generate, exchange, audit.

Exit status: 0 success (including a load that changed nothing), 1 a file was refused or an
action failed (the report goes to stderr), 2 a usage error.

Each command group lives in its own module with a `register(command)` function; this module
builds the parser from them and runs the chosen command, turning refusals into one line.
"""

import argparse
import sys

from flightdeck import access
from flightdeck.cli import audit, loads, peers, results, synthetic
from flightdeck.cli.common import EXIT_REFUSED, WAIT_SECONDS, add_db
from flightdeck.store import busy

COMMAND_GROUPS = (loads, results, synthetic, peers, audit)


def build_parser() -> argparse.ArgumentParser:
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
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except access.PermissionDenied as exc:
        print(f"flightdeck: refused: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    except busy.DatabaseBusy:
        print(
            f"flightdeck: {args.db} is held by another program (a load or a DuckDB client) "
            f"for more than {WAIT_SECONDS:.0f} s; nothing was changed, try again.",
            file=sys.stderr,
        )
        return EXIT_REFUSED
    except KeyboardInterrupt:
        print(
            "flightdeck: interrupted; nothing was changed by the unfinished step.", file=sys.stderr
        )
        return EXIT_REFUSED
    except Exception as exc:  # the user gets one line, not a stack trace
        print(f"flightdeck: failed: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_REFUSED


if __name__ == "__main__":
    sys.exit(main())
