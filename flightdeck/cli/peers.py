"""The `export-results` and `import-results` commands of the flightdeck command line.

    flightdeck export-results --db PATH --force F --out FILE.csv
                              [--count-max N] [--min-denominator N]
    flightdeck import-results FILE.csv --db PATH [--meta FILE.meta.json]
    flightdeck import-results --remove FORCE --db PATH
    flightdeck import-results --list --db PATH

Exit status: 0 success (also an import that changed nothing), 1 a file was refused or the
action failed (the report goes to stderr), 2 a usage error (missing file, bad arguments).
"""

import argparse
import sys
from pathlib import Path

from flightdeck.cli.common import EXIT_OK, EXIT_REFUSED, EXIT_USAGE, cli_user, fail, opened
from flightdeck.peers.export import export_results
from flightdeck.peers.imports import import_results, list_imports, remove_import
from flightdeck.peers.suppression import SuppressionRule


def cmd_export_results(args) -> int:
    base = SuppressionRule.from_settings()
    rule = SuppressionRule(
        count_max=base.count_max if args.count_max is None else args.count_max,
        min_denominator=base.min_denominator
        if args.min_denominator is None
        else args.min_denominator,
    )
    if not Path(args.db).is_file():
        print(f"flightdeck: no such database: {args.db}", file=sys.stderr)
        return EXIT_USAGE
    with opened(args) as con:
        try:
            summary = export_results(con, args.force, args.out, user=cli_user(), rule=rule)
        except ValueError as exc:
            return fail(str(exc))
    print(summary.message)
    return EXIT_OK


def cmd_import_results(args) -> int:
    chosen = [x for x in (args.file, args.remove, args.list or None) if x]
    if len(chosen) != 1:
        print("flightdeck: give exactly one of FILE, --remove FORCE or --list", file=sys.stderr)
        return EXIT_USAGE
    if args.file is not None and not Path(args.file).is_file():
        print(f"flightdeck: no such file: {args.file}", file=sys.stderr)
        return EXIT_USAGE
    # Listing only reads; removing and importing write (and audit).
    with opened(args, read_only=args.list) as con:
        if args.list:
            imports = list_imports(con)
            print(imports.to_string(index=False) if not imports.empty else "No peer imports.")
            return EXIT_OK
        if args.remove:
            try:
                print(remove_import(con, args.remove, user=cli_user()))
            except ValueError as exc:
                return fail(str(exc))
            return EXIT_OK
        outcome = import_results(con, args.file, user=cli_user(), meta_path=args.meta)
    if outcome.status == "refused":
        print(outcome.report.to_text(), file=sys.stderr)
        print(outcome.message, file=sys.stderr)
        return EXIT_REFUSED
    print(outcome.message)
    for note in outcome.notes:
        print(f"Note: {note}")
    return EXIT_OK


def _non_negative(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError("must not be negative")
    return value


def register(command) -> None:
    """Add export-results and import-results; `command(name, func, help)` makes each."""
    p = command(
        "export-results",
        cmd_export_results,
        "write a force's KPI results with small numbers suppressed, for sharing with peers",
    )
    p.add_argument("--force", required=True, help="force id whose own results to export")
    p.add_argument("--out", type=Path, required=True, help="CSV to write (plus OUT.meta.json)")
    p.add_argument(
        "--count-max",
        type=_non_negative,
        default=None,
        help="suppress counts from 1 to this (default from settings, 4)",
    )
    p.add_argument(
        "--min-denominator",
        type=_non_negative,
        default=None,
        help="suppress rates and medians with a smaller denominator (default 10)",
    )
    p = command(
        "import-results",
        cmd_import_results,
        "import a peer force's exported KPI results (replaces its earlier import)",
    )
    p.add_argument("file", type=Path, nargs="?", metavar="FILE", help="CSV from export-results")
    p.add_argument(
        "--meta", type=Path, default=None, help="side file (default FILE.meta.json next to the CSV)"
    )
    p.add_argument(
        "--remove",
        metavar="FORCE",
        default=None,
        help="remove the imported results of this force instead",
    )
    p.add_argument("--list", action="store_true", help="list the peer imports instead")
