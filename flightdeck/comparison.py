"""What the compare page shows, worked out from KPI result rows (pure functions, no Streamlit).

Input frames are KPI result rows (the results-table columns plus `suppressed`) for one KPI and
any number of forces. Only complete, unsuppressed rows are used: an incomplete month (its window
has not elapsed) or a suppressed figure is never compared as if it were final.
"""

import pandas as pd

from flightdeck.funnel import wilson_interval

TOTAL = "All"
ROLLING_MONTHS = 12


def usable(results: pd.DataFrame) -> pd.DataFrame:
    """Complete, unsuppressed rows with a figure."""
    suppressed = results.get("suppressed", pd.Series(False, index=results.index))
    keep = results["complete"].astype(bool) & ~suppressed.fillna(False).astype(bool)
    return results[keep & results["value"].notna()]


def window(month: pd.Timestamp, rolling: bool) -> list[pd.Timestamp]:
    """The months compared: the month itself, or it and the 11 before it."""
    month = pd.Timestamp(month)
    if not rolling:
        return [month]
    return [month - pd.DateOffset(months=k) for k in range(ROLLING_MONTHS - 1, -1, -1)]


def window_totals(results: pd.DataFrame, month, rolling: bool, kind: str):
    """Per force: numerator, denominator and value over the window (headline rows only).

    Returns (figures, left_out) where `left_out` maps force -> why it is not compared (a month
    of the window missing, incomplete or suppressed: a 12-month rate from part of the window
    would not be comparable). Medians cannot be pooled over months, so a rolling window of a
    median KPI gives no figures.
    """
    months = window(month, rolling)
    totals = results[(results["age_band"] == TOTAL) & (results["gender"] == TOTAL)].copy()
    totals["month"] = pd.to_datetime(totals["month"])
    totals = totals[totals["month"].isin(months)]
    good = usable(totals)
    rows, left_out = [], {}
    for force in sorted(results["force"].unique()):
        mine = good[good["force"] == force]
        if len(mine) < len(months):
            missing = len(months) - len(mine)
            left_out[force] = (
                "no figure for the month (suppressed, not yet complete or not recorded)"
                if not rolling
                else f"{missing} of the {len(months)} months suppressed, incomplete or missing"
            )
            continue
        if kind == "median" and rolling:
            left_out[force] = "a median cannot be pooled over 12 months"
            continue
        numerator = mine["numerator"].sum() if kind != "median" else None
        denominator = mine["denominator"].sum() if kind != "count" else None
        if kind == "count":
            value = float(mine["value"].sum())
        elif kind == "median":
            value = float(mine["value"].iloc[0])
        else:
            value = numerator / denominator
        rows.append(
            {"force": force, "numerator": numerator, "denominator": denominator, "value": value}
        )
    columns = ["force", "numerator", "denominator", "value"]
    return pd.DataFrame(rows, columns=columns), left_out


def ranked(figures: pd.DataFrame, kind: str, unit: str) -> pd.DataFrame:
    """Forces in order of value with 95 % Wilson intervals for proportions (blank otherwise)."""
    out = figures.sort_values("value").reset_index(drop=True).copy()
    out["lower"], out["upper"] = float("nan"), float("nan")
    if kind == "rate" and unit == "fraction":
        bounds = [wilson_interval(r.numerator, r.denominator) for r in out.itertuples()]
        out["lower"] = [lo for lo, _ in bounds]
        out["upper"] = [hi for _, hi in bounds]
    return out


def over_time(results: pd.DataFrame, focus: str, kind: str) -> pd.DataFrame:
    """The focus force and the mean of the other forces, month by month (headline rows).

    Rates: the peers' pooled rate (their numerators over their denominators); counts and
    medians: the plain mean of the peers' figures. Columns month, series, value, forces.
    """
    totals = usable(results[(results["age_band"] == TOTAL) & (results["gender"] == TOTAL)])
    totals = totals.assign(month=pd.to_datetime(totals["month"]))
    mine = totals[totals["force"] == focus][["month", "value"]].assign(series=focus, forces=1)
    others = totals[totals["force"] != focus]
    if kind == "rate":
        grouped = others.groupby("month").agg(
            numerator=("numerator", "sum"), denominator=("denominator", "sum"),
            forces=("force", "nunique"),
        )  # fmt: skip
        grouped["value"] = grouped["numerator"] / grouped["denominator"]
    else:
        grouped = others.groupby("month").agg(value=("value", "mean"), forces=("force", "nunique"))
    peers = grouped.reset_index()[["month", "value", "forces"]].assign(series="peer mean")
    return pd.concat([mine, peers], ignore_index=True)[["month", "series", "value", "forces"]]


def breakdown(results: pd.DataFrame, focus: str, months, by: str, kind: str) -> pd.DataFrame:
    """The focus force against its peers by age band (`by="age_band"`) or gender, over the
    given months, only for labels where both sides have usable figures.

    Columns label, side ('force' or 'peers'), value, denominator. Medians are not broken down
    over several months (they cannot be pooled).
    """
    other = "gender" if by == "age_band" else "age_band"
    rows = usable(results[(results[other] == TOTAL) & (results[by] != TOTAL)])
    rows = rows[pd.to_datetime(rows["month"]).isin(list(months))]
    if kind == "median" and len(list(months)) > 1:
        return pd.DataFrame(columns=["label", "side", "value", "denominator"])
    out = []
    for side, part in (
        ("force", rows[rows["force"] == focus]),
        ("peers", rows[rows["force"] != focus]),
    ):
        for label, group in part.groupby(by):
            if kind == "rate":
                value = group["numerator"].sum() / group["denominator"].sum()
                size = group["denominator"].sum()
            elif kind == "count":
                value = group["value"].sum() / max(1, group["force"].nunique())
                size = group["value"].sum()
            else:
                value, size = group["value"].mean(), group["denominator"].sum()
            out.append({"label": label, "side": side, "value": value, "denominator": size})
    frame = pd.DataFrame(out, columns=["label", "side", "value", "denominator"])
    both = frame.groupby("label")["side"].nunique()
    return frame[frame["label"].isin(both[both == 2].index)].reset_index(drop=True)
