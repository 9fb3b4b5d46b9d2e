"""The `suspects` command: one of a force's suspect lists at a month end, as CSV.

    flightdeck suspects --db PATH --force F --month YYYY-MM --list frequency|harm|rfg
                        [--out FILE.csv]

The CSV is the one the dashboard's download gives (`flightdeck.suspects.lists.list_csv`): a
handling line first, then the header and at most 10 rows of pseudonymised suspect ids, every
text cell neutralised against formula injection. --out writes it owner-only (0600), inside the
audited export, so a failed write is audited as failed; without --out it goes to stdout.

Analysts only: the role is checked and the export audited (with the force, month and list)
exactly as on the dashboard. An unknown list is a usage error (exit 2); a month that has not
ended by the force's as-of date, or a force with no case data, is refused in one line (exit 1).
"""

import argparse
import datetime as dt
import sys
from pathlib import Path

from flightdeck import files
from flightdeck.cli.board_pack import month_argument
from flightdeck.cli.common import EXIT_OK, EXIT_USAGE, cli_user, fail, opened
from flightdeck.suspects import lists, scope


def _month(text: str) -> dt.date:
    return month_argument(text).date()


def cmd_suspects(args: argparse.Namespace) -> int:
    if args.list not in lists.LISTS:
        return fail(f"no such list {args.list!r}: choose {', '.join(lists.LISTS)}", EXIT_USAGE)
    if not Path(args.db).is_file():
        return fail(f"no such database: {args.db}", EXIT_USAGE)
    out = Path(args.out) if args.out else None

    def deliver(data: bytes) -> None:
        files.write_atomically(out, data)

    with opened(args) as con:
        try:
            data = lists.list_csv(
                con,
                cli_user(),
                args.force,
                args.month,
                args.list,
                deliver=deliver if out is not None else None,
            )
        except scope.SuspectsRefused as exc:
            return fail(str(exc))
    if out is None:
        sys.stdout.write(data.decode("utf-8"))
        sys.stdout.flush()
        return EXIT_OK
    print(
        f"Wrote the {args.list} list of {args.force} to "
        f"{scope.month_end(args.month).isoformat()} to {out} (official-sensitive: analyst use "
        "only; the export is in the audit trail)."
    )
    return EXIT_OK


def register(command) -> None:
    """Add suspects; `command(name, func, help)` makes its subparser."""
    p = command(
        "suspects",
        cmd_suspects,
        "write one of a force's suspect lists at a month end (frequency, harm or RFG score; "
        "pseudonymised ids, analysts only; audited as an export) as CSV",
    )
    p.add_argument("--force", required=True, help="force id, e.g. demo-northmoor")
    p.add_argument(
        "--month", type=_month, required=True, help="the month, YYYY-MM (it must have ended)"
    )
    p.add_argument(
        "--list",
        required=True,
        metavar="|".join(lists.LISTS),
        help="highest frequency, highest harm or the RFG threat score",
    )
    p.add_argument(
        "--out", type=Path, default=None, help="FILE.csv, written owner-only (default: stdout)"
    )
