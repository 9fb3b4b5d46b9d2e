"""Loading a partner figures file into the store for one force, all or nothing.

A load is a row of `loads` (kind 'partner', the one force it is for) and its counts in
`partner_versions`; `current_partner_figures` holds, per key, the row of the latest active load,
so a later load replaces the same (partner, measure, month, age band, gender) and rolling a load
back (`flightdeck.store.history.rollback`) brings the previous values back. Every attempt goes
through `flightdeck.access.guard`: the role is checked, the outcome audited (refusals too), and
the rows written in one transaction.
"""

import datetime as dt
from pathlib import Path

import duckdb

from flightdeck import access
from flightdeck.access import guard
from flightdeck.extracts.report import WARNING
from flightdeck.partners.contract import validate_partner_file
from flightdeck.reference import load_reference
from flightdeck.store import admission
from flightdeck.store.changes import report_warning_rows
from flightdeck.store.loads import LoadOutcome, LoadSummary, next_load_id, record_load

KIND = "partner"


def forces_with_case_data(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The forces with an active case load, sorted."""
    return [f for (f,) in con.execute("SELECT force FROM force_as_of ORDER BY force").fetchall()]


def force_refusal(con: duckdb.DuckDBPyConnection, force: str | None) -> tuple[str | None, str]:
    """The force the figures are for and None, or None and why no force can be taken: a force
    given must be in the reference list; none given means the database's only force with case
    data."""
    if force is not None:
        if force not in load_reference().force_ids:
            return None, f"{force!r} is not a force in the reference list of forces."
        return force, ""
    held = forces_with_case_data(con)
    if len(held) == 1:
        return held[0], ""
    if not held:
        return None, "No force has case data in this database: name the force the figures are for."
    return None, (
        f"The database holds case data for several forces ({', '.join(held)}): name the force "
        "the figures are for."
    )


def load_partner_file(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    *,
    user: access.User,
    force: str | None = None,
    file_name: str | None = None,
    today: dt.date | None = None,
) -> LoadOutcome:
    """Validate a partner figures file and load it for `force` atomically (see
    `force_refusal` when no force is given). Refused, and audited: an unknown force, no force
    to take, a file that is not a CSV within the size limit, a file that breaks the contract.
    The same file loaded before for the same force (by SHA-256) changes nothing, and says so."""
    name = file_name or Path(path).name
    detail = f"partner figures {name} for {force or 'the only force with case data'}"
    action = guard.begin(con, user, "load_partners", access.LOAD, detail)
    chosen, why = force_refusal(con, force)
    refusal = why or admission.rejected_upload([Path(path)], [name])
    if chosen is None or refusal:
        action.refuse(refusal)
        return LoadOutcome("refused", f"{refusal} Nothing was loaded.")
    extract = validate_partner_file(Path(path), file_name=name, today=today)
    if not extract.report.ok:
        action.refuse()
        return LoadOutcome("refused", f"Refused {name}: nothing was loaded.", [extract.report])
    earlier = admission.active_load_with_sha(con, extract.sha256, KIND, chosen)
    if earlier is not None:
        action.unchanged(f"identical to load {earlier}")
        message = f"Nothing changed: {name} is identical to load {earlier} for {chosen}."
        return LoadOutcome("no_change", message, [extract.report])

    def work() -> LoadSummary:
        load_id = next_load_id(con)
        summary = LoadSummary(load_id, name, [chosen], len(extract.frame))
        summary.warnings = sum(n for (s, _), n in extract.report.totals.items() if s == WARNING)
        record_load(con, KIND, summary, extract.sha256, user.name)
        con.register("incoming", extract.frame)
        try:
            con.execute(
                "INSERT INTO partner_versions SELECT ?, line, ?, partner, measure, month, "
                "age_band, gender, count FROM incoming",
                [load_id, chosen],
            )
        finally:
            con.unregister("incoming")
        warnings = report_warning_rows(load_id, extract.report)
        if warnings:  # kept with the load, as a case load's are, for the data-quality page
            con.executemany("INSERT INTO load_warnings VALUES (?, ?, ?, ?, ?, ?, ?)", warnings)
        return summary

    summary = action.run(work, lambda done: f"load {done.load_id} for {chosen}")
    return LoadOutcome(
        "loaded",
        f"Loaded {name} as load {summary.load_id} for {chosen}: {summary.rows_total:,} "
        f"partner figures, {summary.warnings:,} warnings.",
        [extract.report],
        [summary],
    )
