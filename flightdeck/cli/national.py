"""The `import-national` command of the flightdeck command line: the Home Office's published
police recorded crime and outcomes open-data tables (docs/national.md).

    flightdeck import-national FILE... --db PATH
    flightdeck import-national --list --db PATH

Exit status: 0 imported (or listed), 1 a file was refused (the report goes to stderr and
nothing is changed) or the action failed, 2 a usage error (a missing file, bad arguments).
"""

import sys
from pathlib import Path

import pandas as pd

from flightdeck.cli.common import (
    EXIT_OK,
    EXIT_REFUSED,
    EXIT_USAGE,
    Progress,
    cli_user,
    missing_file,
    opened,
)
from flightdeck.national.imports import import_national, list_national

LIST_COLUMNS = [
    "import_id",
    "kind",
    "file_name",
    "sheets",
    "rows_kept",
    "rows_current",
    "quarters_new",
    "quarters_replaced",
    "synthetic",
    "imported_by",
    "imported_at",
]


def _listing(imports: pd.DataFrame) -> str:
    if imports.empty:
        return "No national figures imported."
    return imports[LIST_COLUMNS].to_string(index=False)


def cmd_import_national(args) -> int:
    if bool(args.files) == args.list:
        print("flightdeck: give FILE... to import, or --list (not both)", file=sys.stderr)
        return EXIT_USAGE
    missing = missing_file(args.files)
    if missing:
        print(missing, file=sys.stderr)
        return EXIT_USAGE
    # Listing only reads; importing writes (and audits, refusals too).
    with opened(args, read_only=args.list) as con:
        if args.list:
            print(_listing(list_national(con)))
            return EXIT_OK
        outcome = import_national(con, args.files, user=cli_user(), progress=Progress(args.quiet))
    if outcome.status == "refused":
        for report in outcome.reports:
            if not report.ok:
                print(report.to_text(), file=sys.stderr)
        print(outcome.message, file=sys.stderr)
        return EXIT_REFUSED
    print(outcome.message)
    print(
        f"In all: {outcome.quarters_new:,} force quarters new, {outcome.quarters_replaced:,} "
        f"replaced; synthetic figures: {'yes' if outcome.synthetic else 'no'}."
    )
    return EXIT_OK


def register(command) -> None:
    """Add import-national; `command(name, func, help)` makes the subparser."""
    p = command(
        "import-national",
        cmd_import_national,
        "import the Home Office's published recorded crime and outcomes tables (ODS, XLSX or "
        "CSV; rape and other sexual offence rows), replacing the same force quarters",
    )
    p.add_argument(
        "files", type=Path, nargs="*", metavar="FILE", help="published tables, all or nothing"
    )
    p.add_argument("--list", action="store_true", help="list the national imports instead")
