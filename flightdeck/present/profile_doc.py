"""The problem profile as one self-contained HTML document, A4 landscape like the board pack
(`pack_pages.document`: the same styles, the same margin boxes with the footer, page numbers
and, for a demo force, the synthetic-data mark on every printed page): a title page, then
volumes by offence group and code against the previous 12 months, victims by age and gender,
non-recent reports with repeat victims and suspects, outcomes by cohort (table, shares still
open, curves), partner agencies' figures beside the police ones, the comparison with the peer
group and with every force's published figures, and how complete ethnicity is.

The profile's figures come suppressed (`flightdeck.profile.disclosure`): a hidden count is
printed "suppressed", never 0. `flightdeck.present.profile_data` gathers and audits. Pure
functions: data in, HTML text out.
"""

import pandas as pd

from flightdeck.present import formatting, pack_charts, pack_pages, profile_funnels
from flightdeck.present import profile_charts as charts
from flightdeck.present import profile_pages as pages
from flightdeck.present.profile_comparison import ComparisonPart
from flightdeck.vocabulary import AGE_BANDS, GENDERS, UNKNOWN

FULL, HALF = 1000, 500
CONTENTS = (
    ("volumes", "Volumes by offence group"),
    ("codes", "Volumes by offence code"),
    ("victims", "Victims by age band and gender"),
    ("repeat", "Non-recent reports, repeat victims and repeat suspects"),
    ("cohorts", "Outcomes by cohort"),
    ("curves", "Outcomes by cohort year, over the days since report"),
    ("partners", "Partner agencies' figures"),
    ("peers", "Comparison with the peer group"),
    ("national", "Comparison with every force (published figures)"),
    ("ethnicity", "Victims' ethnicity: how complete the data is"),
)
HEADINGS = dict(CONTENTS)


class _Charts:
    """Figures as HTML at a print size; plotly.js inline with the first only."""

    def __init__(self):
        self.first = True

    def __call__(self, fig, width: int = FULL, height: int | None = None) -> str:
        height = height or int(fig.layout.height or 400)
        fig.update_layout(width=width, height=height, autosize=False, font={"size": 13})
        text = pack_charts.figure_html(fig, with_plotly_js=self.first)
        self.first = False
        return text


def footer_text(profile) -> str:
    words = (
        f"RASSO problem profile · {profile.force_name} · {profile.period.label} · "
        f"data as of {profile.as_of:%d %b %Y}"
    )
    return f"{words} · Synthetic demo data" if profile.synthetic else words


def about(profile) -> str:
    return (
        "This annual problem profile describes rape and other serious sexual offences recorded "
        f"by the force in the 12 months {profile.period.label}, against the 12 months before "
        f"({profile.period.previous_label}): volumes, victims, repeat victims and suspects, "
        "outcomes, partner agencies' figures, comparisons and how complete the data is. It "
        f"leaves the analyst's screen, so small numbers are suppressed: {profile.rule.describe()}."
        " A suppressed count is printed as “suppressed”, never as 0."
    )


def _volumes(p, draw) -> list[str]:
    fig = charts.volumes_figure(p.volumes_by_group)
    words = (
        "Crimes recorded in the latest 12 months against the 12 months before. The change is "
        "context, not a verdict: more recorded crimes can mean more offending or more victims "
        "coming forward."
    )
    return [
        pages.section(
            "volumes",
            HEADINGS["volumes"],
            pages.lead(words),
            pages.group_table(p.volumes_by_group),
            pages.chart(draw(fig, FULL, 360)),
        ),
        pages.section(
            "codes",
            HEADINGS["codes"],
            pages.lead(
                "The same, by Home Office offence code (a code with no crimes in either period is "
                "left out)."
            ),
            pages.code_table(p.volumes_by_code),
        ),
    ]


def _victims(p, draw) -> str:
    fig = charts.pyramid_figure(p.pyramid, height=450, note=False)
    words = (
        "Victims of the crimes recorded in the latest 12 months, by age band at the time of the "
        "offence and gender. The table gives every cell, including those the pyramid does not "
        "draw."
    )
    bands = [*reversed([b for b in AGE_BANDS if b != UNKNOWN]), UNKNOWN]
    table = pages.pyramid_table(p.pyramid, bands, GENDERS)
    picture = pages.chart(draw(fig, 620, 450), charts.pyramid_note(p.pyramid))
    return pages.section(
        "victims", HEADINGS["victims"], pages.lead(words), pages.pair(picture, table, (620, None))
    )


def _cohorts(p, draw) -> list[str]:
    words = (
        "Each month's recorded crimes followed to their outcomes (a cohort view). This differs "
        "from the outcome-based charge rate (K02), which counts the outcomes given in a month "
        "whenever their crimes were recorded: a cohort's charged share rises as it matures, so "
        "recent months are low because their crimes are still open, not because fewer are "
        "charged. Open crimes are shown as open."
    )
    fig = charts.open_figure(p.cohorts, height=360, note=False)
    charged = charts.cohort_figure(p.cohort_curves, "charged", height=400)
    outcome = charts.cohort_figure(p.cohort_curves, "outcome", height=400)
    curve_words = (
        "One line for each of the latest four years of recording: the share of that year's "
        "crimes charged (left) and "
        "with any outcome (right) by each number of days since report. Dashed, hollow points: "
        "not every crime of the year has been followed that long yet, so the share can still "
        "rise."
    )
    return [
        pages.section(
            "cohorts",
            HEADINGS["cohorts"],
            pages.lead(words),
            pages.pair(
                pages.cohort_table(p.cohorts),
                pages.chart(draw(fig, 450, 360), charts.open_note(p.cohorts)),
                (None, 450),
            ),
        ),
        pages.section(
            "curves",
            HEADINGS["curves"],
            pages.lead(curve_words),
            pages.pair(draw(charged, HALF, 430), draw(outcome, HALF, 430), (HALF, HALF)),
        ),
    ]


def _partners(p, partners: pd.DataFrame) -> str:
    heading = HEADINGS["partners"]
    if partners is None or partners.empty:
        return pages.section(
            "partners",
            heading,
            pages.lead(
                "No partner agency figures (SARC, ISVA services) are loaded for this force."
            ),
        )
    months = list(pd.date_range(p.period.first, p.period.last, freq="MS"))
    words = (
        "Counts the partner agencies report each month, each beside the police figure it "
        "relates to in the same months (SARC attendances beside crimes recorded, K01; ISVA "
        "referrals received beside the police's referrals to an ISVA within 7 days, K16). "
        "They count different things and need not match."
    )
    return pages.section(
        "partners", heading, pages.lead(words), pages.partner_table(partners, months)
    )


def _ethnicity(p, draw) -> str:
    e = p.ethnicity
    fig = charts.ethnicity_completeness_figure(e.by_month, e.threshold, height=320)
    summary = (
        f"The victim's ethnicity is recorded for {pages.counted(e.recorded)} of "
        f"{pages.counted(e.crimes)} crimes "
        f"({pages.share_text(e.share)}) in the 12 months; the profile shows a breakdown only "
        f"when at least {e.threshold:.0%} is recorded."
    )
    parts = [pages.lead(summary), pages.chart(draw(fig, FULL, 320))]
    if e.passes and e.breakdown is not None:
        parts.append(pages.breakdown_table(e.breakdown))
    else:
        parts.append(f"<p class='nochart'>{pages.esc(e.reason)}</p>")
    return pages.section("ethnicity", HEADINGS["ethnicity"], *parts)


def build(
    profile,
    partners: pd.DataFrame | None,
    comparison: ComparisonPart | None,
    national: ComparisonPart | None,
) -> str:
    """The profile as HTML. partners: one row per partner measure and month with `count` and
    the police figure beside it (`police`, its KPI `beside_title`), hidden counts None with
    `count_hidden`, `police_hidden`; comparison, national: the funnels (None: not available,
    said so on the page)."""
    p, draw = profile, _Charts()
    mark = formatting.SYNTHETIC_BANNER if p.synthetic else ""
    title = f"RASSO problem profile: {p.force_name}"
    body = [
        pages.title_page(
            title,
            f"{p.period.label}, against {p.period.previous_label}",
            f"{p.as_of:%d %b %Y}",
            mark,
            about(p),
            CONTENTS,
        ),
        *_volumes(p, draw),
        _victims(p, draw),
        pages.repeat_section("repeat", HEADINGS["repeat"], p),
        *_cohorts(p, draw),
        _partners(p, partners),
        profile_funnels.section(
            "peers",
            HEADINGS["peers"],
            comparison,
            "No peer group with figures here: import the peers' exported KPI results to compare.",
            draw,
        ),
        profile_funnels.section(
            "national",
            HEADINGS["national"],
            national,
            "No published national figures are loaded for a "
            "year ending within the profile's period.",
            draw,
        ),
        _ethnicity(p, draw),
    ]
    if mark:  # on screen on every page as well as in every printed page's margin
        banner = f"<div class='banner screen-mark'>{pages.esc(mark)}</div>"
        body = [body[0], *(s.replace("<h2>", banner + "<h2>", 1) for s in body[1:])]
    html = pack_pages.document(f"{title}, {p.period.label}", body, footer=footer_text(p), mark=mark)
    return html.replace("</style>", pages.PROFILE_CSS + "</style>", 1)
