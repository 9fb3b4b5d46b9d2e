"""Validation of an imported KPI results file and its side file (`<file>.meta.json`).

A results file is accepted only when it is exactly what `export-results` writes: the KPI
results-table columns (plus `suppressed`), one force, known KPIs, offence groups and breakdown
labels, figures
that agree with each other, no published figure that breaks the file's own suppression rule,
and a side file naming the force, as-of date, product version and suppression rule whose
checksum matches the CSV. Anything that looks like case-level data is refused outright.

A file of the older format (version 1, before offence groups) has no `offence_group` column:
it is still accepted, each of its rows taken as `All` (all RASSO crimes, which is what its
figures count), and `ResultsFile.older_format` says so.
"""

import datetime as dt
import hashlib
import io
import json
import math
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from flightdeck import vocabulary
from flightdeck.engine.feasibility import FEASIBLE, NOT_FEASIBLE, PARTIAL
from flightdeck.extracts.columns import CASE_COLUMNS, looks_like_personal_data
from flightdeck.peers.import_report import EXAMPLES_PER_RULE, ImportReport
from flightdeck.peers.suppression import SuppressionRule, is_primary
from flightdeck.vocabulary import ALL, RESULT_COLUMNS, RESULT_KEY

OFFENCE_GROUPS = set(vocabulary.OFFENCE_GROUPS)
AGE_BANDS = {ALL, *vocabulary.AGE_BANDS}
GENDERS = {ALL, *vocabulary.GENDERS}
META_KEYS = ("force", "as_of", "product_version", "suppression", "exported_at", "feasibility")
FEASIBILITY_FLAGS = {FEASIBLE, PARTIAL, NOT_FEASIBLE}
FORMAT = "flightdeck-kpi-results"
# 2: the offence_group column after month. 1 (without it) is still read, every row as All.
FORMAT_VERSION = 2
ACCEPTED_VERSIONS = (1, 2)
OLDER_FORMAT_COLUMNS = [c for c in RESULT_COLUMNS if c != "offence_group"]


@dataclass
class ResultsFile:
    report: ImportReport
    frame: pd.DataFrame | None = None  # typed rows when the report is ok
    meta: dict | None = None
    sha256: str = ""
    older_format: bool = False  # no offence_group column: every row read as All


def meta_path_for(path: Path) -> Path:
    """The side file written next to a results CSV."""
    return path.with_name(path.name + ".meta.json")


def _read_text(path: Path, report: ImportReport) -> str | None:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        report.add("unreadable", f"cannot read the file: {exc.strerror or exc}")
        return None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        report.add("encoding", "the file is not UTF-8 text as export-results writes it")
        return None


def _check_header(columns: list[str], report: ImportReport) -> bool:
    case_level = [c for c in columns if c in CASE_COLUMNS and c not in RESULT_COLUMNS]
    personal = [c for c in columns if looks_like_personal_data(c)]
    if case_level or personal:
        report.add(
            "case_level",
            "this looks like case-level data (columns "
            f"{', '.join(case_level + personal)}); only aggregated KPI results from "
            "export-results can be imported",
        )
        return False
    # The older format, before offence groups, has every column but offence_group.
    expected = RESULT_COLUMNS if "offence_group" in columns else OLDER_FORMAT_COLUMNS
    missing = [c for c in expected if c not in columns]
    extra = [c for c in columns if c not in RESULT_COLUMNS and c != "suppressed"]
    if missing:
        report.add("missing_columns", f"missing columns: {', '.join(missing)}")
    if extra:
        report.add("unknown_columns", f"columns not in the results format: {', '.join(extra)}")
    return not missing and not extra


def _check_meta(meta_path: Path, known_forces: frozenset[str], report: ImportReport):
    if not meta_path.is_file():
        report.add(
            "meta_missing",
            f"the side file {meta_path.name} is missing: it names the force, as-of date and "
            "suppression rule, and must sit next to the CSV",
        )
        return None
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        report.add("meta_invalid", f"{meta_path.name} is not valid JSON: {exc}")
        return None
    if not isinstance(meta, dict):
        report.add("meta_invalid", f"{meta_path.name} is not a JSON object")
        return None
    missing = [k for k in META_KEYS if k not in meta]
    if missing:
        report.add("meta_invalid", f"{meta_path.name} lacks {', '.join(missing)}")
        return None
    if meta.get("format", FORMAT) != FORMAT:
        report.add("meta_invalid", f"{meta_path.name} is not a flight-deck results side file")
    version = meta.get("format_version", 1)
    if version not in ACCEPTED_VERSIONS:
        report.add(
            "meta_invalid",
            f"{meta_path.name} is of results format version {version}; this version reads "
            f"{' and '.join(map(str, ACCEPTED_VERSIONS))}",
            value=str(version),
        )
    if meta["force"] not in known_forces:
        report.add("unknown_force", "the side file names an unknown force", value=meta["force"])
    try:
        dt.date.fromisoformat(str(meta["as_of"]))
    except ValueError:
        report.add("meta_invalid", "as_of is not a YYYY-MM-DD date", value=str(meta["as_of"]))
    rule = meta["suppression"]
    if not (
        isinstance(rule, dict)
        and isinstance(rule.get("count_max"), int)
        and isinstance(rule.get("min_denominator"), int)
    ):
        report.add("meta_invalid", "the suppression rule needs count_max and min_denominator")
    feasibility = meta["feasibility"]
    if not isinstance(feasibility, list) or any(
        not isinstance(f, dict) or f.get("flag") not in FEASIBILITY_FLAGS or "kpi_id" not in f
        for f in feasibility
    ):
        report.add("meta_invalid", "feasibility must list kpi_id and flag for each KPI")
    return meta


def _number(text: str):
    if text == "":
        return None
    value = float(text)
    if not math.isfinite(value) or value < 0:
        raise ValueError
    return value


def _parse_rows(raw: pd.DataFrame, meta: dict, kinds: dict[str, str], report: ImportReport):
    """Typed rows; every problem goes to the report with its line in the file."""
    rule = SuppressionRule(
        count_max=meta["suppression"]["count_max"],
        min_denominator=meta["suppression"]["min_denominator"],
    )
    booleans = {"true": True, "false": False}
    parsed = []
    for i, row in enumerate(raw.to_dict("records")):
        line = i + 2
        problems_before = sum(report.totals.values())
        if row["kpi_id"] not in kinds:
            report.add("unknown_kpi", "not a KPI of the catalogue", line, "kpi_id", row["kpi_id"])
        if row["force"] != meta["force"]:
            report.add(
                "other_force",
                f"the file is for {meta['force']}; every row must be",
                line,
                "force",
                row["force"],
            )
        try:
            month = dt.date.fromisoformat(row["month"])
            if month.day != 1:
                raise ValueError
        except ValueError:
            report.add("month", "not a month's first day (YYYY-MM-01)", line, "month", row["month"])
        group = row.get("offence_group", ALL)  # the older format: every row is All
        if group not in OFFENCE_GROUPS:
            groups = ", ".join(vocabulary.OFFENCE_GROUPS)
            report.add("label", f"not an offence group ({groups})", line, "offence_group", group)
        for column, allowed in (("age_band", AGE_BANDS), ("gender", GENDERS)):
            if row[column] not in allowed:
                report.add("label", f"not a {column} label", line, column, row[column])
        figures = {}
        for column in ("numerator", "denominator", "value"):
            try:
                figures[column] = _number(row[column])
            except ValueError:
                report.add("number", "not a non-negative number", line, column, row[column])
        for column in ("complete", "suppressed"):
            if row.get(column, "false").lower() not in booleans:
                report.add("boolean", "must be true or false", line, column, row[column])
        if sum(report.totals.values()) > problems_before:
            continue
        complete = booleans[row["complete"].lower()]
        suppressed = booleans[row.get("suppressed", "false").lower()]
        _check_figures(
            row["kpi_id"], kinds[row["kpi_id"]], figures, complete, suppressed, rule, line, report
        )
        parsed.append(
            [
                row["kpi_id"],
                row["force"],
                month,
                group,
                row["age_band"],
                row["gender"],
                figures["numerator"],
                figures["denominator"],
                figures["value"],
                complete,
                suppressed,
            ]
        )
    return pd.DataFrame(parsed, columns=RESULT_COLUMNS + ["suppressed"])


def _check_figures(kpi_id, kind, f, complete, suppressed, rule, line, report) -> None:
    num, den, value = f["numerator"], f["denominator"], f["value"]
    if suppressed:
        if any(x is not None for x in (num, den, value)):
            report.add("suppressed_figure", "a suppressed row must have blank figures", line)
        return
    if is_primary(kind, num, den, rule):
        report.add(
            "small_number",
            f"{kpi_id} figure breaks the suppression rule: it should have been suppressed "
            "before export (a file exported by an earlier version may publish small rate "
            "numerators; ask the force for a new export)",
            line,
        )
        return
    if kind == "count":
        ok = num is not None and den is None and (value == num)
    elif kind == "median":
        ok = num is None and den is not None and den >= 1 and (value is not None or not complete)
    else:
        ok = num is not None and den is not None and den > 0
        if ok and complete:
            ok = value is not None and math.isclose(value, num / den, rel_tol=1e-9, abs_tol=1e-12)
        elif ok:
            ok = value is None
    if not ok:
        report.add(
            "inconsistent",
            f"numerator, denominator and value do not fit a {kind} KPI",
            line,
            value=f"{num}/{den}={value}",
        )


def read_results_file(
    path: Path,
    *,
    meta_path: Path | None,
    kinds: dict[str, str],
    known_forces: frozenset[str],
    file_name: str | None = None,
) -> ResultsFile:
    """Read and check a results CSV and its side file; never raises on bad content."""
    report = ImportReport(file_name or path.name)
    text = _read_text(path, report)
    if text is None:
        return ResultsFile(report)
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    try:
        raw = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        report.add("not_csv", f"not a readable CSV file: {str(exc).splitlines()[0]}")
        return ResultsFile(report, sha256=sha)
    raw.columns = [str(c).strip().lower() for c in raw.columns]
    if not _check_header(list(raw.columns), report):
        return ResultsFile(report, sha256=sha)
    older = "offence_group" not in raw.columns
    if raw.empty:
        report.add("empty", "the file has no result rows")
    meta = _check_meta(meta_path or meta_path_for(path), known_forces, report)
    if meta is None or not report.ok:
        return ResultsFile(report, meta=meta, sha256=sha)
    if meta.get("sha256") not in (None, sha):
        report.add(
            "checksum",
            "the CSV differs from the one its side file describes (changed after export?)",
        )
        return ResultsFile(report, meta=meta, sha256=sha)
    frame = _parse_rows(raw.map(str.strip), meta, kinds, report)
    if not report.ok:
        return ResultsFile(report, meta=meta, sha256=sha)
    duplicated = frame.duplicated(list(RESULT_KEY), keep="first")
    for i in frame.index[duplicated][:EXAMPLES_PER_RULE]:
        report.add("duplicate", "the same KPI, month and breakdown appears twice", int(i) + 2)
    return ResultsFile(report, frame if report.ok else None, meta, sha, older)
