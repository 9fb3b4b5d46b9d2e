"""The NHSRplotthedots cases (tests/stats/reference_cases/ptd-*.json, copied from the peers'
published tests, see that folder's README) replayed against flightdeck.stats.spc.

Each case names the peer's function; `RUNNERS` maps it to the product's own functions with the
same settings (the product's defaults differ only where the peer's case says which it used:
screening, the whole group as baseline, the trend of 7). Every check of every case must pass.
"""

import json
import re
from pathlib import Path

import pytest

from flightdeck.stats import spc, spc_icons, spc_rules

CASES = Path(__file__).parent / "reference_cases"
DIRECTIONS = {"increase": "up", "decrease": "down", "neutral": "neutral"}
PEER_DIRECTION = {v: k for k, v in DIRECTIONS.items()}
ICONS = {
    "consistent_pass": "pass",
    "consistent_fail": "fail",
    "inconsistent": "inconsistent",
}


def _facet(x: list[str], y: list[float], args: dict) -> dict:
    rebase = args["rebase_dates"] or []
    if isinstance(rebase, dict):  # per facet: not used by the pipeline cases
        raise AssertionError("per-facet rebase dates are not in the pipeline cases")
    starts = [i for i, date in enumerate(x) if date in set(rebase)]
    options = spc.Options(
        screen_outliers=args["screen_outliers"],
        baseline_points=args["fix_after_n_points"],
        short_segment=13,  # the peer's default option ptd_spc.warning_threshold
    )
    direction = DIRECTIONS[args["improvement_direction"]]
    result = spc.analyse(y, direction=direction, starts=starts, options=options)
    points = []
    for p in result.points:
        limits = result.segments[p.segment].limits
        points.append(
            {
                "mean": limits.mean,
                "lpl": limits.lower,
                "upl": limits.upper,
                "relative_to_mean": p.relative_to_mean,
                "outside_limits": p.outside,
                "close_to_limits": p.close,
                "point_type": p.point_type,
                "rebase_group": p.segment,
            }
        )
    summary = []
    for k, segment in enumerate(result.segments):
        mine = [p for p in result.points if p.segment == k]
        summary.append(
            {
                "rebase_group": k,
                "mean_col": segment.limits.mean,
                "lpl": segment.limits.lower,
                "upl": segment.limits.upper,
                "n": len(mine),
                "common_cause": sum(p.rule is None for p in mine),
                "special_cause_improvement": sum(
                    p.point_type == "special_cause_improvement" for p in mine
                ),
            }
        )
    assurance = spc_icons.assurance(result.limits, args["target"], direction)
    return {
        "points": points,
        "summary": summary,
        "variation_icon": spc_icons.variation(result),
        "assurance_icon": None if assurance is None else ICONS[assurance],
        "short_group_warning": any(s.trial for s in result.segments),
    }


def _xmr_spc(args: dict) -> dict:
    return {"facets": {name: _facet(f["x"], f["y"], args) for name, f in args["facets"].items()}}


_PEER_LABELS = {
    spc_rules.BEYOND_LIMIT: ("Above UCL", "Below LCL"),
    spc_rules.TREND: ("7 Point Trend (Increasing)", "7 Point Trend (Decreasing)"),
    spc_rules.TWO_IN_THREE: ("2 in 3 Above CL", "2 in 3 Below CL"),
    spc_rules.SHIFT: ("7 Points Above CL", "7 Points Below CL"),
}


def _labels(args: dict) -> list[str]:
    rules = spc_rules.point_rules(
        args["y"],
        args["relative_to_mean"],
        args["outside_limits"],
        args["part_trend"],
        args["part_two_in_three"],
        args["part_shift"],
    )
    return [
        "Common Cause" if rule is None else _PEER_LABELS[rule][0 if side > 0 else 1]
        for rule, side in rules
    ]


def _assurance_rows(args: dict) -> list[str]:
    """The peer's assurance per facet from the facet's last row of limits."""
    last = {}
    for row in args["rows"]:
        last[row["f"]] = row
    out = []
    for row in last.values():
        limits = spc.Limits(0, 0, row["upl"], row["lpl"], 0, 0, 12)
        direction = DIRECTIONS[args["improvement_direction"]]
        out.append(spc_icons.assurance(limits, args["target"], direction))
    return [None if a is None else a for a in out]


def _rebase_flags(args: dict) -> list[int]:
    rebase = args["rebase"]
    if rebase is None:
        return [0] * len(args["x"])
    if isinstance(rebase, dict):
        return [int(x in set(rebase.get(f, []))) for x, f in zip(args["x"], args["f"], strict=True)]
    return [int(x in set(rebase)) for x in args["x"]]


def _short_group(args: dict) -> list[bool]:
    sizes: dict[tuple, int] = {}
    for key in zip(args["f"], args["rebase_group"], strict=True):
        sizes[key] = sizes.get(key, 0) + 1
    threshold = args["threshold"]
    return [sizes[key] < threshold for key in zip(args["f"], args["rebase_group"], strict=True)]


RUNNERS = {
    "xmr_spc": _xmr_spc,
    "rule.seven_point_trend": lambda a: spc_rules.trend_markers(a["y"], 7),
    "rule.seven_point_one_side_mean": lambda a: spc_rules.shift_markers(a["relative_to_mean"], 7),
    "rule.part_of_seven_trend": lambda a: spc_rules.part_of_run(a["markers"], 7),
    "rule.two_in_three": lambda a: spc_rules.two_in_three(
        a["close_to_limits"], a["relative_to_mean"]
    ),
    "rule.part_of_two_in_three": lambda a: spc_rules.part_of_two_in_three(
        spc_rules.two_in_three(a["close_to_limits"], a["relative_to_mean"]), a["close_to_limits"]
    ),
    "rule.special_cause_labels": _labels,
    "assurance_last_row": _assurance_rows,
    "rebase_flags": _rebase_flags,
    "short_group_warning": _short_group,
}


def _resolve(outputs: dict, path: str):
    """A check's path into the outputs: run.facets.<name>.points[*].field, summary[0], etc."""
    run, _, rest = path.partition(".")
    value = outputs[run]
    if rest.startswith("facets."):
        name_and_rest = rest[len("facets.") :]
        facets = value["facets"]
        name = next(n for n in sorted(facets, key=len, reverse=True) if name_and_rest.startswith(n))
        value, rest = facets[name], name_and_rest[len(name) :].lstrip(".")
    for part in filter(None, rest.split(".")):
        m = re.fullmatch(r"(\w+)(?:\[(\*|\d+|\d+:\d+)\])?", part)
        key, index = m.group(1), m.group(2)
        value = len(value) if key == "length" else value[key]
        if index == "*":
            value = {"__each__": value}
        elif index and ":" in index:
            a, b = map(int, index.split(":"))
            value = {"__each__": value[a:b]}
        elif index:
            value = value[int(index)]
        if isinstance(value, dict) and "__each__" in value:
            each = value["__each__"]
            remaining = rest.split(part, 1)[1].lstrip(".")
            return [_resolve({"r": item}, f"r.{remaining}") if remaining else item for item in each]
    return value


def _check(outputs: dict, check: dict) -> None:
    got = _resolve(outputs, check["path"])
    op = check["op"]
    expected = check.get("value")
    if "other" in check:
        expected = _resolve(outputs, check["other"])
    if op == "approx":
        values = got if isinstance(got, list) else [got]
        for v in values:
            assert abs(v - expected) <= check["abs_tol"] + check["rel_tol"] * abs(expected), (
                check,
                v,
            )
    elif op == "equals":
        assert _normalise(got) == _normalise(expected), check
    elif op == "prefix_equals":
        assert _normalise(got[: len(expected)]) == _normalise(expected), check
    elif op == "lt":
        assert got < expected, check
    elif op == "gt":
        assert got > expected, check
    elif op == "ne":
        assert got != expected, check
    else:
        raise AssertionError(f"unknown op {op}")


def _normalise(value):
    if isinstance(value, list):
        return [_normalise(v) for v in value]
    if isinstance(value, bool):
        return int(value)
    return value


PTD_CASES = sorted(CASES.glob("ptd-*.json"))


def test_every_plot_the_dots_case_is_here():
    assert len(PTD_CASES) == 33


@pytest.mark.parametrize("path", PTD_CASES, ids=[p.stem for p in PTD_CASES])
def test_plot_the_dots_case(path: Path):
    case = json.loads(path.read_text())
    outputs = {name: RUNNERS[run["function"]](run["args"]) for name, run in case["runs"].items()}
    assert case["checks"], "a case with no checks proves nothing"
    for check in case["checks"]:
        _check(outputs, check)
