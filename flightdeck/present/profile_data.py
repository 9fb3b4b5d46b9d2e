"""Everything the problem profile document is built from, gathered from the database in one
place, and the document as an audited export, as `pack_data` does for the board pack:

    doc = gather_profile(con, "demo-northmoor", pd.Timestamp("2026-11-01"), user=user)
    body = audited(con, user, doc, "pdf", lambda: render(doc, "pdf"))

`export` does the three on one connection (a page's download); the command line reads and
audits on two short ones, so Chromium prints with no database held open. Small numbers are
suppressed everywhere in it: the profile's own counts by `flightdeck.profile`, the police and
partner monthly counts and the comparison's yearly figures here, by the same rule.
"""

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from flightdeck import access, exports
from flightdeck.access import guard
from flightdeck.engine.catalogue import by_id
from flightdeck.partners.figures import partner_totals, police_figure_words
from flightdeck.peers import suppression
from flightdeck.peers.suppression import SuppressionRule
from flightdeck.present import formatting, pdf, profile_comparison, profile_doc
from flightdeck.present.profile_comparison import ComparisonPart
from flightdeck.profile.build import build_profile, latest_full_month
from flightdeck.vocabulary import ALL

FORMATS = {"pdf": "application/pdf", "html": "text/html"}
POLICE_COLUMNS = ["kpi_id", "month", "numerator", "denominator", "value", "complete"]


class ProfileRefused(ValueError):
    """No profile for this force or month here; the message is one line for the user."""


@dataclass(frozen=True)
class ProfileDocument:
    """What `profile_doc.build` takes, for one force and 12 months."""

    profile: object  # flightdeck.profile.build.Profile
    partners: pd.DataFrame  # partner counts beside the police figures (see profile_doc.build)
    comparison: ComparisonPart | None
    national: ComparisonPart | None

    @property
    def force(self) -> str:
        return self.profile.force

    @property
    def last(self) -> pd.Timestamp:
        return self.profile.period.last


def police_figures(
    con: duckdb.DuckDBPyConnection, force: str, kpi_ids: list[str], rule: SuppressionRule
) -> pd.DataFrame:
    """The force's headline monthly rows of these KPIs (offence group, age band and gender
    'All'), suppressed by the rule: kpi_id, month, figure (a count KPI's count, a rate's
    numerator), figure_hidden."""
    rows = con.execute(
        f"SELECT {', '.join(POLICE_COLUMNS)} FROM kpi_results WHERE force = $force AND "
        "offence_group = $all AND age_band = $all AND gender = $all "
        "AND list_contains($kpis, kpi_id)",
        {"force": force, "all": ALL, "kpis": list(kpi_ids)},
    ).df()
    rows = rows.assign(force=force, offence_group=ALL, age_band=ALL, gender=ALL)
    catalogue = by_id()
    safe = suppression.suppress(rows, rule, {k: catalogue[k].kind for k in kpi_ids})
    # A count's numerator is its count; a rate's is the crimes it counts.
    safe["figure"] = safe["numerator"]
    return pd.DataFrame(
        {
            "kpi_id": safe["kpi_id"],
            "month": pd.to_datetime(safe["month"]),
            "figure": safe["figure"].where(~safe["suppressed"]),
            "figure_hidden": safe["suppressed"].astype(bool),
        }
    )


def partner_part(
    con: duckdb.DuckDBPyConnection, force: str, period, rule: SuppressionRule
) -> pd.DataFrame:
    """The partner measures' monthly totals in the period, each beside its police figure:
    partner, measure, title, beside_kpi, beside_title, month, count, count_hidden, police,
    police_hidden. A partner count from 1 to N is hidden, as any count leaving the force."""
    found = partner_totals(con, force)
    if found.empty:
        return found
    found = found.assign(month=pd.to_datetime(found["month"]))
    found = found[(found["month"] >= period.first) & (found["month"] <= period.last)].copy()
    small = [suppression.is_small(c, rule) for c in found["count"]]
    found["count_hidden"] = small
    found["count"] = found["count"].astype(float).where(~found["count_hidden"])
    kpis = sorted(k for k in found["beside_kpi"].dropna().unique() if k in by_id())
    police = police_figures(con, force, kpis, rule).rename(
        columns={"kpi_id": "beside_kpi", "figure": "police", "figure_hidden": "police_hidden"}
    )
    out = found.merge(police, on=["beside_kpi", "month"], how="left")
    out["police_hidden"] = out["police_hidden"].fillna(False).astype(bool)
    catalogue = by_id()
    out["beside_title"] = [
        police_figure_words(k, catalogue[k].name) if k in catalogue else "no police figure"
        for k in out["beside_kpi"]
    ]
    return out.sort_values(["partner", "measure", "month"]).reset_index(drop=True)


def _month_words(month) -> str:
    return f"{pd.Timestamp(month):%Y-%m}"


def gather_profile(
    con: duckdb.DuckDBPyConnection,
    force: str,
    last: pd.Timestamp | None,
    *,
    user: access.User,
    rule: SuppressionRule | None = None,
) -> ProfileDocument:
    """The document's data for `force` (an id with an active case load) over the 12 months to
    `last` (a month; None: the latest full month held): the profile, the partner figures, the
    peer and national comparisons. The user's role must allow VIEW, else the refusal is
    audited and access.PermissionDenied raised.
    Raises ProfileRefused, in one line, for a force or month the database does not hold."""
    if not access.allowed(user, access.VIEW):  # audited as a refused export, then raised
        guard.begin(con, user, "export", access.VIEW, f"problem profile of {force}")
    loaded = con.execute("SELECT force, as_of FROM force_as_of ORDER BY force").df()
    if force not in set(loaded["force"]):
        held = ", ".join(loaded["force"]) or "none"
        raise ProfileRefused(f"no case data for the force {force!r} here (forces held: {held})")
    latest = pd.Timestamp(latest_full_month(con, force))
    last = latest if last is None else pd.Timestamp(last).to_period("M").to_timestamp()
    if last > latest:
        raise ProfileRefused(
            f"{force}'s case data is complete only to {_month_words(latest)}, so there is no "
            f"profile to {_month_words(last)}"
        )
    rule = rule or SuppressionRule.from_settings()
    profile = build_profile(con, force, last, rule=rule)
    return ProfileDocument(
        profile=profile,
        partners=partner_part(con, force, profile.period, rule),
        comparison=profile_comparison.peer_part(con, force, last, rule),
        national=profile_comparison.national_part(con, force, last, rule),
    )


def render(doc: ProfileDocument, fmt: str, *, chromium: Path | None = None) -> bytes:
    """The document as `fmt` ("html" or "pdf") bytes; the PDF is the HTML printed by Chromium
    with the synthetic-data mark at the top of every page of a demo force's profile. Raises
    pdf.PdfUnavailable when it cannot be printed here."""
    check_format(fmt)
    html = profile_doc.build(doc.profile, doc.partners, doc.comparison, doc.national)
    if fmt == "html":
        return html.encode("utf-8")
    header = formatting.SYNTHETIC_BANNER if doc.profile.synthetic else ""
    footer = profile_doc.footer_text(doc.profile)
    return pdf.html_to_pdf(html, footer=footer, header=header, chromium=chromium)


def audit_detail(force: str, last: pd.Timestamp, fmt: str) -> str:
    """ "problem profile of demo-northmoor to 2026-11 (PDF)"."""
    return f"problem profile of {force} to {_month_words(last)} ({fmt.upper()})"


def audited(
    con: duckdb.DuckDBPyConnection,
    user: access.User,
    doc: ProfileDocument,
    fmt: str,
    build: Callable[[], bytes],
) -> bytes:
    """`build` the document as an audited export (action `export`, detail `audit_detail`): the
    role must allow EXPORT, else the refusal is audited and PermissionDenied raised first."""
    return exports.audited_download(con, user, audit_detail(doc.force, doc.last, fmt), build)


def export(
    con: duckdb.DuckDBPyConnection,
    user: access.User,
    force: str,
    last: pd.Timestamp | None,
    fmt: str,
    *,
    chromium: Path | None = None,
    rule: SuppressionRule | None = None,
) -> bytes:
    """The profile of `force` to `last` as `fmt` bytes, gathered, built and audited on one
    connection. ProfileRefused for a force or month not held and pdf.PdfUnavailable without
    Chromium: neither builds anything nor writes an audit row."""
    check_format(fmt)
    doc = gather_profile(con, force, last, user=user, rule=rule)
    if fmt == "pdf":
        pdf.check_chromium(chromium)
    return audited(con, user, doc, fmt, lambda: render(doc, fmt, chromium=chromium))


def check_format(fmt: str) -> None:
    """ValueError unless `fmt` is one of FORMATS."""
    if fmt not in FORMATS:
        raise ValueError(f"a problem profile is a PDF or an HTML file, not {fmt!r}")
