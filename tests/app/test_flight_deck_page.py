"""The flight deck in Streamlit's AppTest: the summary matrix leads the page with every KPI (each
a link to its chart that keeps the session), sorts as chosen and remembers it; tiles carry the
variation icon and, with a target, the assurance icon; changes are grey context, never "better"
or "worse"; and the KPI page opens on the KPI a link names."""

import datetime as dt
import re

import pytest
from streamlit.testing.v1 import AppTest

from flightdeck.present import icons, matrix
from flightdeck.synthetic import demo

AS_OF = dt.date(2025, 6, 30)
HARNESS = """
import streamlit as st
from flightdeck.app import registry, session
session.sign_in()
st.navigation(registry.sections(default={page!r})).run()
"""
KPIS = [f"K{i:02d}" for i in range(1, 22)]


@pytest.fixture(scope="module")
def deck_db(tmp_path_factory) -> str:
    """Three synthetic forces, 24 months after a 24-month warm-up, so that the SPC reads
    (the third force lacks several optional columns: some KPIs are not feasible)."""
    path = tmp_path_factory.mktemp("deck") / "deck.duckdb"
    demo.build_demo(
        path, forces=3, months=24, crimes_per_month=30, seed=5, as_of=AS_OF, warmup_months=24
    )
    return str(path)


def open_page(monkeypatch, db: str, page: str = "flight_deck", **query: str) -> AppTest:
    monkeypatch.setenv("FLIGHTDECK_DB", db)
    at = AppTest.from_string(HARNESS.format(page=page), default_timeout=90)
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def page_links(at: AppTest) -> list[tuple[str, str, str]]:
    """(page, label, query) of every page link, in the order drawn."""
    return [(e.proto.page, e.proto.label, e.proto.query_string) for e in at.get("page_link")]


def matrix_rows(at: AppTest) -> list[str]:
    return [query.removeprefix("kpi=") for _, _, query in page_links(at)]


def markdown(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown]


def words_on_page(at: AppTest) -> str:
    parts = [e.value for kind in ("markdown", "caption", "subheader") for e in getattr(at, kind)]
    return "\n".join(str(p) for p in parts)


def block(at: AppTest, key: str):
    """The container drawn with `key`, or None."""
    return next((c for c in at.get("flex_container") if c.proto.id.endswith(f"-{key}")), None)


def _tile_lines(at: AppTest, kpi_id: str) -> list[str]:
    return [m.value for m in block(at, f"tile_{kpi_id}").markdown]


def back_to(at: AppTest, title: str) -> AppTest:
    """Open a page of the navigation by its title, as its sidebar link does (AppTest's
    switch_page finds file pages only; these pages are callables)."""
    pages = at._registered_pages  # noqa: SLF001 (no public way for callable pages)
    at._page_hash = next(h for h, p in pages.items() if p["page_name"] == title)  # noqa: SLF001
    return at


def _grid_groups(at: AppTest) -> list[str]:
    """Each matrix row's variation group, from its icon's words."""
    by_words = {w: matrix.group(k, "value") for k, w in icons.VARIATION_WORDS.items()}
    out = []
    for row in (t for t in markdown(at) if t.startswith('<div class="fd-grid">')):
        found = re.search(r'<div class="fd-icon-cell"><svg[^>]*aria-label="([^"]+)"', row)
        out.append(by_words.get(found.group(1), "none") if found else "none")
    return out


def test_flight_deck_matrix_leads_with_every_kpi_linked_to_its_chart(monkeypatch, deck_db):
    at = open_page(monkeypatch, deck_db)
    assert not at.exception
    links = page_links(at)
    assert sorted(matrix_rows(at)) == KPIS  # every KPI, each once
    assert all(page == "kpi" for page, _, _ in links)
    assert ("kpi", "K02 · Charge/summons rate", "kpi=K02") in links
    texts = markdown(at)
    glance = next(i for i, t in enumerate(texts) if "Jun 2025 at a glance:" in t)
    first_tile = next(i for i, t in enumerate(texts) if t.startswith("**Recorded RASSO crimes**"))
    assert glance < first_tile  # the matrix comes before the tiles
    grid_rows = [t for t in texts if t.startswith('<div class="fd-grid">')]
    assert len(grid_rows) == 21
    assert all('role="img"' in row or 'class="fd-sr"' in row for row in grid_rows)
    # no old at-a-glance box
    assert block(at, "overview") is None


def test_flight_deck_matrix_sorts_as_chosen_and_remembers_it(monkeypatch, deck_db):
    at = open_page(monkeypatch, deck_db)
    control = at.segmented_control(key="_matrix_sort")
    assert control.options == list(matrix.SORTS)
    assert control.value == matrix.PILLAR_SORT
    assert matrix_rows(at)[:6] == ["K07", "K08", "K09", "K10", "K11", "K12"]  # suspect-focused
    control.set_value("KPI number").run()
    assert matrix_rows(at) == KPIS
    at.segmented_control(key="_matrix_sort").set_value("Concerns first").run()
    concerns_first = matrix_rows(at)
    rank = {"concern": 0, "improvement": 1, "neutral": 2, "common_cause": 3}
    rows = {r: t for r, t in zip(matrix_rows(at), _grid_groups(at), strict=True)}
    ranks = [rank.get(rows[k], 4) for k in concerns_first]
    assert ranks == sorted(ranks) and ranks[0] < 4
    # remembered across pages: away to the KPI page (the widget is not drawn there) and back
    at.button(key="open_K02").click().run()
    assert any(h.value.startswith("K02 · ") for h in at.header)
    assert at.session_state["matrix_sort"] == "Concerns first"
    back_to(at, "Flight deck").run()
    assert at.segmented_control(key="_matrix_sort").value == "Concerns first"
    assert matrix_rows(at) == concerns_first


def test_flight_deck_changes_are_grey_context_never_better_or_worse(monkeypatch, deck_db):
    at = open_page(monkeypatch, deck_db)
    changes = [t for t in markdown(at) if re.search(r"[▲▼●] [+-]?[\d.,]+ \S+ on ", t)]
    assert len(changes) >= 12, "no change lines on the tiles"  # most of the 21 have one
    for text in changes:
        assert all(line.startswith(":gray[") for line in text.split("  \n")), text
    words = words_on_page(at)
    assert ":blue[better]" not in words and ":orange[worse]" not in words
    captions = "\n".join(c.value for c in at.caption)
    assert "better" not in captions and "worse" not in captions
    assert "in grey, as context only" in captions


def test_flight_deck_tiles_carry_variation_and_assurance_icons(monkeypatch, deck_db):
    at = open_page(monkeypatch, deck_db)
    lines = [t for t in markdown(at) if t.startswith('<div class="fd-line">')]
    variation = [
        t for t in lines if any(f'aria-label="{w}"' in t for w in icons.VARIATION_WORDS.values())
    ]
    assurance = [
        t for t in lines if any(f'aria-label="{w}"' in t for w in icons.ASSURANCE_WORDS.values())
    ]
    assert len(variation) >= 15  # every tile that has a reading
    assert assurance, "the demo's targets give assurance icons"
    assert all("Target " in t for t in assurance)  # with the target in words beside it
    # K01 (context only) has no target: its tile has no assurance icon
    assert not any("fd-consistent" in t or "fd-inconsistent" in t for t in _tile_lines(at, "K01"))


def test_flight_deck_matrix_keeps_kpis_that_cannot_be_computed(monkeypatch, deck_db):
    at = open_page(monkeypatch, deck_db)
    at.selectbox(key="_force").select("demo-westbury").run()
    assert sorted(matrix_rows(at)) == KPIS
    rows = [t for t in markdown(at) if t.startswith('<div class="fd-grid">')]
    not_feasible = [r for r in rows if "n/a — not feasible" in r]
    assert not_feasible and all('class="fd-value fd-muted">n/a<' in r for r in not_feasible)
    assert all(matrix.NO_TARGET in r for r in not_feasible)
    assert "cannot be computed" in next(t for t in markdown(at) if "at a glance:" in t)


def test_the_kpi_page_opens_on_the_kpi_a_link_names(monkeypatch, deck_db):
    at = open_page(monkeypatch, deck_db, page="kpi", kpi="k05")
    assert not at.exception
    assert at.session_state["kpi"] == "K05"
    assert any(h.value.startswith("K05 · ") for h in at.header)
    assert "kpi" not in at.query_params  # taken out: the picker decides from then on
    at.selectbox(key="_kpi").select("K02").run()
    assert any(h.value.startswith("K02 · ") for h in at.header)


def test_an_unknown_kpi_in_the_address_changes_nothing(monkeypatch, deck_db):
    at = open_page(monkeypatch, deck_db, page="kpi", kpi="K99<script>")
    assert not at.exception
    assert "kpi" not in at.session_state or at.session_state["kpi"] != "K99<script>"
    assert any(h.value.startswith("K01 · ") for h in at.header)  # the picker's default
