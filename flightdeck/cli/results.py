"""`kpis` and `feasibility`: the KPI results table and the feasibility flags as CSV, for the
flight deck's 21 KPIs and the supplementary measures of suspect management (S01..S06) alike.

Both only read the database (the results are computed when data is loaded), so they open it
read-only and work on a file the user may only read."""

from pathlib import Path

from flightdeck.cli.common import EXIT_OK, opened
from flightdeck.engine import results


def cmd_kpis(args) -> int:
    with opened(args, read_only=True) as con:
        rows = results.write_results_csv(con, args.out)
    print(f"Wrote {rows:,} KPI result rows to {args.out}.")
    return EXIT_OK


def cmd_feasibility(args) -> int:
    with opened(args, read_only=True) as con:
        rows = results.write_feasibility_csv(con, args.out)
    print(f"Wrote {rows:,} feasibility rows to {args.out}.")
    return EXIT_OK


def register(command) -> None:
    """Add the commands; `command(name, func, help)` makes each subparser."""
    p = command("kpis", cmd_kpis, "write the KPI results table (K01-K21, S01-S06) as CSV")
    p.add_argument("--out", type=Path, required=True)
    p = command("feasibility", cmd_feasibility, "write KPI feasibility per force as CSV")
    p.add_argument("--out", type=Path, required=True)
