"""Small-number disclosure control for exported KPI results (pure functions, no database).

What is protected, and how:

* **Primary suppression.** A count KPI whose count is from 1 to `count_max` (default 4), and a
  rate or median KPI whose denominator (for a median: the number of crimes, n) is below
  `min_denominator` (default 10), is suppressed: its numerator, denominator and value are
  blanked and the row is marked `suppressed`. The denominator goes too, because a rate's
  denominator is itself a count of crimes and may be as small as 1.
* **Secondary (complementary) suppression.** Every KPI is broken down by age band, by gender and
  by age band x gender, and the parts add up to their total (each crime is in exactly one age
  band and one gender; a missing row means zero). A single suppressed part could therefore be
  recovered as "total minus the published parts". For every such line (total = sum of parts)
  the rule is: either nothing is suppressed, or at least two members are, and the suppressed
  parts must not be pinned down by their known sum (all ones, or for a rate all numerators 0
  or all equal to their denominators). The smallest further part is suppressed until that
  holds; when all parts are suppressed and the line is still exposed, the total goes too.
* **Linked KPIs.** Some KPIs count exactly the same crimes in their denominators (K01's count is
  the denominator of K07, K16 and K17: the crimes recorded in the month). If they were
  suppressed independently, one KPI could publish the very cell another hid. KPIs in one
  entry of `LINKED_POPULATIONS` therefore share one suppression pattern per force and month.

Not protected: differences between two exports of the same force taken at different dates
(revised months), and bounds (rather than exact values) derived from the published margins.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd

from flightdeck import settings
from flightdeck.vocabulary import ALL, RESULT_COLUMNS

# KPIs whose denominators (for K01: its count) are the same crimes. Update this together with
# the KPI definitions: K01/K07/K16/K17 = crimes recorded in the month; K08/K13 = crimes recorded
# in the month with a named suspect; K02/K03/K04 = crimes given an outcome in the month.
LINKED_POPULATIONS: tuple[tuple[str, ...], ...] = (
    ("K01", "K07", "K16", "K17"),
    ("K08", "K13"),
    ("K02", "K03", "K04"),
)

Cell = tuple[str, str]  # (age_band, gender)


@dataclass(frozen=True)
class SuppressionRule:
    """Thresholds of the disclosure rule (defaults are the product's settings defaults)."""

    count_max: int = int(settings.SUPPRESS_COUNT_MAX.default)
    min_denominator: int = int(settings.SUPPRESS_MIN_DENOMINATOR.default)
    linked: tuple[tuple[str, ...], ...] = LINKED_POPULATIONS

    @classmethod
    def from_settings(cls) -> "SuppressionRule":
        """The rule in force: FLIGHTDECK_SUPPRESS_COUNT_MAX and _MIN_DENOMINATOR."""
        configured = settings.load_settings()
        return cls(configured.suppress_count_max, configured.suppress_min_denominator)

    def describe(self) -> str:
        return (
            f"counts from 1 to {self.count_max} and rates or medians with a denominator under "
            f"{self.min_denominator} suppressed, with secondary suppression across breakdowns"
        )


def infer_kinds(results: pd.DataFrame) -> dict[str, str]:
    """Each KPI's kind from the results-table convention: a count has no denominator, a median
    has no numerator, a rate has both."""
    kinds: dict[str, str] = {}
    for kpi_id, rows in results.groupby("kpi_id", sort=True):
        if rows["denominator"].isna().all():
            kinds[str(kpi_id)] = "count"
        elif rows["numerator"].isna().all():
            kinds[str(kpi_id)] = "median"
        else:
            kinds[str(kpi_id)] = "rate"
    return kinds


def is_primary(kind: str, numerator: float | None, denominator: float | None, rule) -> bool:
    """True when a single row breaks the small-number rule on its own."""
    if kind == "count":
        return numerator is not None and not pd.isna(numerator) and 1 <= numerator <= rule.count_max
    return (
        denominator is not None and not pd.isna(denominator) and denominator < rule.min_denominator
    )


def _lines(cells: Iterable[Cell]) -> list[tuple[Cell, list[Cell]]]:
    """Every (total, parts) relation among the breakdown cells present."""
    present = set(cells)
    ages = sorted({a for a, g in present if a != ALL})
    genders = sorted({g for a, g in present if g != ALL})
    lines = [
        ((ALL, ALL), [(a, ALL) for a in ages]),
        ((ALL, ALL), [(ALL, g) for g in genders]),
        *(((a, ALL), [(a, g) for g in genders]) for a in ages),
        *(((ALL, g), [(a, g) for a in ages]) for g in genders),
    ]
    return [
        (total, [p for p in parts if p in present])
        for total, parts in lines
        if total in present and any(p in present for p in parts)
    ]


def _exposed(kind: str, rows: Mapping[Cell, tuple], total: Cell, parts, hidden) -> bool:
    """Whether one KPI's line lets a reader pin down a suppressed member."""
    members = [c for c in [total, *parts] if c in rows]
    hidden_members = [c for c in members if c in hidden]
    if not hidden_members or total in hidden_members and len(hidden_members) >= 2:
        return False
    if total in hidden_members or len(hidden_members) == 1:
        return True
    numerators = [rows[c][0] for c in hidden_members]
    denominators = [rows[c][1] for c in hidden_members]
    sizes = numerators if kind == "count" else denominators
    if sum(sizes) <= len(hidden_members):  # each existing row is at least 1: all ones
        return True
    if kind == "rate":
        known = sum(numerators)
        return known == 0 or known == sum(denominators)
    return False


def _pattern(tables: Mapping[str, tuple[str, Mapping[Cell, tuple]]], rule) -> set[Cell]:
    """The shared set of suppressed cells for the KPIs of one force, month and population."""
    hidden = {
        cell
        for kind, rows in tables.values()
        for cell, (num, den) in rows.items()
        if is_primary(kind, num, den, rule)
    }
    if not hidden:
        return hidden
    sizes: dict[Cell, float] = {}
    for kind, rows in tables.values():
        for cell, (num, den) in rows.items():
            size = num if kind == "count" else den
            sizes[cell] = max(sizes.get(cell, 0), 0 if pd.isna(size) else size)
    lines = _lines(sizes)
    changed = True
    while changed:
        changed = False
        for total, parts in lines:
            if not any(
                _exposed(kind, rows, total, parts, hidden) for kind, rows in tables.values()
            ):
                continue
            candidates = sorted((sizes[p], p) for p in parts if p not in hidden)
            if candidates:
                hidden.add(candidates[0][1])
            elif total not in hidden and _count_exposed(tables, total, parts, hidden):
                hidden.add(total)
            else:
                continue  # only the published total itself tells; nothing left to hide
            changed = True
    return hidden


def _count_exposed(tables, total: Cell, parts, hidden) -> bool:
    """With every part hidden, whether the counts (not just the numerators) are exposed."""
    return any(
        _exposed("count" if kind == "count" else "median", rows, total, parts, hidden)
        for kind, rows in tables.values()
    )


def _population_of(kpi_id: str, linked: Iterable[tuple[str, ...]]) -> str:
    for group in linked:
        if kpi_id in group:
            return "+".join(group)
    return kpi_id


def suppress(
    results: pd.DataFrame,
    rule: SuppressionRule,
    kinds: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """The results with the rule applied: the catalogue columns in order plus `suppressed`.

    Suppressed rows keep their keys and `complete` flag; numerator, denominator and value are
    blank. Nothing in the returned frame is derived from fewer crimes than the rule allows.
    `kinds` maps kpi_id to count, rate or median (inferred from the rows when not given).
    """
    frame = results[RESULT_COLUMNS].copy().reset_index(drop=True)
    kinds = {**infer_kinds(frame), **(kinds or {})}
    frame["suppressed"] = False
    if frame.empty:
        return frame
    frame["_population"] = [_population_of(k, rule.linked) for k in frame["kpi_id"]]
    hidden_index: list[int] = []
    for _, group in frame.groupby(["force", "month", "_population"], sort=False):
        tables = {
            kpi_id: (
                kinds[kpi_id],
                {(r.age_band, r.gender): (r.numerator, r.denominator) for r in rows.itertuples()},
            )
            for kpi_id, rows in group.groupby("kpi_id", sort=False)
        }
        pattern = _pattern(tables, rule)
        if pattern:
            cells = list(zip(group["age_band"], group["gender"], strict=True))
            hidden_index.extend(i for i, c in zip(group.index, cells, strict=True) if c in pattern)
    frame.loc[hidden_index, ["numerator", "denominator", "value"]] = float("nan")
    frame.loc[hidden_index, "suppressed"] = True
    return frame.drop(columns="_population")


def violations(frame: pd.DataFrame, rule: SuppressionRule, kinds: Mapping[str, str]) -> pd.Index:
    """Index of published (not suppressed) rows that break the primary rule."""
    published = frame[~frame.get("suppressed", pd.Series(False, index=frame.index)).astype(bool)]
    bad = [
        i
        for i, r in zip(published.index, published.itertuples(), strict=True)
        if is_primary(kinds.get(r.kpi_id, "rate"), r.numerator, r.denominator, rule)
    ]
    return pd.Index(bad)
