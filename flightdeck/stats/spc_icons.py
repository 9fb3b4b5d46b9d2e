"""The Making Data Count icons of an SPC analysis: the variation icon (the last point's type
and the way it went) and the assurance icon (a target against the latest limits)."""

from flightdeck.stats.spc import COMMON_CAUSE, Analysis, Limits, assess

VARIATION_KEYS = (
    COMMON_CAUSE,
    "improvement_high",
    "improvement_low",
    "concern_high",
    "concern_low",
    "neutral_high",
    "neutral_low",
)
CONSISTENT_PASS, CONSISTENT_FAIL, INCONSISTENT = (
    "consistent_pass",
    "consistent_fail",
    "inconsistent",
)
ASSURANCE_KEYS = (CONSISTENT_PASS, CONSISTENT_FAIL, INCONSISTENT)


def variation(analysis: Analysis) -> str | None:
    """The variation icon: the type of the last point with the direction it went (None for an
    empty series): common_cause, improvement_high/low, concern_high/low or neutral_high/low."""
    if not analysis.points:
        return None
    last = analysis.points[-1]
    if last.side == 0:
        return COMMON_CAUSE
    side = "high" if last.side > 0 else "low"
    if analysis.direction == "neutral":
        return f"neutral_{side}"
    return f"{assess(side, analysis.direction)}_{side}"


def assurance(limits: Limits | None, target: float | None, direction: str) -> str | None:
    """Whether the process will meet a target, from where it sits against the limits.

    None without a target, without limits, or for a context measure. When higher is better, a
    target below the lower limit will consistently be met (consistent_pass) and one above the
    upper limit consistently missed (consistent_fail); the other way round when lower is
    better; a target between the limits, or exactly on one, is hit and miss (inconsistent)."""
    if target is None or limits is None or direction == "neutral":
        return None
    if target > limits.upper:
        return CONSISTENT_FAIL if direction == "up" else CONSISTENT_PASS
    if target < limits.lower:
        return CONSISTENT_PASS if direction == "up" else CONSISTENT_FAIL
    return INCONSISTENT
