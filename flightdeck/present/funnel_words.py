"""What a funnel plot says, in words a board member can act on without overclaiming.

A force outside a limit is *better* or *worse* only when the KPI has a direction (context KPIs,
such as recorded crime, are never either) and only because a statistical rule says the
difference is more than chance. Even then, the usual non-chance reasons (recording practice,
case mix, data completeness) come before performance: a funnel plot finds forces worth a look,
it does not rank them.
"""

from flightdeck.stats.funnel import Funnel

BETTER, WORSE, NEUTRAL = "better", "worse", "neutral"
# Before reading a difference as performance, the reasons a board should rule out first.
OTHER_REASONS = "recording practice, case mix or data completeness"
_PERCENT = {"95": "95 %", "998": "99.8 %"}


def verdict(position: str, direction: str) -> str | None:
    """better, worse or neutral for a force outside a limit (None within the limits): the side
    of the limit read through the KPI's direction; a context KPI is always neutral."""
    if position == "within":
        return None
    if direction not in ("up", "down"):
        return NEUTRAL
    above = position.startswith("above")
    return BETTER if above == (direction == "up") else WORSE


def _verdict_words(kind: str) -> str:
    return {
        BETTER: "better than the group",
        WORSE: "worse than the group",
        NEUTRAL: "a context measure, neither better nor worse",
    }[kind]


def describe(name: str, position: str, direction: str) -> str | None:
    """One sentence for a force outside a limit (None within both limits)."""
    kind = verdict(position, direction)
    if kind is None:
        return None
    side, level = position.split("_")
    if kind == NEUTRAL:
        chance = "about once in 500" if level == "998" else "for about one force in 20"
        meaning = (
            f"a difference this large arises by chance alone {chance}. Differences in "
            f"{OTHER_REASONS}, as well as in offending and reporting, are the usual reasons."
        )
    elif level == "998":
        meaning = (
            "a difference this large arises by chance alone about once in 500. "
            f"Rule out {OTHER_REASONS} before reading it as performance."
        )
    else:
        meaning = (
            "about one force in 20 lies this far out by chance alone, so on its own this is a "
            "prompt to look, not a finding."
        )
    return f"**{name}** is {side} the {_PERCENT[level]} limit, {_verdict_words(kind)}: {meaning}"


def chance_expected(forces: int) -> str:
    """How many forces chance alone puts outside the 95 % limits, said plainly."""
    expected = forces / 20
    if expected < 1:
        return f"With {forces} forces, fewer than one would lie outside the 95 % limits by chance."
    return (
        f"With {forces} forces, about {expected:.0f} would lie outside the 95 % limits by "
        "chance alone."
    )


def _p(p_value: float) -> str:
    return "p < 0.001" if p_value < 0.001 else f"p = {p_value:.3f}"


def limits_drawn(result: Funnel) -> str:
    """Which limits the chart draws and why: adjusted for overdispersion, or not and why not."""
    d = result.dispersion
    found = (
        f"dispersion factor φ = {d.phi:.2f} from the Winsorised z-scores of {d.forces} forces, "
        f"{_p(d.p_value)}"
    )
    # Only said of limits that are not adjusted, whose method is the exact one.
    exact = result.method[0].upper() + result.method[1:]
    if result.adjusted:
        return (
            f"**Limits widened for overdispersion.** The forces differ more than chance alone "
            f"allows ({found}), as they usually do when recording practice and case mix vary. "
            f"The limits add that between-force variation (additive random effects, "
            f"τ = {d.tau2**0.5:.3f} on the transformed scale), so a force outside them differs "
            "by more than forces usually differ from one another."
        )
    if d.present and not result.adjustment_requested:
        return (
            f"**{exact} limits, adjustment switched off.** The forces differ more "
            f"than chance alone allows ({found}), so limits that allow for chance only will put "
            "many forces outside them for ordinary reasons."
        )
    if not d.enough_forces:
        return (
            f"**{exact} limits, not adjusted for overdispersion:** {d.forces} "
            "forces are too few to estimate how much forces usually differ. Ordinary "
            f"differences in {OTHER_REASONS} can put a force outside these limits."
        )
    return (
        f"**{exact} limits.** No overdispersion found ({found}): the forces differ "
        "about as much as chance alone would make them."
    )
