"""The problem profile document's pages, as HTML: the title page, the tables and sentences of
each section. The look is the board pack's (`pack_pages`); this adds side-by-side charts and
a few table styles. A count hidden for small numbers is printed as "suppressed", never 0, and a
change is a number and a percentage, never coloured better or worse. Pure functions.
"""

import html

import pandas as pd

from flightdeck.partners.figures import STOCK
from flightdeck.present.profile_charts import hidden
from flightdeck.vocabulary import OFFENCE_GROUP_WORDS

SUPPRESSED = "suppressed"
PROFILE_CSS = """
.pair{display:flex;gap:12px;align-items:flex-start} .pair>div{flex:1 1 0;min-width:0}
table.figures td.n,table.figures th.n{text-align:right;white-space:nowrap}
table.figures{font-size:12.5px;margin:6px 0} table.figures tr.total td{font-weight:bold}
.lead{font-size:13.5px;margin:4px 0 8px;line-height:1.4} .contents li{margin:2px 0}
.title-page h1{font-size:30px;margin-top:40px} .title-page .period{font-size:20px;margin:6px 0}
@media print{table.figures{font-size:11px} .lead{font-size:12px} .caption{font-size:11px}
 table.figures th,table.figures td{padding:2px 5px}}
"""


def esc(text: object) -> str:
    return html.escape(str(text))


def number(value: float) -> str:
    return f"{value:,.0f}"


def count_text(row, column: str) -> str:
    """A count as printed: the figure, or "suppressed" when hidden for small numbers."""
    return SUPPRESSED if hidden(row, column) else number(row[column])


def share_text(value: float | None) -> str:
    return "—" if value is None or pd.isna(value) else f"{value:.1%}"


def change_text(row, now: str = "current", before: str = "previous") -> tuple[str, str]:
    """The change as a signed number and a percentage of the earlier figure; "—" when either
    count is suppressed, "n/a" as a percentage of none."""
    if hidden(row, now) or hidden(row, before):
        return "—", "—"
    change = row[now] - row[before]
    percent = "n/a" if row[before] == 0 else f"{change / row[before]:+.1%}"
    return f"{change:+,.0f}", percent


def table(head: list[str], rows: list[list[str]], numeric_from: int = 1, totals=()) -> str:
    """An HTML table of prepared (escaped) cells; columns from `numeric_from` right-aligned;
    rows whose index is in `totals` bold."""

    def cls(i):
        return " class='n'" if i >= numeric_from else ""

    out = ["<table class='figures'><tr>"]
    out += [f"<th{cls(i)}>{h}</th>" for i, h in enumerate(head)]
    out.append("</tr>")
    for r, cells in enumerate(rows):
        out.append("<tr class='total'>" if r in totals else "<tr>")
        out += [f"<td{cls(i)}>{c}</td>" for i, c in enumerate(cells)]
        out.append("</tr>")
    return "".join(out) + "</table>"


def section(anchor: str, heading: str, *parts: str, first: bool = False) -> str:
    kind = "title-page" if first else "page"
    return (
        f"<section class='{kind}' id='{anchor}'><h2>{esc(heading)}</h2>{''.join(parts)}</section>"
    )


def lead(text: str) -> str:
    return f"<p class='lead'>{esc(text)}</p>"


def pair(left: str, right: str, widths: tuple[int | None, int | None] = (None, None)) -> str:
    """Two blocks side by side; a chart's block gets its width in px (`widths`), so it never
    spreads over its neighbour, and a block without one takes what is left."""

    def block(content, width):
        fixed = f" style='flex:0 0 {width}px'" if width else ""
        return f"<div{fixed}>{content}</div>"

    return f"<div class='pair'>{block(left, widths[0])}{block(right, widths[1])}</div>"


def chart(fig_html: str, caption: str = "") -> str:
    words = f"<p class='caption'>{esc(caption)}</p>" if caption else ""
    return f"<div class='chart'>{fig_html}</div>{words}"


def title_page(title: str, period: str, as_of: str, mark: str, about: str, contents) -> str:
    """The first page: what, for when, how current, the synthetic mark, what a profile is and
    the suppression rule, and the sections in order (each a link)."""
    items = "".join(f"<li><a href='#{a}'>{esc(h)}</a></li>" for a, h in contents)
    banner = f"<div class='banner'>{esc(mark)}</div>" if mark else ""
    return (
        f"<section class='title-page summary' id='title'><h1>{esc(title)}</h1>"
        f"<p class='period'>{esc(period)}</p><p class='muted'>Data as of {esc(as_of)}</p>"
        f"{banner}<p class='lead'>{esc(about)}</p><h2>Contents</h2>"
        f"<ol class='contents'>{items}</ol></section>"
    )


def volume_rows(frame: pd.DataFrame, label) -> list[list[str]]:
    rows = []
    for _, r in frame.iterrows():
        change, percent = change_text(r)
        rows.append(
            [*label(r), count_text(r, "previous"), count_text(r, "current"), change, percent]
        )
    return rows


VOLUME_HEAD = ["Previous 12 months", "Latest 12 months", "Change", "Change %"]


def group_table(volumes: pd.DataFrame) -> str:
    rows = volume_rows(
        volumes, lambda r: [esc(OFFENCE_GROUP_WORDS.get(r["offence_group"], r["offence_group"]))]
    )
    return table(["Offence group", *VOLUME_HEAD], rows, totals=(0,))


def code_table(codes: pd.DataFrame) -> str:
    """Volumes by offence code, rape codes first (in the data's order: group, then code)."""
    ordered = codes

    def label(r):
        group = OFFENCE_GROUP_WORDS.get(r["offence_group"], r["offence_group"])
        return [esc(r["offence_code"]), esc(r["title"]), esc(group)]

    return table(["Code", "Offence", "Group", *VOLUME_HEAD], volume_rows(ordered, label), 3)


def pyramid_table(pyramid: pd.DataFrame, bands, genders) -> str:
    """Victims by age band (rows, youngest first) and gender (columns)."""
    cells = pyramid.set_index(["age_band", "gender"])
    rows = []
    for band in bands:  # in the pyramid's order: oldest at the top, unknown age last
        row = [esc(band)]
        for gender in genders:
            found = (band, gender) in cells.index
            row.append(count_text(cells.loc[(band, gender)], "crimes") if found else "0")
        rows.append(row)
    return table(["Age band", *map(esc, genders)], rows)


def cohort_table(cohorts: pd.DataFrame) -> str:
    rows = []
    for _, r in cohorts.iterrows():
        rows.append(
            [
                f"{pd.Timestamp(r['month']):%b %Y}",
                count_text(r, "crimes"),
                count_text(r, "charged"),
                count_text(r, "other_outcome"),
                count_text(r, "open"),
                share_text(r["charged_share"]),
                share_text(r["open_share"]),
                number(r["days_followed_min"]),
            ]
        )
    head = [
        "Recorded in",
        "Crimes",
        "Charged",
        "Other outcome",
        "Still open",
        "Charged %",
        "Open %",
        "Followed (days)",
    ]
    return table(head, rows)


def breakdown_table(breakdown: pd.DataFrame) -> str:
    rows = [
        [esc(str(r["ethnicity"]).replace("_", " ").capitalize()), count_text(r, "crimes")]
        for _, r in breakdown.iterrows()
    ]
    return table(["Victim's ethnicity (recorded)", "Crimes"], rows)


def not_compared_text(names: dict, left_out: dict) -> str:
    if not left_out:
        return ""
    listed = "; ".join(f"{names.get(f, f)} ({why})" for f, why in sorted(left_out.items()))
    return f"<p class='caption'><b>Not compared:</b> {esc(listed)}</p>"


def partner_table(partners: pd.DataFrame, months: list[pd.Timestamp]) -> str:
    """Each partner measure's monthly counts, with the police figure it sits beside on the
    next row (`police`, the KPI `beside_title`), and the 12 months' total of each flow (a
    stock, such as open cases at each month end, is not added up)."""
    head = ["Figure", *(f"{m:%b}<br>{m:%Y}" for m in months), "12 months"]
    rows = []
    for (_, title), part in partners.groupby(["measure", "title"], sort=False):
        by_month = part.set_index(pd.to_datetime(part["month"]))
        lines = [("count", title)]
        if isinstance(part["beside_kpi"].iloc[0], str):  # a stock such as open cases has none
            lines.append(("police", part["beside_title"].iloc[0]))
        for column, label in lines:
            cells, total, complete = [], 0.0, True
            for m in months:
                if m not in by_month.index:
                    cells.append("—")
                    complete = False
                    continue
                row = by_month.loc[m]
                cells.append(count_text(row, column))
                if hidden(row, column):
                    complete = False
                else:
                    total += row[column]
            indent = "" if column == "count" else "&nbsp;&nbsp;beside it: "
            stock = column == "count" and part["kind"].iloc[0] == STOCK
            # A stock (open cases at each month end) is never added up over the months.
            summed = "not added (month-end figure)" if stock else number(total)
            rows.append([indent + esc(label), *cells, summed if complete or stock else "—"])
    return table(head, rows)


def repeat_section(anchor: str, heading: str, p) -> str:
    """Non-recent reports (a table by offence group), repeat victims and repeat suspects (in
    sentences: counts only, never an id) of the profile `p`."""
    rows = [
        [
            esc(OFFENCE_GROUP_WORDS.get(r["offence_group"], r["offence_group"])),
            count_text(r, "crimes"),
            count_text(r, "offence_date_known"),
            count_text(r, "non_recent"),
        ]
        for _, r in p.non_recent.iterrows()
    ]
    parts = [
        "<h3>Non-recent reports</h3>",
        lead(
            "Crimes recorded more than a year (365 days) after the offence, among those whose "
            "offence date is recorded (a crime without one cannot be placed either way)."
        ),
        table(
            ["Offence group", "Crimes", "Offence date recorded", "Non-recent"], rows, totals=(0,)
        ),
        "<h3>Repeat victims</h3>",
    ]
    v = p.repeat_victims
    if v is None:
        parts.append(
            lead("This force does not record victim_id, so repeat victims cannot be counted.")
        )
    else:
        parts.append(
            lead(
                "Victims of more than one crime recorded in the 12 months: "
                f"{counted(v.repeat_victims)} of {counted(v.victims)} victims, the victims of "
                f"{counted(v.crimes_of_repeat_victims)} of {counted(v.crimes)} crimes."
            )
        )
    s = p.repeat_suspects
    parts.append("<h3>Repeat suspects</h3>")
    if not s.named:
        parts.append(
            lead("The force's extract names no suspects, so repeat suspects cannot be counted.")
        )
    else:
        share = (
            "—"
            if missing(s.k13_repeat) or not s.k13_crimes
            else (f"{s.k13_repeat / s.k13_crimes:.1%}")
        )
        parts.append(
            lead(
                "Crimes with a named suspect who is linked to another RASSO crime (K13): "
                f"{counted(s.k13_repeat)} of {counted(s.k13_crimes)} crimes with a named suspect "
                f"({share}). "
                "Suspects named in two or more crimes recorded in the 12 months (S01): "
                f"{counted(s.repeat_suspects)}. No suspect is named or "
                "listed here; the analysts' lists are on the dashboard, audited."
            )
        )
    return section(anchor, heading, *parts)


def missing(value) -> bool:
    return value is None or pd.isna(value)


def counted(value) -> str:
    return SUPPRESSED if missing(value) else number(value)
