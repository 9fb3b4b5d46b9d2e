"""Links between pages that keep the session: the flight deck's matrix links each KPI to the KPI
detail page with `st.page_link(..., query_params=kpi_query(kpi_id))`, which Streamlit follows
without reloading (the force and month stay as chosen), and the KPI page reads the KPI from the
address with `selected_kpi_from_query()` before drawing its picker.
"""

import streamlit as st

from flightdeck.app.data import deck

KPI_PARAM = "kpi"


def kpi_query(kpi_id: str) -> dict[str, str]:
    """The query parameters of a link to the KPI page on one KPI: {"kpi": "K02"}."""
    return {KPI_PARAM: kpi_id}


def selected_kpi_from_query() -> str | None:
    """The KPI named by the address (`?kpi=K02`, any case), made the KPI page's choice
    (`st.session_state["kpi"]`, which its picker remembers) and taken out of the address, so
    that from then on the picker decides. None, and the choice left as it was, when the address
    names no KPI or one the catalogue does not hold (that parameter is dropped too)."""
    if KPI_PARAM not in st.query_params:
        return None
    asked = str(st.query_params.get(KPI_PARAM, "")).strip().upper()
    del st.query_params[KPI_PARAM]
    known = {kpi.id.upper(): kpi.id for kpi in deck.measures()}
    kpi_id = known.get(asked)
    if kpi_id is not None:
        st.session_state["kpi"] = kpi_id
    return kpi_id
