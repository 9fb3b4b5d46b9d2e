"""The profile's tables with the disclosure rule applied (`disclosure.hide_small`), each with the
totals its counts add up to, so a hidden count cannot be had back by subtraction.

The same crimes appear in several tables (the period's crimes are the volumes' total, the
pyramid's total and the sum of the months), so a cell hidden in one is hidden in the others:
the functions take the cells already hidden elsewhere. Margins and totals used here only to
protect cells (the pyramid's, the sum of the months) are summed from the published counts.
"""

import pandas as pd

from flightdeck.peers.suppression import SuppressionRule
from flightdeck.profile.disclosure import column_lines, hide_small, row_lines
from flightdeck.vocabulary import ALL, OTHER_SEXUAL, RAPE

PERIODS = ["current", "previous"]
TOTAL = "total"  # the label of a protecting total row


def volumes(
    by_group: pd.DataFrame, by_code: pd.DataFrame, rule: SuppressionRule, *, all_hidden=False
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Volumes by group and by code, with All = rape + other_sexual and each group = its codes,
    in both periods. `all_hidden`: the current All count is hidden elsewhere."""
    groups = by_group.set_index("offence_group", drop=False)
    codes = by_code.set_index("offence_code", drop=False)
    frame = pd.concat([groups[PERIODS], codes[PERIODS]])
    lines = {ALL: [RAPE, OTHER_SEXUAL]}
    for group in (RAPE, OTHER_SEXUAL):
        lines[group] = list(codes.index[codes["offence_group"] == group])
    hidden = [(ALL, "current")] if all_hidden else []
    safe = hide_small(frame, PERIODS, rule, lines=column_lines(lines, PERIODS), hidden=hidden)
    flags = [f"{c}_hidden" for c in PERIODS]
    out_groups = groups.drop(columns=PERIODS).join(safe.loc[groups.index, PERIODS + flags])
    out_codes = codes.drop(columns=PERIODS).join(safe.loc[codes.index, PERIODS + flags])
    return out_groups.reset_index(drop=True), out_codes[[*by_code.columns, *flags]].reset_index(
        drop=True
    )


def monthly(
    table: pd.DataFrame, by_month: pd.DataFrame, rule: SuppressionRule, *, total_hidden=False
) -> tuple[pd.DataFrame, pd.DataFrame, pd.Series]:
    """The cohort table and the ethnicity completeness by month, protected together (they
    publish the same monthly crimes): crimes = charged + other_outcome + open on each month,
    recorded beside its complement (not recorded), and the period's crimes and recorded as
    the sums of the months. Returns both tables and the protected total row."""
    months = table.set_index("month").join(by_month.set_index("month")[["recorded", "share"]])
    months = months.rename(columns={"share": "recorded_share"})
    counts = ["crimes", "charged", "other_outcome", "open", "recorded"]
    total = months[counts].sum().to_frame(TOTAL).T
    # the total row protects counts only; its shares are the SQL's (ethnicity.Ethnicity.share)
    frame = pd.concat([months, total])
    month_rows = list(months.index)
    lines = row_lines(month_rows, "crimes", ["charged", "other_outcome", "open"])
    lines += column_lines({TOTAL: month_rows}, ["crimes", "recorded"])
    safe = hide_small(
        frame,
        counts,
        rule,
        lines=lines,
        complements={"not_recorded": ("crimes", "recorded")},
        shares={
            "charged_share": ["charged", "crimes"],
            "outcome_share": ["charged", "other_outcome", "crimes"],
            "open_share": ["open", "crimes"],
            "recorded_share": ["recorded", "crimes"],
        },
        hidden=[(TOTAL, "crimes")] if total_hidden else [],
    )
    safe_months = safe.loc[month_rows].rename_axis("month").reset_index()
    cohort_columns = [*table.columns]
    flags = [f"{c}_hidden" for c in cohort_columns[1:] if f"{c}_hidden" in safe.columns]
    cohort = safe_months[cohort_columns + flags]
    ethnicity = safe_months[["month", "crimes", "recorded", "recorded_share"]].rename(
        columns={"recorded_share": "share"}
    )
    ethnicity[["crimes_hidden", "recorded_hidden", "share_hidden"]] = safe_months[
        ["crimes_hidden", "recorded_hidden", "recorded_share_hidden"]
    ]
    return cohort, ethnicity, safe.loc[TOTAL]


def pyramid(frame: pd.DataFrame, rule: SuppressionRule, *, total_hidden=False) -> pd.DataFrame:
    """The pyramid's cells, protected with its row and column margins and its total taken as
    published (the total is the period's crimes; a page may well show the margins)."""
    cells = frame.set_index(["age_band", "gender"])["crimes"]
    label = {key: f"{key[0]}|{key[1]}" for key in cells.index}
    bands = list(dict.fromkeys(a for a, _ in cells.index))
    genders = list(dict.fromkeys(g for _, g in cells.index))
    rows = {label[k]: v for k, v in cells.items()}
    rows |= {f"{a}|{ALL}": cells.xs(a, level=0).sum() for a in bands}
    rows |= {f"{ALL}|{g}": cells.xs(g, level=1).sum() for g in genders}
    rows[f"{ALL}|{ALL}"] = cells.sum()
    table = pd.DataFrame({"crimes": pd.Series(rows)})
    lines = {f"{a}|{ALL}": [f"{a}|{g}" for g in genders] for a in bands}
    lines |= {f"{ALL}|{g}": [f"{a}|{g}" for a in bands] for g in genders}
    margins = column_lines(lines, ["crimes"])
    margins += column_lines({f"{ALL}|{ALL}": [f"{a}|{ALL}" for a in bands]}, ["crimes"])
    margins += column_lines({f"{ALL}|{ALL}": [f"{ALL}|{g}" for g in genders]}, ["crimes"])
    hidden = [(f"{ALL}|{ALL}", "crimes")] if total_hidden else []
    safe = hide_small(table, ["crimes"], rule, lines=margins, hidden=hidden)
    picked = safe.loc[[label[k] for k in cells.index]]
    out = frame[["age_band", "gender"]].copy()
    out["crimes"] = picked["crimes"].tolist()
    out["crimes_hidden"] = picked["crimes_hidden"].tolist()
    return out


def non_recent(frame: pd.DataFrame, rule: SuppressionRule, hidden_groups=()) -> pd.DataFrame:
    """Non-recent offences: All = rape + other_sexual in each column; the recent and the
    undated (worked out by subtraction) are protected too. `hidden_groups`: groups whose
    crimes are hidden in the volumes."""
    counts = ["crimes", "offence_date_known", "non_recent"]
    table = frame.set_index("offence_group", drop=False)
    safe = hide_small(
        table,
        counts,
        rule,
        lines=column_lines({ALL: [RAPE, OTHER_SEXUAL]}, counts),
        complements={
            "recent": ("offence_date_known", "non_recent"),
            "undated": ("crimes", "offence_date_known"),
        },
        hidden=[(g, "crimes") for g in hidden_groups],
    )
    return safe.reset_index(drop=True)


def cohort_curves(frame: pd.DataFrame, rule: SuppressionRule) -> pd.DataFrame:
    """Cohort curves: followed = any_outcome + open on each row; those not yet followed and the
    outcomes other than a charge (worked out by subtraction) are protected too."""
    counts = ["crimes", "followed", "charged", "any_outcome", "open"]
    safe = hide_small(
        frame.reset_index(drop=True),
        counts,
        rule,
        lines=row_lines(range(len(frame)), "followed", ["any_outcome", "open"]),
        complements={
            "not_followed": ("crimes", "followed"),
            "other_outcome": ("any_outcome", "charged"),
        },
        shares={
            "charged_share": ["charged", "followed"],
            "outcome_share": ["any_outcome", "followed"],
            "open_share": ["open", "followed"],
        },
    )
    return safe


def ethnicity_breakdown(
    frame: pd.DataFrame, recorded: int, rule: SuppressionRule, *, recorded_hidden=False
) -> pd.DataFrame:
    """The breakdown by ethnicity, its parts adding up to the period's recorded count."""
    table = pd.concat(
        [frame.set_index("ethnicity")[["crimes"]], pd.DataFrame({"crimes": [recorded]}, [TOTAL])]
    )
    parts = list(frame["ethnicity"])
    safe = hide_small(
        table,
        ["crimes"],
        rule,
        lines=column_lines({TOTAL: parts}, ["crimes"]),
        hidden=[(TOTAL, "crimes")] if recorded_hidden else [],
    )
    return safe.loc[parts].rename_axis("ethnicity").reset_index()


def scalars(values: dict[str, int], rule: SuppressionRule, complements=None, hidden=()) -> dict:
    """Single counts (repeat victims, repeat suspects): each small one is None."""
    names = list(values)
    safe = hide_small(
        pd.DataFrame([values]),
        names,
        rule,
        complements=complements,
        hidden=[(0, name) for name in hidden],
    )
    return {name: safe.at[0, name] for name in names}
