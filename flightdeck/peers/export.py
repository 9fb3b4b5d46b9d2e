"""Exporting a force's KPI results for its peers, small numbers suppressed.

The export holds the force's own results of the flight deck's 21 KPIs (never the supplementary
measures of suspect management, S01..S06: those are the force's own management information) in
the results-table format (the columns of
`flightdeck.vocabulary.RESULT_COLUMNS`, offence group after month, then `suppressed`; format
version 2) after small-number suppression by
`flightdeck.peers.suppression.suppress` (counts, rate numerators and rate complements from 1 to
N, rates and medians on fewer than M crimes, and the cells that would give them back), and a
side file `<file>.meta.json` with the force, as-of date, product version, suppression rule,
export time, row counts, the CSV's SHA-256 and the force's KPI feasibility flags. The import
(`flightdeck.peers.imports`) requires that side file.
"""

import datetime as dt
import hashlib
import importlib.metadata
import json
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from flightdeck import access, exports, files
from flightdeck.access import guard
from flightdeck.engine import catalogue
from flightdeck.peers.results_file import FORMAT, FORMAT_VERSION, meta_path_for
from flightdeck.peers.suppression import SuppressionRule, suppress, violations
from flightdeck.reference import load_reference
from flightdeck.vocabulary import RESULT_COLUMNS, RESULT_KEY


@dataclass
class ExportSummary:
    path: Path
    meta_path: Path
    rows: int
    rows_suppressed: int
    message: str


def _to_csv_text(frame: pd.DataFrame) -> str:
    """The export's CSV text: text cells formula-safe (`exports`), figures as numbers."""
    # Neutralised before the figures become text, so a negative figure stays a number.
    exports.check_no_identifiers(frame)
    frame = exports.neutralise_formulas(frame)
    out = pd.DataFrame(
        {
            "kpi_id": frame["kpi_id"],
            "force": frame["force"],
            "month": pd.to_datetime(frame["month"]).dt.strftime("%Y-%m-%d"),
            "offence_group": frame["offence_group"],
            "age_band": frame["age_band"],
            "gender": frame["gender"],
            **{c: frame[c].map(exports.figure_text) for c in ("numerator", "denominator", "value")},
            "complete": frame["complete"].map(lambda b: "true" if b else "false"),
            "suppressed": frame["suppressed"].map(lambda b: "true" if b else "false"),
        }
    )
    return out.to_csv(index=False, lineterminator="\n")


def _flight_deck_ids() -> list[str]:
    """The KPIs a peer export carries: the flight deck's 21, not the supplementary measures."""
    return [k.id for k in catalogue.catalogue()]


def _feasibility(con, force: str) -> list[dict]:
    rows = con.execute(
        "SELECT kpi_id, flag, reason FROM kpi_feasibility "
        "WHERE force = ? AND list_contains(?, kpi_id) ORDER BY kpi_id",
        [force, _flight_deck_ids()],
    ).df()
    return rows.to_dict("records")


def _meta(con, force: str, results: pd.DataFrame, safe: pd.DataFrame, text: str, rule) -> dict:
    as_of = con.execute("SELECT as_of FROM force_as_of WHERE force = ?", [force]).fetchone()
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "force": force,
        "force_name": load_reference().force_name(force),
        "as_of": str(as_of[0]) if as_of else str(pd.to_datetime(results["month"]).max().date()),
        "product_version": importlib.metadata.version("flightdeck"),
        "exported_at": dt.datetime.now().isoformat(timespec="seconds"),
        "suppression": {
            "count_max": rule.count_max,
            "min_denominator": rule.min_denominator,
            "rate_numerators_and_complements": True,  # rates with 1..N counted or not counted
            "secondary": True,
            "linked_kpis": [list(g) for g in rule.linked],
            "description": rule.describe(),
        },
        "rows": len(safe),
        "rows_suppressed": int(safe["suppressed"].sum()),
        "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
        "columns": RESULT_COLUMNS + ["suppressed"],
        "feasibility": _feasibility(con, force),
    }


def export_results(
    con: duckdb.DuckDBPyConnection,
    force: str,
    out: Path,
    *,
    user: access.User,
    rule: SuppressionRule | None = None,
) -> ExportSummary:
    """Write the force's own results of the 21 KPIs, suppressed, to `out` and
    `<out>.meta.json`; the supplementary measures (S01..S06) stay out.

    Raises ValueError when the force has no results computed from its own case data here.
    """
    out = Path(out)
    rule = rule or SuppressionRule.from_settings()
    detail = f"results of {force} to {out.name} ({rule.describe()})"
    action = guard.begin(con, user, "export_results", access.EXPORT, detail)
    results = con.execute(
        f"SELECT {', '.join(RESULT_COLUMNS)} FROM kpi_results "
        f"WHERE force = ? AND list_contains(?, kpi_id) ORDER BY {', '.join(RESULT_KEY)}",
        [force, _flight_deck_ids()],
    ).df()
    if results.empty:
        action.refuse("no own results")
        raise ValueError(f"{force} has no KPI results computed from its own case data here")
    kinds = catalogue.kinds()
    safe = suppress(results, rule, kinds)
    # The suppression is the whole point of the export: check it once more before writing.
    if len(violations(safe, rule, kinds)):
        action.refuse("a figure breaks the suppression rule")
        raise RuntimeError("suppression left a small number published; nothing was written")
    text = _to_csv_text(safe)
    meta = _meta(con, force, results, safe, text, rule)
    meta_path = meta_path_for(out)
    files.write_atomically(out, text)
    files.write_atomically(meta_path, json.dumps(meta, indent=2) + "\n")
    suppressed = meta["rows_suppressed"]
    action.ok(f"{len(safe)} rows")
    message = (
        f"Wrote {len(safe):,} result rows for {force} to {out} ({suppressed:,} suppressed) "
        f"and the side file {meta_path.name}."
    )
    return ExportSummary(out, meta_path, len(safe), suppressed, message)
