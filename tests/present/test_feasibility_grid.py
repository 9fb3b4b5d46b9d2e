"""The feasibility grid fits the page: every KPI a narrow column, symbols with their words."""

import pandas as pd

from flightdeck.present import feasibility_grid


def test_every_kpi_is_a_column_and_every_cell_says_its_flag_in_words():
    flags = pd.DataFrame(
        [
            {"force": "b", "kpi_id": "K01", "flag": "feasible"},
            {"force": "b", "kpi_id": "K02", "flag": "not_feasible"},
            {"force": "a", "kpi_id": "K01", "flag": "partial"},
        ]
    )
    kpis = [f"K{i:02d}" for i in range(1, 22)]
    html = feasibility_grid.grid_html(flags, {"a": "Ashdale <synthetic>", "b": "Bexley"}, kpis)
    assert all(f">{k}</th>" in html for k in kpis)
    assert html.index("Ashdale") < html.index("Bexley")  # by name
    assert "Ashdale &lt;synthetic&gt;" in html  # names are escaped
    assert 'title="Feasible"' in html and 'title="Not feasible"' in html
    assert 'title="Partial"' in html
    # Bexley: 2 known cells, 19 not known; Ashdale: 1 known, 20 not known.
    assert html.count('title="not known"') == 19 + 20
