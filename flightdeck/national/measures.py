"""The measures every force is compared on with the published figures, each beside the KPI of
the flight deck that counts the same thing from a force's own case data (its direction, up or
down or neutral, is that KPI's, read from the catalogue)."""

from dataclasses import dataclass

from flightdeck.engine import catalogue
from flightdeck.national.columns import OUTCOMES, RECORDED
from flightdeck.vocabulary import CHARGED_OUTCOMES

COUNT, PROPORTION = "count", "proportion"


@dataclass(frozen=True)
class Measure:
    id: str
    name: str
    kind: str  # count (recorded crimes, divided by the population on the page) or proportion
    table: str  # recorded or outcomes: which published table it comes from
    outcome_types: tuple[str, ...]  # the outcomes counted (a proportion of all outcomes)
    kpi_id: str  # the KPI counting the same from a force's own case data

    @property
    def direction(self) -> str:
        """up (higher is better), down or neutral: that of the matching KPI."""
        return catalogue.by_id()[self.kpi_id].direction


MEASURES: tuple[Measure, ...] = (
    Measure(
        "recorded",
        "Recorded rape and other sexual offences per 100,000 people",
        COUNT,
        RECORDED,
        (),
        "K01",
    ),
    Measure(
        "charge",
        "Share of outcomes that were charge or summons (outcomes 1, 1A)",
        PROPORTION,
        OUTCOMES,
        CHARGED_OUTCOMES,
        "K02",
    ),
    Measure(
        "victim_not_support",
        "Share of outcomes where the victim does not support further action (outcomes 14, 16)",
        PROPORTION,
        OUTCOMES,
        ("14", "16"),
        "K03",
    ),
    Measure(
        "evidential",
        "Share of outcomes of evidential difficulties, victim supports action (outcome 15)",
        PROPORTION,
        OUTCOMES,
        ("15",),
        "K04",
    ),
)
BY_ID: dict[str, Measure] = {m.id: m for m in MEASURES}


def measure(measure_id: str) -> Measure:
    """The measure with this id; ValueError naming the ids there are."""
    try:
        return BY_ID[measure_id]
    except KeyError:
        raise ValueError(
            f"no national measure {measure_id!r}; there are {', '.join(BY_ID)}"
        ) from None
