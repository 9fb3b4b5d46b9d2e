"""Reading partner figures for the pages: the list of measures, the monthly totals and the
breakdowns by age band or gender, as the partner reported them.

A total is the row the partner sent as a total (age band and gender both `All`); breakdown rows
are never added together to make one: a partner may break down only some of its figures, or
suppress small cells, so their sum need not be the total.
"""

import datetime as dt

import duckdb
import pandas as pd

from flightdeck.reference import load_reference
from flightdeck.vocabulary import ALL

MEASURE_COLUMNS = ["measure", "title", "beside_kpi", "kind", "meaning"]
TOTAL_COLUMNS = ["partner", "measure", "title", "beside_kpi", "kind", "month", "count"]
# The police figure a partner measure sits beside, in words: the KPI's monthly count, or for a
# rate its numerator (the crimes it counts), which is what a partner's monthly count is set beside.
POLICE_FIGURE_WORDS = {
    "K01": "Crimes recorded (K01)",
    "K16": "Police referrals to an ISVA within 7 days (K16)",
}
# A flow counts what happened in the month (attendances, referrals) and can be added up over
# months; a stock is a state at the month end (open cases) and never is.
FLOW, STOCK = "flow", "stock"
BREAKDOWN_COLUMNS = ["partner", "measure", "title", "month", "age_band", "gender", "count"]


def police_figure_words(kpi_id: str, name: str) -> str:
    """How the police figure beside a partner measure is labelled (`name`: the KPI's name)."""
    return POLICE_FIGURE_WORDS.get(kpi_id, f"{name} ({kpi_id})")


def measures() -> pd.DataFrame:
    """The reference list of partner measures: measure, title, beside_kpi (a KPI id, or None
    when the measure sits beside no KPI), kind (FLOW or STOCK) and meaning, in the list's
    order."""
    listed = load_reference().partner_measures[MEASURE_COLUMNS].copy()
    kpi = listed["beside_kpi"].astype(object)
    listed["beside_kpi"] = kpi.where(kpi != "", None)
    return listed.reset_index(drop=True)


def _titled(rows: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Rows of `current_partner_figures` with each measure's title and KPI from the list."""
    out = rows.merge(measures(), on="measure", how="left")
    out["month"] = pd.to_datetime(out["month"])
    out["count"] = out["count"].astype("int64")
    return out[columns].reset_index(drop=True)


def partner_totals(
    con: duckdb.DuckDBPyConnection,
    force: str,
    *,
    measure: str | None = None,
    beside_kpi: str | None = None,
) -> pd.DataFrame:
    """The force's current monthly totals (age band and gender `All`): partner, measure, title,
    beside_kpi, kind, month (Timestamp, first day), count; sorted by measure, partner and month.
    `measure` keeps one measure, `beside_kpi` the measures shown beside that KPI."""
    listed = measures()
    wanted = listed["measure"].tolist()
    if beside_kpi is not None:
        wanted = listed.loc[listed["beside_kpi"] == beside_kpi, "measure"].tolist()
    if measure is not None:
        wanted = [m for m in wanted if m == measure]
    rows = con.execute(
        """SELECT partner, measure, month, count FROM current_partner_figures
           WHERE force = ? AND age_band = ? AND gender = ? AND list_contains(?, measure)
           ORDER BY measure, partner, month""",
        [force, ALL, ALL, wanted],
    ).df()
    return _titled(rows, TOTAL_COLUMNS)


def _month_start(value: dt.date | pd.Timestamp) -> dt.date:
    return pd.Timestamp(value).to_period("M").to_timestamp().date()


def partner_breakdowns(
    con: duckdb.DuckDBPyConnection,
    force: str,
    measure: str,
    first: dt.date | pd.Timestamp,
    last: dt.date | pd.Timestamp,
) -> pd.DataFrame:
    """The force's current breakdown rows of one measure (every row with an age band or a
    gender other than `All`) for the months `first` to `last` inclusive: partner, measure,
    title, month, age_band, gender, count; sorted by partner, month, age band and gender."""
    rows = con.execute(
        """SELECT partner, measure, month, age_band, gender, count FROM current_partner_figures
           WHERE force = ? AND measure = ? AND month BETWEEN ? AND ?
             AND NOT (age_band = ? AND gender = ?)
           ORDER BY partner, month, age_band, gender""",
        [force, measure, _month_start(first), _month_start(last), ALL, ALL],
    ).df()
    return _titled(rows, BREAKDOWN_COLUMNS)
