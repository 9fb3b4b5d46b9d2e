"""The `board-pack` command: a force's board pack for a month, as a PDF or an HTML file.

    flightdeck board-pack --db PATH --force F --month YYYY-MM --out FILE.pdf|FILE.html
                          [--offence-group All|rape|other_sexual]

The format follows the suffix of --out (anything else is a usage error, exit 2). The pack is the
one the dashboard offers (`flightdeck.present.pack_data`): small numbers suppressed by the rule
in force, and audited as an export exactly as the dashboard's download is. The database is
opened for writing (the audit row needs it, as export-results does) but only for moments: once
to read the pack's data, and once to check the role, write the file (owner-only) and audit the
export; the pack is built in between with no database open, so a PDF that takes seconds to
print never holds the file while the dashboard wants it. An unknown force or month is refused in
one line (exit 1), and so is a PDF without Chromium (the HTML pack works without it).
--offence-group makes the pack of one offence group's crimes (default All: every RASSO crime);
its title names the group.
"""

import argparse
import re
import sys
from pathlib import Path

import pandas as pd

from flightdeck import files
from flightdeck.cli.common import EXIT_OK, EXIT_USAGE, cli_user, fail, opened
from flightdeck.present import formatting, pack_data, pdf
from flightdeck.vocabulary import ALL, OFFENCE_GROUP_WORDS, OFFENCE_GROUPS

SUFFIXES = {f".{fmt}": fmt for fmt in pack_data.FORMATS}


def month_argument(text: str) -> pd.Timestamp:
    """A month given as YYYY-MM, as its first day."""
    found = re.fullmatch(r"(\d{4})-(\d{2})", text.strip())
    if found is None or not 1 <= int(found[2]) <= 12:
        raise argparse.ArgumentTypeError(f"not a month in YYYY-MM form: {text!r}")
    return pd.Timestamp(year=int(found[1]), month=int(found[2]), day=1)


def cmd_board_pack(args) -> int:
    out = Path(args.out)
    fmt = SUFFIXES.get(out.suffix.lower())
    if fmt is None:
        return fail(
            f"--out must end in .pdf or .html (the pack's format), not {out.name!r}", EXIT_USAGE
        )
    if not Path(args.db).is_file():
        return fail(f"no such database: {args.db}", EXIT_USAGE)
    # Opened for writing even to read: the schema of an older file is brought up to date (the
    # annotation tables), and the export's audit row needs it anyway.
    with opened(args) as con:
        try:
            data = pack_data.gather(con, args.force, args.month, offence_group=args.offence_group)
        except pack_data.PackRefused as exc:
            return fail(str(exc))
    if not args.quiet:
        print(f"Building the {fmt.upper()} board pack of {data.force_name}...", file=sys.stderr)
    try:
        body = pack_data.render(data, fmt)
    except pdf.PdfUnavailable as exc:
        return fail(str(exc))

    def deliver() -> bytes:
        files.write_atomically(out, body)
        return body

    with opened(args) as con:
        pack_data.audited(con, cli_user(), data, fmt, deliver)
    month = formatting.month_label(data.month)
    group = "" if data.offence_group == ALL else f" ({OFFENCE_GROUP_WORDS[data.offence_group]})"
    print(
        f"Wrote the board pack of {data.force}{group} for {month} ({fmt.upper()}, "
        f"{len(body) / 1024:,.0f} KB) to {out}."
    )
    return EXIT_OK


def register(command) -> None:
    """Add board-pack; `command(name, func, help)` makes its subparser."""
    p = command(
        "board-pack",
        cmd_board_pack,
        "write a force's board pack for a month as a PDF or an HTML file (small numbers "
        "suppressed; audited as an export)",
    )
    p.add_argument("--force", required=True, help="force id, e.g. demo-northmoor")
    p.add_argument("--month", type=month_argument, required=True, help="the month, YYYY-MM")
    p.add_argument(
        "--out", type=Path, required=True, help="FILE.pdf or FILE.html: the format to write"
    )
    p.add_argument(
        "--offence-group",
        choices=OFFENCE_GROUPS,
        default=ALL,
        help="whose crimes the pack counts: All (every RASSO crime, the default), rape or "
        "other_sexual",
    )
