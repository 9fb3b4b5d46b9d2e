"""A second, deliberately plain implementation of the suspect lists, in Python.

It is written from the catalogue's words ("Suspect lists"), not from the SQL: it loops over crime
dicts (as given to helpers.store.insert_case_load, all in one load, so each crime's row is its
current version), reads the harm weights and the RFG bands from the shipped files itself, and
gives each list as the rows of the CSV the command writes, as text.
"""

import csv
import datetime as dt
import tomllib

from helpers.paths import ROOT

REFERENCE = ROOT / "data" / "reference"
WINDOW_DAYS = 365  # the window is [E - 364, E]


def harm_weights() -> dict[str, int]:
    with (REFERENCE / "harm_weights.csv").open(newline="", encoding="utf-8") as f:
        return {row["offence_code"]: int(row["weight_days"]) for row in csv.DictReader(f)}


def score_bands() -> dict:
    return tomllib.loads((REFERENCE / "rfg_score.toml").read_text(encoding="utf-8"))


def _date(value) -> dt.date | None:
    if value is None or value == "":
        return None
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def _blank(value) -> bool:
    return value is None or str(value).strip() == ""


def rfg_score(days: int, crimes: int, harm: int, bands: dict) -> float:
    """Recency: the first band (in file order) whose up_to_days is at least the days; frequency
    and gravity: the last band whose threshold is at most the figure; 0 outside every band."""
    recency = next((b["points"] for b in bands["recency"]["bands"] if days <= b["up_to_days"]), 0)
    frequency = 0
    for band in bands["frequency"]["bands"]:
        if crimes >= band["from_crimes"]:
            frequency = band["points"]
    gravity = 0
    for band in bands["gravity"]["bands"]:
        if harm >= band["from_days"]:
            gravity = band["points"]
    return (
        recency * bands["recency"]["weight"]
        + frequency * bands["frequency"]["weight"]
        + gravity * bands["gravity"]["weight"]
    )


def suspects(crimes: list[dict], force: str, month_end: dt.date) -> dict[str, dict]:
    """Every suspect of the force with a crime in the window at `month_end`: their figures."""
    weights = harm_weights()
    bands = score_bands()
    in_scope = [c for c in crimes if c["force"] == force and not c.get("cancelled")]
    records_victims = any(not _blank(c.get("victim_id")) for c in in_scope)
    to_end = [
        c
        for c in in_scope
        if not _blank(c.get("suspect_id")) and _date(c["recorded_date"]) <= month_end
    ]
    start = month_end - dt.timedelta(days=WINDOW_DAYS - 1)
    found = {}
    for suspect in sorted({c["suspect_id"] for c in to_end}):
        history = [c for c in to_end if c["suspect_id"] == suspect]
        window = [c for c in history if _date(c["recorded_date"]) >= start]
        if not window:
            continue
        open_now = [
            c
            for c in history
            if _blank(c.get("outcome_type")) or _date(c["outcome_date"]) > month_end
        ]
        applications = {}
        for c in history:
            if not _blank(c.get("civil_order_type")) and c.get("civil_order_date"):
                key = (c["civil_order_type"], _date(c["civil_order_date"]))
                applications[key] = (
                    c.get("civil_order_outcome"),
                    c.get("civil_order_outcome_date"),
                )
        dated = {key: value for key, value in applications.items() if key[1] <= month_end}
        granted = any(
            outcome == "granted" and _date(when) <= month_end for outcome, when in dated.values()
        )
        bail_breaches = {_date(c.get("bail_breach_date")) for c in history} - {None}
        order_breaches = {_date(c.get("order_breach_date")) for c in history} - {None}
        crimes_n = len(window)
        harm = sum(weights[c["offence_code"]] for c in window)
        last = max(_date(c["recorded_date"]) for c in window)
        victims = {c["victim_id"] for c in window if not _blank(c.get("victim_id"))}
        found[suspect] = {
            "suspect_id": suspect,
            "crimes": crimes_n,
            "harm": harm,
            "victims": len(victims) if records_victims else None,
            "last_recorded": last,
            "open_crimes": len(open_now),
            "on_bail": any(c.get("release_type") == "bail" for c in open_now),
            "civil_order": "granted" if granted else ("applied" if dated else None),
            "ssrp": any(
                c.get("ssrp_referral_date") and _date(c["ssrp_referral_date"]) <= month_end
                for c in history
            ),
            "s63g": any(c.get("s63g_application") is True for c in history),
            "breaches": len({d for d in bail_breaches if d <= month_end})
            + len({d for d in order_breaches if d <= month_end}),
            "score": rfg_score((month_end - last).days, crimes_n, harm, bands),
        }
    return found


def ranked(crimes: list[dict], force: str, month_end: dt.date, which: str) -> list[dict]:
    """The list `which` (frequency, harm, rfg): the first 10, each with its rank."""
    rows = list(suspects(crimes, force, month_end).values())

    def later_first(row) -> int:
        return -row["last_recorded"].toordinal()

    if which == "frequency":
        rows = [r for r in rows if r["crimes"] >= 2]
        rows.sort(key=lambda r: (-r["crimes"], -r["harm"], later_first(r), r["suspect_id"]))
    elif which == "harm":
        rows.sort(key=lambda r: (-r["harm"], -r["crimes"], later_first(r), r["suspect_id"]))
    else:
        rows.sort(
            key=lambda r: (-r["score"], -r["harm"], -r["crimes"], later_first(r), r["suspect_id"])
        )
    return [{"rank": rank, **row} for rank, row in enumerate(rows[:10], start=1)]


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    return "'" + text if text.startswith(("=", "+", "-", "@", "\t", "\r")) else text


def csv_rows(crimes: list[dict], force: str, month_end: dt.date, which: str) -> list[list[str]]:
    """The list as the CSV's rows of text (no handling line, no header), score last for rfg."""
    columns = [
        "rank", "suspect_id", "crimes", "harm", "victims", "last_recorded", "open_crimes",
        "on_bail", "civil_order", "ssrp", "s63g", "breaches",
    ] + (["score"] if which == "rfg" else [])  # fmt: skip
    return [[_text(row[c]) for c in columns] for row in ranked(crimes, force, month_end, which)]
