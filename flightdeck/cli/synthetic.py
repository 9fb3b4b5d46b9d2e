"""`generate` and `demo`: synthetic extracts for fictional forces, and the demo database."""

from pathlib import Path

from flightdeck.cli.common import EXIT_OK, EXIT_USAGE, Progress, date_argument, fail
from flightdeck.synthetic import demo, generator

ALONGSIDE_FLAG = "--alongside-real-data"


def cmd_generate(args) -> int:
    try:
        files = generator.generate(
            args.out,
            forces=args.forces,
            months=args.months,
            crimes_per_month=args.crimes_per_month,
            seed=args.seed,
            as_of=args.as_of,
            warmup_months=args.warmup_months,
            progress=Progress(args.quiet),
        )
    except ValueError as exc:
        return fail(str(exc), EXIT_USAGE)
    print(
        f"Wrote {files.crimes:,} synthetic crimes in {len(files.case_files)} case files and "
        f"{files.workforce_file.name} to {args.out} (as of {files.as_of})."
    )
    return EXIT_OK


def cmd_demo(args) -> int:
    progress = Progress(args.quiet)
    alongside = args.alongside_real_data
    try:
        if args.if_missing:
            built = demo.ensure_demo(args.db, progress=progress, alongside_real_data=alongside)
            summary = "Demo database built." if built else "Demo database already present."
        else:
            summary = demo.build_demo(args.db, progress=progress, alongside_real_data=alongside)
    except demo.RealForceData as exc:
        return fail(
            f"{exc}. Use a database of its own for the demo (--db), or give "
            f"{ALONGSIDE_FLAG} to load the synthetic forces beside the real data."
        )
    print(summary)
    return EXIT_OK


def register(command) -> None:
    """Add the commands; `command(name, func, help, db=...)` makes each subparser."""
    p = command("generate", cmd_generate, "write synthetic extracts for fictional forces", db=False)
    p.add_argument("--out", type=Path, required=True, help="folder to write into")
    p.add_argument("--forces", type=int, default=4)
    p.add_argument("--months", type=int, default=36)
    p.add_argument("--crimes-per-month", type=int, default=120, help="average per force")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument(
        "--as-of",
        type=date_argument,
        default=None,
        help="extract date (default: end of last month)",
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
    p.add_argument(
        ALONGSIDE_FLAG,
        action="store_true",
        help="load the demo even into a database holding real (non-demo) force data; without "
        "it such a database is refused",
    )
