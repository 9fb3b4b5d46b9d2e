"""A second, deliberately naive implementation of the KPI catalogue, in plain Python.

It is written from the catalogue's words, not from the SQL, and loops over crimes one by one, so
that comparing it with the SQL engine on generated data catches a rule either one gets wrong.
It covers the 21 KPIs and the supplementary measures S01..S06. It is slow; use it on a few
thousand crimes.
"""

import calendar
import csv
import datetime as dt
import statistics
from collections import defaultdict
from functools import cache

from helpers.paths import ROOT

AGE_BANDS = [
    (12, "0-12"),
    (15, "13-15"),
    (17, "16-17"),
    (24, "18-24"),
    (34, "25-34"),
    (44, "35-44"),
    (54, "45-54"),
]
REPEAT_WINDOW_DAYS = 1095
S01_WINDOW_DAYS = 365
COHORT_DAYS = {"K07": 30, "K08": 30, "K16": 7, "K17": 5}
FORCE_LEVEL = {"K14", "K20", "K21"}
REQUIRES = {
    "K01": [],
    "K02": ["outcome_type", "outcome_date"],
    "K03": ["outcome_type", "outcome_date"],
    "K04": ["outcome_type", "outcome_date"],
    "K05": ["outcome_type", "outcome_date"],
    "K06": ["outcome_type", "outcome_date"],
    "K07": ["suspect_id", "suspect_identified_date"],
    "K08": ["suspect_id", "first_contact_date"],
    "K09": ["first_contact_date"],
    "K10": ["suspect_id", "outcome_type", "outcome_date", "cps_referral_date"],
    "K11": ["cps_decision", "cps_decision_date"],
    "K12": ["cps_referral_date", "cps_early_advice_date"],
    "K13": ["suspect_id"],
    "K14": ["civil_order_type", "civil_order_date"],
    "K15": ["first_contact_date", "release_type"],
    "K16": ["isva_referral_date"],
    "K17": ["vcop_assessment_date"],
    "K18": ["device_seized_date", "device_returned_date"],
    "K19": ["first_contact_type", "outcome_type", "outcome_date", "s63g_application"],
    "K20": [],
    "K21": ["outcome_type", "outcome_date"],
    "S01": ["suspect_id"],
    "S02": ["ssrp_referral_date"],
    "S03": ["civil_order_outcome", "civil_order_outcome_date"],
    "S04": ["civil_order_outcome", "civil_order_outcome_date"],
    "S05": ["bail_breach_date"],
    "S06": ["order_breach_date"],
}
# The supplementary counts of distinct suspects by one date of a crime.
SUSPECTS_BY_DATE = {
    "S02": "ssrp_referral_date",
    "S05": "bail_breach_date",
    "S06": "order_breach_date",
}
RATE, COUNT, MEDIAN = "rate", "count", "median"


@cache
def _offence_groups() -> dict[str, str]:
    """Each offence code's group, read straight from the reference list."""
    with (ROOT / "data" / "reference" / "offence_codes.csv").open(encoding="utf-8") as handle:
        return {row["code"]: row["group"] for row in csv.DictReader(handle)}


def offence_group(code: str) -> str:
    return _offence_groups()[code]


def age_band(age) -> str:
    if age is None:
        return "Unknown"
    for upper, label in AGE_BANDS:
        if age <= upper:
            return label
    return "55+"


def month_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_end(month: dt.date) -> dt.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def months_between(first: dt.date, last: dt.date):
    month = month_of(first)
    while month <= last:
        yield month
        month = (month + dt.timedelta(days=32)).replace(day=1)


def is_open_at(crime: dict, end: dt.date) -> bool:
    return crime["recorded_date"] <= end and (
        crime["outcome_type"] is None or crime["outcome_date"] > end
    )


def charge_event_date(crime: dict):
    if crime["outcome_type"] not in ("1", "1A"):
        return None
    return crime["charge_date"] or crime["outcome_date"]


def _events(kpi: str, crimes: list[dict], as_of: dt.date, by_suspect: dict):
    """Yield (month, crime, flag_or_days) for one force's in-scope crimes."""
    for c in crimes:
        rec = c["recorded_date"]
        if kpi == "K01":
            yield month_of(rec), c, None
        elif kpi in ("K02", "K03", "K04") and c["outcome_date"]:
            flag = {
                "K02": c["outcome_type"] in ("1", "1A"),
                "K03": c["outcome_type"] in ("14", "16"),
                "K04": c["outcome_type"] == "15",
            }[kpi]
            yield month_of(c["outcome_date"]), c, flag
        elif kpi == "K05" and charge_event_date(c):
            days = (charge_event_date(c) - rec).days
            if days >= 0:
                yield month_of(charge_event_date(c)), c, days
        elif kpi == "K07":
            s = c["suspect_identified_date"]
            yield month_of(rec), c, s is not None and s <= rec + dt.timedelta(days=30)
        elif kpi == "K08" and c["suspect_id"]:
            f = c["first_contact_date"]
            yield month_of(rec), c, f is not None and f <= rec + dt.timedelta(days=30)
        elif kpi == "K09" and c["first_contact_date"]:
            days = (c["first_contact_date"] - rec).days
            if days >= 0:
                yield month_of(c["first_contact_date"]), c, days
        elif kpi == "K10" and c["suspect_id"] and c["outcome_date"]:
            r = c["cps_referral_date"]
            yield month_of(c["outcome_date"]), c, r is not None and r <= c["outcome_date"]
        elif kpi == "K11" and c["cps_decision"] in ("charge", "nfa") and c["cps_decision_date"]:
            yield month_of(c["cps_decision_date"]), c, c["cps_decision"] == "charge"
        elif kpi == "K12" and c["cps_referral_date"]:
            e = c["cps_early_advice_date"]
            yield month_of(c["cps_referral_date"]), c, e is not None and e <= c["cps_referral_date"]
        elif kpi == "K13" and c["suspect_id"]:
            repeat = any(
                o["crime_id"] != c["crime_id"]
                and 0 <= (rec - o["recorded_date"]).days < REPEAT_WINDOW_DAYS
                for o in by_suspect[c["suspect_id"]]
            )
            yield month_of(rec), c, repeat
        elif kpi == "K15" and c["first_contact_date"] and c["release_type"] in ("bail", "rui"):
            yield month_of(c["first_contact_date"]), c, c["release_type"] == "bail"
        elif kpi in ("K16", "K17"):
            d = c["isva_referral_date" if kpi == "K16" else "vcop_assessment_date"]
            yield month_of(rec), c, d is not None and d <= rec + dt.timedelta(days=COHORT_DAYS[kpi])
        elif kpi == "K18" and c["device_seized_date"]:
            r = c["device_returned_date"]
            yield (
                month_of(c["device_seized_date"]),
                c,
                r is not None and (r - c["device_seized_date"]).days <= 1,
            )
        elif (
            kpi == "K19"
            and c["outcome_date"]
            and c["first_contact_type"] == "arrest"
            and (c["outcome_type"] in ("9", "10", "12", "13", "15", "16", "17", "20", "21"))
        ):
            yield month_of(c["outcome_date"]), c, c["s63g_application"] is True


def _complete(kpi: str, month: dt.date, as_of: dt.date) -> bool:
    if kpi in COHORT_DAYS:
        return month_end(month) + dt.timedelta(days=COHORT_DAYS[kpi]) <= as_of
    if kpi == "K18":
        return month_end(month) + dt.timedelta(days=1) <= as_of
    return True


def _row(kpi, force, month, group, age, gender, kind, items, complete):
    if kind == COUNT:
        n = len(items)
        return (kpi, force, month, group, age, gender, n, None, float(n), True)
    if kind == MEDIAN:
        return (
            kpi,
            force,
            month,
            group,
            age,
            gender,
            None,
            len(items),
            float(statistics.median(items)),
            True,
        )
    num = sum(1 for x in items if x)
    value = num / len(items) if complete else None
    return (kpi, force, month, group, age, gender, num, len(items), value, complete)


def _grouped(kpi, force, kind, events, as_of):
    groups = defaultdict(list)
    for month, c, x in events:
        band = age_band(c["victim_age"])
        gender = c["victim_gender"].capitalize()
        for group in ("All", offence_group(c["offence_code"])):
            for key in (
                (month, group, "All", "All"),
                (month, group, band, "All"),
                (month, group, "All", gender),
                (month, group, band, gender),
            ):
                groups[key].append(x)
    return [
        _row(kpi, force, m, o, a, g, kind, items, _complete(kpi, m, as_of))
        for (m, o, a, g), items in groups.items()
    ]


def _force_total(kpi, force, month, numerator, denominator=None) -> tuple:
    value = float(numerator) if denominator is None else numerator / denominator
    return (kpi, force, month, "All", "All", "All", numerator, denominator, value, True)


def repeat_suspects_at(crimes: list[dict], end: dt.date) -> int:
    """S01 at month end `end`: suspects with 2 or more crimes recorded in the 365 days ending at
    `end`, that day included."""
    crimes_of = defaultdict(int)
    for c in crimes:
        if c["suspect_id"] and 0 <= (end - c["recorded_date"]).days < S01_WINDOW_DAYS:
            crimes_of[c["suspect_id"]] += 1
    return sum(1 for n in crimes_of.values() if n >= 2)


def applications(crimes: list[dict]) -> dict[tuple, dict]:
    """Each civil order application (suspect, order type, application date) and the crime whose
    outcome it takes: that of the newest load (highest load_id), then the lowest crime_id."""
    found = {}
    for c in sorted(crimes, key=lambda c: (-c["load_id"], c["crime_id"])):
        if c["suspect_id"] and c["civil_order_type"] and c["civil_order_date"]:
            found.setdefault((c["suspect_id"], c["civil_order_type"], c["civil_order_date"]), c)
    return found


def supplementary(kpi: str, force: str, crimes: list[dict], as_of: dt.date) -> list[tuple]:
    """The rows of one supplementary measure (S01..S06) for one force: force totals only."""
    if kpi == "S01":
        first = min(c["recorded_date"] for c in crimes)
        ends = [month_end(m) for m in months_between(first, as_of) if month_end(m) <= as_of]
        counted = [(month_of(e), repeat_suspects_at(crimes, e)) for e in ends]
        return [_force_total(kpi, force, m, n) for m, n in counted if n]
    if kpi in SUSPECTS_BY_DATE:
        dated = [(c[SUSPECTS_BY_DATE[kpi]], c["suspect_id"]) for c in crimes]
    else:
        decided = [
            (a["civil_order_outcome_date"], a["civil_order_outcome"], key)
            for key, a in applications(crimes).items()
            if a["civil_order_outcome"] in ("granted", "refused")
        ]
        if kpi == "S04":
            by_month = defaultdict(list)
            for day, outcome, _ in decided:
                by_month[month_of(day)].append(outcome == "granted")
            return [_force_total(kpi, force, m, sum(x), len(x)) for m, x in by_month.items()]
        dated = [(day, key[0]) for day, outcome, key in decided if outcome == "granted"]
    suspects = defaultdict(set)
    for day, suspect in dated:
        if day and suspect:
            suspects[month_of(day)].add(suspect)
    return [_force_total(kpi, force, m, len(s)) for m, s in suspects.items()]


def feasible(kpi: str, crimes: list[dict], has_workforce: bool) -> bool:
    if kpi in ("K20", "K21") and not has_workforce:
        return False
    return all(any(c[col] is not None for c in crimes) for col in REQUIRES[kpi])


def compute(
    crimes_by_force: dict[str, list[dict]],
    as_of: dict[str, dt.date],
    workforce: dict[str, dict[dt.date, tuple[float, float]]],
) -> list[tuple]:
    """All KPI rows for in-scope crimes: (kpi_id, force, month, offence_group, age_band, gender,
    numerator, denominator, value, complete), sorted as the results table is."""
    rows = []
    for force, crimes in crimes_by_force.items():
        by_suspect = defaultdict(list)
        for c in crimes:
            if c["suspect_id"]:
                by_suspect[c["suspect_id"]].append(c)
        staff = workforce.get(force, {})
        for kpi in REQUIRES:
            if not feasible(kpi, crimes, bool(staff)):
                continue
            if kpi.startswith("S"):
                rows += supplementary(kpi, force, crimes, as_of[force])
            elif kpi in ("K01",):
                rows += _grouped(
                    kpi, force, COUNT, _events(kpi, crimes, as_of[force], by_suspect), as_of[force]
                )
            elif kpi in ("K05", "K09"):
                rows += _grouped(
                    kpi, force, MEDIAN, _events(kpi, crimes, as_of[force], by_suspect), as_of[force]
                )
            elif kpi == "K06":
                first = min(c["recorded_date"] for c in crimes)
                events = []
                for month in months_between(first, as_of[force]):
                    end = month_end(month)
                    if end > as_of[force]:
                        break
                    events += [
                        (month, c, (end - c["recorded_date"]).days > 365)
                        for c in crimes
                        if is_open_at(c, end)
                    ]
                rows += _grouped(kpi, force, RATE, events, as_of[force])
            elif kpi == "K14":
                suspects = defaultdict(set)
                for c in crimes:
                    if c["civil_order_type"] and c["civil_order_date"]:
                        suspects[month_of(c["civil_order_date"])].add(c["suspect_id"])
                rows += [
                    (kpi, force, m, "All", "All", "All", len(s), None, float(len(s)), True)
                    for m, s in suspects.items()
                ]
            elif kpi == "K20":
                rows += [
                    (kpi, force, m, "All", "All", "All", trained, fte, trained / fte, True)
                    for m, (fte, trained) in staff.items()
                    if fte >= 1
                ]
            elif kpi == "K21":
                for m, (fte, _) in staff.items():
                    if month_end(m) <= as_of[force] and fte >= 1:
                        n = sum(1 for c in crimes if is_open_at(c, month_end(m)))
                        rows.append((kpi, force, m, "All", "All", "All", n, fte, n / fte, True))
            else:
                rows += _grouped(
                    kpi, force, RATE, _events(kpi, crimes, as_of[force], by_suspect), as_of[force]
                )
    return sorted(rows, key=lambda r: r[:6])
