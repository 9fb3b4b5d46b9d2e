"""`load-cases`, `load-workforce`, `load-partner`, `loads`, `rollback`, `refresh` and
`warnings`: loading extracts and partner figures, the loads history, rolling a load back and
recomputing everything."""

import datetime as dt
import sys
from pathlib import Path

from flightdeck.cli.common import (
    EXIT_OK,
    EXIT_REFUSED,
    EXIT_USAGE,
    Progress,
    cli_user,
    date_argument,
    fail,
    missing_file,
    opened,
    print_reports,
)
from flightdeck.partners import loads as partner_loads
from flightdeck.store import history, loads


def _missing(files) -> int | None:
    """EXIT_USAGE when a file does not exist (a typo: no database is opened for it), else None.
    A file that exists but is not an extract is refused, and audited, by the load itself."""
    missing = missing_file(files)
    if missing:
        print(missing, file=sys.stderr)
        return EXIT_USAGE
    return None


def _ended(outcome, quiet_reports: bool = False) -> int:
    if outcome.status in ("refused", "held"):
        print_reports(outcome.reports)
        print(outcome.message, file=sys.stderr)
        return EXIT_REFUSED
    if not quiet_reports:
        print_reports(outcome.reports, out=sys.stdout)
    print(outcome.message)
    return EXIT_OK


def cmd_load_cases(args) -> int:
    code = _missing(args.files)
    if code is not None:
        return code
    with opened(args) as con:
        outcome = loads.load_case_files(
            con,
            args.files,
            as_of=args.as_of,
            user=cli_user(),
            progress=Progress(args.quiet),
            confirm_wrong_extract=args.confirm_wrong_extract_risk,
        )
    return _ended(outcome)


def cmd_load_workforce(args) -> int:
    code = _missing([args.file])
    if code is not None:
        return code
    with opened(args) as con:
        outcome = loads.load_workforce_file(
            con, args.file, user=cli_user(), progress=Progress(args.quiet)
        )
    return _ended(outcome, quiet_reports=True)


def cmd_load_partner(args) -> int:
    code = _missing([args.file])
    if code is not None:
        return code
    with opened(args) as con:
        outcome = partner_loads.load_partner_file(con, args.file, user=cli_user(), force=args.force)
    return _ended(outcome)


def cmd_loads(args) -> int:
    with opened(args, read_only=True) as con:
        listed = history.list_loads(con).drop(columns=["sha256"])
    print(listed.to_string(index=False) if not listed.empty else "No loads yet.")
    return EXIT_OK


def cmd_rollback(args) -> int:
    with opened(args) as con:
        try:
            print(
                history.rollback(con, args.load_id, user=cli_user(), progress=Progress(args.quiet))
            )
        except ValueError as exc:
            return fail(str(exc))
    return EXIT_OK


def cmd_refresh(args) -> int:
    with opened(args) as con:
        print(history.refresh_everything(con, user=cli_user(), progress=Progress(args.quiet)))
    return EXIT_OK


def cmd_warnings(args) -> int:
    with opened(args, read_only=True) as con:
        warnings = history.stored_warnings(con, args.load)
    print(warnings.to_string(index=False) if not warnings.empty else "No stored warnings.")
    return EXIT_OK


def register(command) -> None:
    """Add the commands; `command(name, func, help)` makes each subparser."""
    p = command("load-cases", cmd_load_cases, "validate and load case extracts (all or none)")
    p.add_argument("files", nargs="+", type=Path, metavar="FILE")
    p.add_argument(
        "--as-of",
        type=date_argument,
        default=dt.date.today(),
        help="date the extract was taken, YYYY-MM-DD (default today; never after today)",
    )
    p.add_argument(
        "--confirm-wrong-extract-risk",
        action="store_true",
        help="load even if the file looks like the wrong extract for a force loaded before "
        "(most of its previous crimes missing, or most of the file's crimes new), accepting "
        "that crimes may be counted twice",
    )
    p = command("load-workforce", cmd_load_workforce, "validate and load a workforce extract")
    p.add_argument("file", type=Path, metavar="FILE")
    p = command(
        "load-partner", cmd_load_partner, "validate and load partner agency figures (SARC, ISVA)"
    )
    p.add_argument("file", type=Path, metavar="FILE")
    p.add_argument(
        "--force",
        default=None,
        help="the force the figures belong to (a force id; default: the database's only force "
        "with case data)",
    )
    command("loads", cmd_loads, "list the loads")
    p = command("rollback", cmd_rollback, "roll back a load: its rows stop counting")
    p.add_argument("load_id", type=int, metavar="LOAD_ID")
    command(
        "refresh",
        cmd_refresh,
        "recompute every force's current crimes and KPIs from the stored loads (loads and "
        "rollbacks recompute only the forces they touch)",
    )
    p = command("warnings", cmd_warnings, "list the warnings stored with loads")
    p.add_argument("--load", type=int, default=None, help="only this load")
