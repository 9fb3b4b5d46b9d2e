"""`audit`: the audit trail, printed or written as CSV; reading it is itself audited."""

import sys
from pathlib import Path

from flightdeck import exports, files
from flightdeck.access import trail
from flightdeck.cli.common import EXIT_OK, admin_user, date_argument, opened


def cmd_audit(args) -> int:
    flt = trail.TrailFilter(actions=tuple(args.action or ()), since=args.since, until=args.until)
    with opened(args) as con:
        if args.out:  # the export is audited (export_audit) by trail_csv
            data = trail.trail_csv(con, admin_user(), flt)
            files.write_atomically(args.out, data)
            rows = max(len(data.decode("utf-8").splitlines()) - 1, 0)
            print(f"Wrote {rows:,} audit entries to {args.out}.")
        else:  # the reading is audited (view_audit) by read_trail
            entries = trail.read_trail(con, admin_user(), flt)
            sys.stdout.write(exports.to_safe_csv(entries))
    return EXIT_OK


def register(command) -> None:
    """Add the command; `command(name, func, help)` makes its subparser."""
    p = command("audit", cmd_audit, "print the audit trail as CSV, or write it with --out")
    p.add_argument("--out", type=Path, default=None, help="CSV file to write")
    p.add_argument("--action", action="append", help="only this action (repeatable)")
    p.add_argument("--since", type=date_argument, default=None, help="from this day, YYYY-MM-DD")
    p.add_argument("--until", type=date_argument, default=None, help="to this day (inclusive)")
