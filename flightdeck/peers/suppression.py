"""Small-number disclosure control for KPI results that leave the force (pure functions, no
database). Every such figure goes through `suppress`: the peer export (`peers.export`) and the
board pack (`present.board_pack`); an imported peer file is checked with the same `is_primary`.

The rule, with N = `count_max` (default 4) and M = `min_denominator` (default 10):

* **Primary.** A row is suppressed on its own when it is a count KPI whose count is from 1 to
  N; a rate KPI whose denominator is under M, or whose numerator, or denominator minus
  numerator, is from 1 to N ("1 of 19 crimes" and "18 of 19" each single out one crime); a
  median KPI on fewer than M crimes (n). Zero is not small, as in the usual UK practice (ONS,
  NHS Digital: suppress 1 to N, keep 0): a numerator of 0 is published, and so is a numerator
  equal to its denominator ("all 12 were charged", a complement of 0, which says no more about
  each crime than "none of 12 was not charged"). A figure that is not whole (investigators as
  FTE) is small when above 0 and at most N. A suppressed row keeps its keys and `complete`;
  its numerator, denominator and value are blanked and it is marked `suppressed`.
* **Secondary (complementary).** KPIs are broken down by age band, gender and both, each for
  all RASSO crimes and for each offence group, and parts add up to their total (a missing row
  means zero): within an offence group, the age bands or genders of a cell add up to it; across
  groups, at every age band and gender cell, `All` = `rape` + `other_sexual`. So one hidden part
  could be recovered as "total minus the published parts" (a hidden rape cell as All minus
  other_sexual), a numerator as a denominator. On every line (a total and its parts), for every
  KPI, either nothing is hidden or at least two members are, and their known sum does not pin
  them down (counts or denominators all ones; rate numerators all 0 or all equal to their
  denominators, which are taken as known); nor does any hidden figure follow from several
  lines taken together (solved as linear equations). The part with the smallest count or
  denominator is hidden next; when every part is hidden and the counts are still exposed, the
  total goes too. A published "0 of 14" or "14 of 14" says of every part what it says of the
  total; zero not being small, such a total stays published.
* **Linked KPIs** count the same crimes (`LINKED_POPULATIONS`: K01's count is the denominator
  of K07, K16 and K17). A cell whose population is small (a count from 1 to N, or a rate or
  median on fewer than M crimes), or that is hidden to protect one, is hidden in every KPI of
  the population, so no KPI publishes a count another hid. A cell hidden only for its
  numerator (K07: 3 of 40) is hidden in that KPI alone: K01 still publishes the 40, which is
  not small and does not give the numerator back.

Board packs of one group each suppress every group's headlines together. Not protected:
differences between exports of different dates (revised months), and ranges (not exact values)
derived for a hidden cell, even a range of one value that several lines' bounds together make.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from flightdeck import settings
from flightdeck.vocabulary import ALL, RESULT_COLUMNS, RESULT_KEY

# KPIs whose counted crimes are the same. Update this together with the KPI definitions:
# K01/K07/K16/K17 = crimes recorded in the month; K08/K13 = crimes recorded in the month with a
# named suspect; K02/K03/K04 = crimes given an outcome in the month; K06/K21 = crimes open at
# month end.
LINKED_POPULATIONS: tuple[tuple[str, ...], ...] = (
    ("K01", "K07", "K16", "K17"),
    ("K08", "K13"),
    ("K02", "K03", "K04"),
    ("K06", "K21"),
)
# Rate KPIs whose numerator, not denominator, counts their population (K21: open crimes per
# investigator). A count KPI's count always does.
POPULATION_NUMERATORS = frozenset({"K21"})

Cell = tuple[str, str, str]  # (offence_group, age_band, gender)
Rows = Mapping[Cell, tuple]  # cell -> (numerator, denominator) of one KPI


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
        """The rule in one sentence, for side files, audit details and board packs."""
        n, m = self.count_max, self.min_denominator
        return (
            f"counts from 1 to {n}, rates whose numerator or denominator minus numerator is "
            f"from 1 to {n}, and rates or medians on fewer than {m} crimes suppressed, with "
            "secondary suppression across breakdowns and linked KPIs"
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


def _given(figure: float | None) -> bool:
    return figure is not None and not pd.isna(figure)


def is_small(figure: float | None, rule: SuppressionRule) -> bool:
    """True for a count from 1 to `count_max` (a figure that is not whole: above 0 and at most
    `count_max`); never for 0 or a blank."""
    return _given(figure) and 0 < figure <= rule.count_max


def is_primary(
    kind: str, numerator: float | None, denominator: float | None, rule: SuppressionRule
) -> bool:
    """True when a single row breaks the small-number rule on its own: a count from 1 to N; a
    rate or median on fewer than M crimes; a rate whose numerator, or denominator minus
    numerator, is from 1 to N. The one test used on export, in board packs and on import."""
    if kind == "count":
        return is_small(numerator, rule)
    if _given(denominator) and denominator < rule.min_denominator:
        return True
    if kind == "median":
        return False
    complement = denominator - numerator if _given(numerator) and _given(denominator) else None
    return is_small(numerator, rule) or is_small(complement, rule)


def _lines(cells: Iterable[Cell]) -> list[tuple[Cell, list[Cell]]]:
    """Every (total, parts) relation among the breakdown cells present (none for a KPI with
    force totals only): within each offence group, a cell's age bands or genders add up to it;
    across offence groups, each (age band, gender) cell of `All` is the sum of the groups'."""
    present = set(cells)
    groups = sorted({o for o, _, _ in present if o != ALL})
    ages = sorted({a for _, a, _ in present if a != ALL})
    genders = sorted({g for _, _, g in present if g != ALL})
    lines = [
        line
        for o in (ALL, *groups)
        for line in (
            ((o, ALL, ALL), [(o, a, ALL) for a in ages]),
            ((o, ALL, ALL), [(o, ALL, g) for g in genders]),
            *(((o, a, ALL), [(o, a, g) for g in genders]) for a in ages),
            *(((o, ALL, g), [(o, a, g) for a in ages]) for g in genders),
        )
    ]
    lines += [
        ((ALL, a, g), [(o, a, g) for o in groups]) for a in (ALL, *ages) for g in (ALL, *genders)
    ]
    return [
        (total, [p for p in parts if p in present])
        for total, parts in lines
        if total in present and any(p in present for p in parts)
    ]


def _size(kind: str, figures: tuple) -> float:
    """A row's number of crimes: a count's count, otherwise the denominator."""
    size = figures[0] if kind == "count" else figures[1]
    return float(size) if _given(size) else 0.0


def _exposed(kind: str, rows: Rows, total: Cell, parts: list[Cell], hidden: set[Cell]) -> bool:
    """Whether one KPI's line lets a reader pin down a hidden member."""
    members = [c for c in [total, *parts] if c in rows]
    hidden_members = [c for c in members if c in hidden]
    if not hidden_members or total in hidden_members and len(hidden_members) >= 2:
        return False
    if total in hidden_members or len(hidden_members) == 1:
        return True
    sizes = [_size(kind, rows[c]) for c in hidden_members]
    if sum(sizes) <= len(hidden_members):  # each existing row is at least 1: all ones
        return True
    if kind == "rate":
        known = sum(rows[c][0] for c in hidden_members if _given(rows[c][0]))
        return known == 0 or known == sum(sizes)
    return False


def determined(lines, hidden: set, key=None) -> list:
    """The hidden cells that the lines (each a total and its parts, which add up to it) taken
    together, not one by one, give back exactly; in the order of `sorted(..., key=key)`."""
    unknown = sorted({c for total, parts in lines for c in (total, *parts) if c in hidden}, key=key)
    column = {c: i for i, c in enumerate(unknown)}
    equations = []
    for total, parts in lines:
        row = np.zeros(len(unknown))
        for cell, sign in [(total, 1.0), *((p, -1.0) for p in parts)]:
            if cell in column:
                row[column[cell]] += sign
        if row.any():
            equations.append(row)
    if not equations:
        return []
    _, singular, basis = np.linalg.svd(np.array(equations))
    free = basis[int((singular > 1e-9).sum()) :]  # directions the published figures leave open
    return [c for c in unknown if not (np.abs(free[:, column[c]]) > 1e-9).any()]


def _close(kind: str, rows: Rows, hidden: set[Cell]) -> set[Cell]:
    """`hidden` grown, smallest part first, until no line of this KPI exposes a member and no
    hidden member follows from the lines taken together."""
    hidden, lines = set(hidden), _lines(rows)
    counts_kind = "count" if kind == "count" else "median"  # counts only, not numerators
    while hidden:
        changed = True
        while changed:
            changed = False
            for total, parts in lines:
                if not _exposed(kind, rows, total, parts, hidden):
                    continue
                candidates = sorted((_size(kind, rows[p]), p) for p in parts if p in rows)
                candidates = [c for c in candidates if c[1] not in hidden]
                if candidates:
                    hidden.add(candidates[0][1])
                elif total not in hidden and _exposed(counts_kind, rows, total, parts, hidden):
                    hidden.add(total)
                else:
                    continue  # only the published total itself tells; nothing left to hide
                changed = True
        stuck = determined(lines, hidden)
        if not stuck:
            break
        # The smallest published cell that leaves the first such cell open (else the smallest).
        candidates = [c for _, c in sorted((_size(kind, f), c) for c, f in rows.items())]
        candidates = [c for c in candidates if c not in hidden]
        if not candidates:
            break
        opens = (c for c in candidates if stuck[0] not in determined(lines, hidden | {c}))
        hidden.add(next(opens, candidates[0]))
    return hidden


def _patterns(tables: Mapping[str, tuple[str, Rows]], rule: SuppressionRule) -> dict:
    """kpi_id -> hidden cells, for the KPIs of one force, month and population: the cells that
    protect the shared population, then each KPI's own (its numerators)."""
    population: dict[Cell, tuple] = {}
    small: set[Cell] = set()
    for kpi_id, (kind, rows) in tables.items():
        by_numerator = kind == "count" or kpi_id in POPULATION_NUMERATORS
        for cell, (num, den) in rows.items():
            size = _size("count", (num if by_numerator else den, None))
            population[cell] = (max(size, population.get(cell, (0.0,))[0]), None)
            few = _given(den) and den < rule.min_denominator
            if is_small(num, rule) if by_numerator else few:
                small.add(cell)
    shared = _close("count", population, small)
    return {
        kpi_id: _close(
            kind, rows, shared | {c for c, (n, d) in rows.items() if is_primary(kind, n, d, rule)}
        )
        for kpi_id, (kind, rows) in tables.items()
    }


def suppress(
    results: pd.DataFrame,
    rule: SuppressionRule,
    kinds: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """The results with the rule applied: the catalogue columns in order plus `suppressed`
    (rows without an `offence_group` are taken as `All`). Suppressed rows keep their keys and
    `complete` flag; numerator, denominator and value are blank. No published row breaks the
    primary rule, and no hidden figure equals a line's total minus its published parts.
    `kinds` maps kpi_id to count, rate or median (inferred from the rows when not given)."""
    frame = results.assign(offence_group=results.get("offence_group", ALL))
    frame = frame[RESULT_COLUMNS].copy().reset_index(drop=True)
    kinds = {**infer_kinds(frame), **(kinds or {})}
    linked = {kpi_id: "+".join(group) for group in rule.linked for kpi_id in group}
    # A table per force, month and population; its cells: offence group, age band, gender.
    dimensions = ["offence_group", "age_band", "gender"]
    keys = [c for c in RESULT_KEY if c not in ("kpi_id", *dimensions)]
    fields = [*keys, "kpi_id", *dimensions, "numerator", "denominator"]
    records = list(zip(*(frame[c].tolist() for c in fields), strict=True))
    tables: dict[tuple, dict[str, tuple[str, dict]]] = {}
    for *key, kpi_id, group, age, gender, num, den in records:
        table = tables.setdefault((*key, linked.get(kpi_id, kpi_id)), {})
        table.setdefault(kpi_id, (kinds[kpi_id], {}))[1][(group, age, gender)] = (num, den)
    patterns = {key: _patterns(table, rule) for key, table in tables.items()}
    hidden = [
        (group, age, gender) in patterns[(*key, linked.get(kpi_id, kpi_id))][kpi_id]
        for *key, kpi_id, group, age, gender, _, _ in records
    ]
    frame["suppressed"] = pd.Series(hidden, index=frame.index, dtype=bool)
    frame.loc[frame["suppressed"], ["numerator", "denominator", "value"]] = float("nan")
    return frame


def violations(frame: pd.DataFrame, rule: SuppressionRule, kinds: Mapping[str, str]) -> pd.Index:
    """Index of published (not suppressed) rows that break the primary rule."""
    published = frame[~frame.get("suppressed", pd.Series(False, index=frame.index)).astype(bool)]
    bad = [
        i
        for i, r in zip(published.index, published.itertuples(), strict=True)
        if is_primary(kinds.get(r.kpi_id, "rate"), r.numerator, r.denominator, rule)
    ]
    return pd.Index(bad)
