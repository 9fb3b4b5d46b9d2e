"""The `problem-profile` command: a force's annual problem profile, as a PDF or an HTML file.

    flightdeck problem-profile --db PATH --force F [--month YYYY-MM] --out FILE.pdf|FILE.html

The format follows the suffix of --out, as board-pack's does; --format pdf|html names it for a
file with another suffix (a suffix of the other format is a usage error, exit 2).

The 12 months end with --month (default: the latest full month of the force's case data). The
document is the one `flightdeck.present.profile_data` builds: small numbers suppressed, audited
as an export. As with board-pack, the database is opened only for moments: once to gather the
data, once to check the role, write the file (owner-only) and audit the export; the document is
printed in between with no database open. An unknown force or month is refused in one line
(exit 1), and so is a PDF without Chromium (the HTML works without it).
"""

import sys
from pathlib import Path

from flightdeck import files
from flightdeck.cli.board_pack import month_argument
from flightdeck.cli.common import EXIT_OK, EXIT_USAGE, cli_user, fail, opened
from flightdeck.present import pdf, profile_data


def _format(args) -> str | None:
    """The format asked for: --format, else the suffix of --out; None when they disagree or
    neither names one."""
    implied = set(profile_data.FORMATS) & {Path(args.out).suffix.lower().lstrip(".")}
    if args.format is None:
        return next(iter(implied), None)
    return args.format if not implied or args.format in implied else None


def cmd_problem_profile(args) -> int:
    fmt = _format(args)
    if fmt is None:
        return fail(
            f"--out must end in .pdf or .html, or --format name the format; "
            f"{Path(args.out).name!r} with --format {args.format or '(none)'} does not",
            EXIT_USAGE,
        )
    args.format = fmt
    if not Path(args.db).is_file():
        return fail(f"no such database: {args.db}", EXIT_USAGE)
    with opened(args) as con:
        try:
            doc = profile_data.gather_profile(con, args.force, args.month, user=cli_user())
        except profile_data.ProfileRefused as exc:
            return fail(str(exc))
    if not args.quiet:
        name = doc.profile.force_name
        print(f"Building the {args.format.upper()} problem profile of {name}...", file=sys.stderr)
    try:
        body = profile_data.render(doc, args.format)
    except pdf.PdfUnavailable as exc:
        return fail(str(exc))
    out = Path(args.out)

    def deliver() -> bytes:
        files.write_atomically(out, body)
        return body

    with opened(args) as con:
        profile_data.audited(con, cli_user(), doc, args.format, deliver)
    print(
        f"Wrote the problem profile of {doc.force} for {doc.profile.period.label} "
        f"({args.format.upper()}, {len(body) / 1024:,.0f} KB) to {out}."
    )
    return EXIT_OK


def register(command) -> None:
    """Add problem-profile; `command(name, func, help)` makes its subparser."""
    p = command(
        "problem-profile",
        cmd_problem_profile,
        "write a force's annual RASSO problem profile (the 12 months to a month) as a PDF or "
        "an HTML file (small numbers suppressed; audited as an export)",
    )
    p.add_argument("--force", required=True, help="force id, e.g. demo-northmoor")
    p.add_argument(
        "--month",
        type=month_argument,
        default=None,
        help="the last month of the 12, YYYY-MM (default: the latest full month held)",
    )
    p.add_argument(
        "--format",
        choices=sorted(profile_data.FORMATS),
        default=None,
        help="pdf or html (default: the suffix of --out)",
    )
    p.add_argument(
        "--out", type=Path, required=True, help="FILE.pdf or FILE.html: the file to write"
    )
