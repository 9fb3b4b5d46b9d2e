"""Synthetic victim references and recorded ethnicity: who the repeat victims are, and how
poorly a force records ethnicity.

About one crime in ten belongs to a victim with another crime in the force's extract (each such
victim has two or more crimes, 2.5 on average). A repeat victim keeps the gender and the age
(growing older between crimes) of their first crime, and their offence codes are drawn again to
agree with them. Ethnicity is recorded on a share of crimes that differs by force and month;
among the crimes where it is recorded the groups follow the 2021 census of England and Wales,
with a few victims who did not say (`not_stated`).
"""

import dataclasses

import numpy as np

from flightdeck.synthetic.victims import Victims, offence_codes
from flightdeck.vocabulary import ETHNICITIES

REPEAT_VICTIM_SHARE = 0.10
CRIMES_PER_REPEAT_VICTIM = 2.5
NOT_STATED_SHARE = 0.04
# 2021 census, England and Wales: white 82 %, mixed 3 %, asian 9 %, black 4 %, other 2 %.
_CENSUS = {"white": 0.82, "mixed": 0.03, "asian": 0.09, "black": 0.04, "other": 0.02}
ETHNICITY_SHARES: np.ndarray = np.array(
    [_CENSUS[e] * (1 - NOT_STATED_SHARE) if e in _CENSUS else NOT_STATED_SHARE for e in ETHNICITIES]
)
MONTHLY_COMPLETENESS_NOISE = 0.04  # month-to-month wobble in the share recorded
MAX_AGE = 120


def victim_numbers(rng: np.random.Generator, n: int) -> np.ndarray:
    """A victim number per crime: about REPEAT_VICTIM_SHARE of crimes share their number with at
    least one other crime; every other crime has a number of its own."""
    repeat = np.flatnonzero(rng.random(n) < REPEAT_VICTIM_SHARE)
    rng.shuffle(repeat)
    victims = int(repeat.size / CRIMES_PER_REPEAT_VICTIM)
    number = victims + np.arange(n, dtype=np.int64)
    if victims:
        # Two crimes for each repeat victim first, so none of them is left with one.
        extra = rng.integers(0, victims, repeat.size - 2 * victims)
        owners = np.concatenate([np.arange(victims), np.arange(victims), extra])
        number[repeat[: owners.size]] = owners
    return number


def first_crime(number: np.ndarray) -> np.ndarray:
    """For each crime, the index of its victim's first crime (crimes are in recorded order)."""
    _, first, inverse = np.unique(number, return_index=True, return_inverse=True)
    return first[inverse]


def consistent_victims(
    rng: np.random.Generator, victims: Victims, number: np.ndarray, recorded: np.ndarray
) -> Victims:
    """Victims whose later crimes carry the gender and age of their first one (the age grown by
    the whole years between the two), with offence codes drawn again for those crimes."""
    anchor = first_crime(number)
    later = anchor != np.arange(number.size)
    years = (recorded - recorded[anchor]) // 365
    gender = victims.gender[anchor]
    age = np.minimum(victims.age[anchor] + years, MAX_AGE)
    age_known = victims.age_known[anchor]
    codes = victims.offence_code.copy()
    codes[later] = offence_codes(
        rng, victims.rape[later], gender[later], age[later], age_known[later]
    )
    return dataclasses.replace(
        victims, gender=gender, age=age, age_known=age_known, offence_code=codes
    )


def ethnicities(
    rng: np.random.Generator,
    recorded: np.ndarray,
    number: np.ndarray,
    recorded_share: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """(index into ETHNICITIES, whether recorded) per crime. `recorded_share` is the force's
    completeness at each crime's point in the window; each calendar month adds its own wobble.
    A repeat victim's ethnicity is the same on every crime where it is recorded."""
    month = (recorded.astype("datetime64[D]").astype("datetime64[M]")).astype(np.int64)
    wobble = rng.normal(0, MONTHLY_COMPLETENESS_NOISE, month.max() - month.min() + 1)
    share = np.clip(recorded_share + wobble[month - month.min()], 0.02, 0.98)
    shown = rng.random(recorded.size) < share
    group = rng.choice(len(ETHNICITIES), size=recorded.size, p=ETHNICITY_SHARES)
    return group[first_crime(number)], shown
