"""Figures in words, as a board member reads them: values with their units, signed changes,
counts with their nouns, axis titles, month labels.
"""

import math

import pandas as pd

# Said on every page and every printed page while a synthetic demo force is shown.
SYNTHETIC_BANNER = "Synthetic demo data: fictional forces, not real cases."


def is_fraction(unit: str) -> bool:
    return unit in {"fraction", "rate", "share", "%"}


def format_value(value: float | None, unit: str) -> str:
    """A value as a board member reads it: 41.2%, 87 days, 312 crimes, 5.4 cases per FTE."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    if is_fraction(unit):
        return f"{value:.1%}"
    if unit == "days":
        return f"{value:,.0f} days" if value != 1 else "1 day"
    if float(value).is_integer():
        return f"{value:,.0f} {_unit_for(value, unit)}".strip()
    return f"{value:,.1f} {unit}".strip()


def _unit_for(n: float, unit: str) -> str:
    """A plain plural unit (crimes, suspects) in the singular for exactly one."""
    return unit.removesuffix("s") if abs(n) == 1 and " " not in unit else unit


def format_change(change: float, unit: str) -> str:
    """A signed change: +2.1 pts for fractions (percentage points), +12 days, -3 crimes."""
    if is_fraction(unit):
        return f"{change * 100:+.1f} pts"
    if unit == "days" and abs(change) == 1:
        return f"{change:+,.0f} day"
    if float(change).is_integer():
        return f"{change:+,.0f}" + (f" {_unit_for(change, unit)}" if unit else "")
    return f"{change:+,.1f}" + (f" {unit}" if unit else "")


def direction_words(direction: str) -> str:
    return {
        "up": "Higher is better",
        "down": "Lower is better",
    }.get(direction, "Neither higher nor lower is better: context")


def counted(n: float, noun: str = "crimes") -> str:
    """A count with its noun, singular for one: "1 crime", "40 crimes", "2.5 investigators"."""
    shown = f"{n:,.0f}" if float(n).is_integer() else f"{n:,.1f}"
    return f"{shown} {noun.removesuffix('s') if n == 1 else noun}"


def axis_title(unit: str, noun: str = "crimes") -> str:
    """The value axis in words with its unit: "% of crimes", "Days (median)", "Crimes"."""
    if is_fraction(unit):
        return f"% of {noun}"
    return {
        "days": "Days (median)",
        "cases per FTE": "Open cases per investigator",
    }.get(unit, unit.capitalize())


# What places a crime (or a count) in a month, by the words of a KPI's `basis`, most specific
# first: the first fragment found in the basis gives the month axis its title.
_MONTH_AXIS = (
    ("charge", "Month of charge"),
    ("outcome", "Month of outcome"),
    ("snapshot", "Month end"),
    ("first contact", "Month of first contact"),
    ("cps decision", "Month of CPS decision"),
    ("cps referral", "Month of referral"),
    ("civil order", "Month of application"),
    ("device seized", "Month seized"),
    ("recorded", "Month recorded"),
    ("workforce", "Month"),
)


def month_axis_title(basis: str) -> str:
    """The month axis in words for a KPI's basis: what puts a crime in a month.

    "median by charge event date" -> "Month of charge", "outcome-based" -> "Month of outcome",
    "snapshot at month end" -> "Month end", "cohort of crimes recorded in the month" -> "Month
    recorded"; a basis not recognised (or workforce) -> "Month".
    """
    words = basis.lower()
    return next((title for fragment, title in _MONTH_AXIS if fragment in words), "Month")


def axis_format(unit: str) -> dict:
    return {"tickformat": ".0%"} if is_fraction(unit) else {"tickformat": ",~r"}


def hover_value(unit: str) -> str:
    return "%{y:.1%}" if is_fraction(unit) else "%{y:,.1f}"


def month_label(month: pd.Timestamp) -> str:
    """A month as "Jun 2025"."""
    return pd.Timestamp(month).strftime("%b %Y")


_ACRONYMS = {"isva": "ISVA", "vcop": "Victims' Code", "s63g": "s63G", "cps": "CPS", "id": "ID"}


def column_words(column: str) -> str:
    """A contract column in words: isva_referral_date -> "ISVA referral date"."""
    return " ".join(_ACRONYMS.get(w, w) for w in column.split("_"))


def plain_reason(reason: str) -> str:
    """Why a KPI cannot be computed, for a reader who does not know the column names:
    "isva_referral_date not recorded (absent or entirely blank)" becomes "the force's extract
    does not record the ISVA referral date (isva_referral_date)". Other reasons are kept."""
    head, sep, _ = reason.partition(" not recorded")
    if not sep or " " in head.replace(", ", ","):
        return reason
    columns = [c.strip() for c in head.split(",")]
    words = " or the ".join(column_words(c) for c in columns)
    return f"the force's extract does not record the {words} ({', '.join(columns)})"
