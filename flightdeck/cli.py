"""The `flightdeck` command line: load, inspect, roll back, compute, generate.

Exit status: 0 success (including a load that changed nothing), 1 a file was refused or an
action failed (the report goes to stderr), 2 a usage error.
"""

import argparse
import datetime as dt
import getpass
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flightdeck import access, busy
from flightdeck.settings import load_settings

EXIT_OK, EXIT_REFUSED, EXIT_USAGE = 0, 1, 2
# The dashboard opens the file only for moments; a load by another command may take minutes.
WAIT_SECONDS = 30.0


class _Progress:
    """Progress lines on stderr, each with the time since the command started."""

    def __init__(self, quiet: bool = False) -> None:
        self.start = time.perf_counter()
        self.quiet = quiet

    def __call__(self, message: str) -> None:
        if not self.quiet:
            print(f"[{time.perf_counter() - self.start:6.1f}s] {message}", file=sys.stderr)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date in YYYY-MM-DD form: {text!r}") from None


def _cli_user() -> access.User:
    """The person at the terminal: the command line runs in local mode, as an analyst."""
    return access.User(name=getpass.getuser(), role="analyst")


def _admin_user() -> access.User:
    """The person at the terminal reading the audit trail: they own the (owner-only) database
    file and could open it with any DuckDB client, so the command line lets them read it as an
    admin, and records that they did."""
    return access.User(name=getpass.getuser(), role="admin")


def _connect(args):
    """Open the database, waiting (up to WAIT_SECONDS) while another process holds it."""
    from flightdeck import store

    return busy.open_when_free(lambda: store.connect(args.db), WAIT_SECONDS)


def _rejected_file(files) -> str | None:
    """Why the first file that is not a CSV extract within the size limit is turned away (the
    same checks as the Load data page), or None when all pass."""
    from flightdeck import uploads

    limit = load_settings().max_upload_bytes
    for path in files:
        try:
            uploads.check_file(path, limit)
        except uploads.UploadRejected as exc:
            return f"flightdeck: refused {path}: {exc}"
    return None


@contextmanager
def _opened(args) -> Iterator:
    """The database for one command, closed when the command is done."""
    con = _connect(args)
    try:
        yield con
    finally:
        con.close()


def _print_reports(reports, out=None) -> None:
    out = out or sys.stderr  # looked up at call time, so a redirected stderr is honoured
    for report in reports:
        if report.findings:
            print(report.to_text(), file=out)


def cmd_load_cases(args) -> int:
    from flightdeck import store

    missing = [p for p in args.files if not Path(p).is_file()]
    if missing:
        print(f"flightdeck: no such file: {', '.join(map(str, missing))}", file=sys.stderr)
        return EXIT_USAGE
    rejected = _rejected_file(args.files)
    if rejected:
        print(rejected, file=sys.stderr)
        return EXIT_REFUSED
    with _opened(args) as con:
        outcome = store.load_case_files(
            con, args.files, as_of=args.as_of, user=_cli_user(), progress=_Progress(args.quiet)
        )
    if outcome.status == "refused":
        _print_reports(outcome.reports)
        print(outcome.message, file=sys.stderr)
        return EXIT_REFUSED
    _print_reports(outcome.reports, out=sys.stdout)
    print(outcome.message)
    return EXIT_OK


def cmd_load_workforce(args) -> int:
    from flightdeck import store

    if not Path(args.file).is_file():
        print(f"flightdeck: no such file: {args.file}", file=sys.stderr)
        return EXIT_USAGE
    rejected = _rejected_file([args.file])
    if rejected:
        print(rejected, file=sys.stderr)
        return EXIT_REFUSED
    with _opened(args) as con:
        outcome = store.load_workforce_file(
            con, args.file, user=_cli_user(), progress=_Progress(args.quiet)
        )
    if outcome.status == "refused":
        _print_reports(outcome.reports)
        print(outcome.message, file=sys.stderr)
        return EXIT_REFUSED
    print(outcome.message)
    return EXIT_OK


def cmd_loads(args) -> int:
    from flightdeck import store

    with _opened(args) as con:
        loads = store.list_loads(con).drop(columns=["sha256"])
    if loads.empty:
        print("No loads yet.")
    else:
        print(loads.to_string(index=False))
    return EXIT_OK


def cmd_rollback(args) -> int:
    from flightdeck import store

    con = _connect(args)
    try:
        print(store.rollback(con, args.load_id, user=_cli_user(), progress=_Progress(args.quiet)))
    except ValueError as exc:
        print(f"flightdeck: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    finally:
        con.close()
    return EXIT_OK


def cmd_generate(args) -> int:
    from flightdeck import synthetic

    try:
        files = synthetic.generate(
            args.out,
            forces=args.forces,
            months=args.months,
            crimes_per_month=args.crimes_per_month,
            seed=args.seed,
            as_of=args.as_of,
            warmup_months=args.warmup_months,
            progress=_Progress(args.quiet),
        )
    except ValueError as exc:
        print(f"flightdeck: {exc}", file=sys.stderr)
        return EXIT_USAGE
    print(
        f"Wrote {files.crimes:,} synthetic crimes in {len(files.case_files)} case files and "
        f"{files.workforce_file.name} to {args.out} (as of {files.as_of})."
    )
    return EXIT_OK


def cmd_demo(args) -> int:
    from flightdeck import demo

    progress = _Progress(args.quiet)
    if args.if_missing:
        built = demo.ensure_demo(args.db, progress=progress)
        print("Demo database built." if built else "Demo database already present.")
        return EXIT_OK
    print(demo.build_demo(args.db, progress=progress))
    return EXIT_OK


def cmd_kpis(args) -> int:
    from flightdeck import kpis

    with _opened(args) as con:
        rows = kpis.write_results_csv(con, args.out)
    print(f"Wrote {rows:,} KPI result rows to {args.out}.")
    return EXIT_OK


def cmd_feasibility(args) -> int:
    from flightdeck import kpis

    with _opened(args) as con:
        rows = kpis.write_feasibility_csv(con, args.out)
    print(f"Wrote {rows:,} feasibility rows to {args.out}.")
    return EXIT_OK


def cmd_warnings(args) -> int:
    from flightdeck import store

    with _opened(args) as con:
        warnings = store.stored_warnings(con, args.load)
    print(warnings.to_string(index=False) if not warnings.empty else "No stored warnings.")
    return EXIT_OK


def cmd_audit(args) -> int:
    from flightdeck import admin_tasks, safe_export

    flt = admin_tasks.TrailFilter(
        actions=tuple(args.action or ()), since=args.since, until=args.until
    )
    with _opened(args) as con:
        if args.out:  # the export is audited (export_audit) by trail_csv
            data = admin_tasks.trail_csv(con, _admin_user(), flt)
            Path(args.out).write_bytes(data)
            rows = max(len(data.decode("utf-8").splitlines()) - 1, 0)
            print(f"Wrote {rows:,} audit entries to {args.out}.")
        else:  # the reading is audited (view_audit) by read_trail
            trail = admin_tasks.read_trail(con, _admin_user(), flt)
            sys.stdout.write(safe_export.to_safe_csv(trail))
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    default_db = load_settings().db_path
    parser = argparse.ArgumentParser(
        prog="flightdeck",
        description="RASSO flight deck: load case extracts, compute the 21 KPIs, run the demo.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, func, help_text: str, db: bool = True) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        if db:
            p.add_argument(
                "--db",
                type=Path,
                default=default_db,
                help=f"DuckDB file (default {default_db}; env FLIGHTDECK_DB)",
            )
        p.add_argument("--quiet", action="store_true", help="no progress lines")
        p.set_defaults(func=func)
        return p

    p = command("load-cases", cmd_load_cases, "validate and load case extracts (all or none)")
    p.add_argument("files", nargs="+", type=Path, metavar="FILE")
    p.add_argument(
        "--as-of",
        type=_date,
        default=dt.date.today(),
        help="date the extract was taken, YYYY-MM-DD (default today)",
    )
    p = command("load-workforce", cmd_load_workforce, "validate and load a workforce extract")
    p.add_argument("file", type=Path, metavar="FILE")
    command("loads", cmd_loads, "list the loads")
    p = command("rollback", cmd_rollback, "roll back a load: its rows stop counting")
    p.add_argument("load_id", type=int, metavar="LOAD_ID")
    p = command("warnings", cmd_warnings, "list the warnings stored with loads")
    p.add_argument("--load", type=int, default=None, help="only this load")
    p = command("generate", cmd_generate, "write synthetic extracts for fictional forces", db=False)
    p.add_argument("--out", type=Path, required=True, help="folder to write into")
    p.add_argument("--forces", type=int, default=4)
    p.add_argument("--months", type=int, default=36)
    p.add_argument("--crimes-per-month", type=int, default=120, help="average per force")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument(
        "--as-of", type=_date, default=None, help="extract date (default: end of last month)"
    )
    p.add_argument(
        "--warmup-months",
        type=int,
        default=0,
        metavar="N",
        help="also write the N months of crimes before the window, so early outcomes include "
        "older crimes (the files then cover MONTHS + N months)",
    )
    p = command("demo", cmd_demo, "generate and load the synthetic demo data")
    p.add_argument(
        "--if-missing", action="store_true", help="only when the database has no loads yet"
    )
    p = command("kpis", cmd_kpis, "write the KPI results table as CSV")
    p.add_argument("--out", type=Path, required=True)
    p = command("feasibility", cmd_feasibility, "write KPI feasibility per force as CSV")
    p.add_argument("--out", type=Path, required=True)
    p = command("audit", cmd_audit, "print the audit trail as CSV, or write it with --out")
    p.add_argument("--out", type=Path, default=None, help="CSV file to write")
    p.add_argument("--action", action="append", help="only this action (repeatable)")
    p.add_argument("--since", type=_date, default=None, help="from this day, YYYY-MM-DD")
    p.add_argument("--until", type=_date, default=None, help="to this day (inclusive)")
    _register_optional_commands(sub, command)
    return parser


def _register_optional_commands(sub, command) -> None:
    """Commands contributed by other modules (peer exchange)."""
    from importlib.util import find_spec

    if find_spec("flightdeck.cli_peers") is not None:
        from flightdeck import cli_peers

        cli_peers.register(sub)


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
