"""Which KPIs each compared force can compute, as one compact grid that fits the page: a row per
force, a narrow column per KPI, each cell the flag's symbol on its tint with the flag's words as
its tooltip and for screen readers (so no KPI is hidden behind a scroll bar)."""

import html

import pandas as pd

from flightdeck.present.style import FLAG_STYLE

_TINTS = {"#56B4E9": "#dcf0fa", "#E69F00": "#fbe9c6", "#BBBBBB": "#eeeeee"}
_CSS = (
    "<style>.fd-feas{border-collapse:collapse;font-size:0.85rem}"
    ".fd-feas th,.fd-feas td{border:1px solid #ddd;padding:2px 3px;text-align:center}"
    ".fd-feas th.fd-force,.fd-feas td.fd-force{text-align:left;white-space:nowrap;"
    "padding-right:8px}.fd-feas th{font-weight:600;font-size:0.75rem}</style>"
)


def _cell(flag: str | None) -> str:
    if flag not in FLAG_STYLE:
        return '<td title="not known" aria-label="not known"></td>'
    colour, symbol, words = FLAG_STYLE[flag]
    tint = _TINTS.get(colour, "#ffffff")
    return (
        f'<td style="background:{tint}" title="{words}" aria-label="{words}">'
        f"{html.escape(symbol)}</td>"
    )


def grid_html(flags: pd.DataFrame, names: dict[str, str], kpis: list[str]) -> str:
    """The grid of `flags` (columns force, kpi_id, flag) for the KPIs in `kpis`, forces by name;
    a KPI a force has no flag for is a blank cell ("not known")."""
    by_force = {(r.force, r.kpi_id): r.flag for r in flags.itertuples()}
    forces = sorted(set(flags["force"]), key=lambda f: names.get(f, f))
    head = "".join(f'<th scope="col">{html.escape(k)}</th>' for k in kpis)
    rows = []
    for force in forces:
        cells = "".join(_cell(by_force.get((force, k))) for k in kpis)
        name = html.escape(names.get(force, force))
        rows.append(f'<tr><th scope="row" class="fd-force">{name}</th>{cells}</tr>')
    return (
        f'{_CSS}<table class="fd-feas"><thead><tr><th class="fd-force">Force</th>{head}</tr>'
        f"</thead><tbody>{''.join(rows)}</tbody></table>"
    )


def legend() -> str:
    """The symbols' words, for the caption under the grid."""
    return "; ".join(f"{symbol} {words.lower()}" for _, symbol, words in FLAG_STYLE.values())
