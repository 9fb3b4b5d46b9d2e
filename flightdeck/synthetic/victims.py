"""Synthetic victims and offences: who reported what, and when the offence happened.

Everything here is vectorised over one force's crimes and draws only from the generator it is
given, so the same generator state always yields the same victims.
"""

from dataclasses import dataclass

import numpy as np

# Victim gender codes used inside the generator (written out as words or letters later).
FEMALE, MALE, OTHER, UNKNOWN = 0, 1, 2, 3
GENDER_WORDS = ("female", "male", "other", "unknown")
GENDER_LETTERS = ("F", "M", "O", "U")

# Rape is about 35-40 % of police recorded RASSO crime (rape and other sexual offences) in
# England and Wales in recent years (ONS, police recorded crime): a little over one in three.
RAPE_SHARE = 0.37
CHILD_SHARE = 0.40  # a large share of RASSO victims are under 18
AGE_BLANK_SHARE = 0.03
NON_RECENT_SHARE = 0.05
OFFENCE_DATE_BLANK_SHARE = 0.01
FEMALE_SHARE = {True: 0.89, False: 0.80}  # rape: about nine in ten victims female
OTHER_GENDER_SHARE = 0.01
UNKNOWN_GENDER_SHARE = 0.02

# Age bands that decide which offence code fits: under 13, 13-15, 16-17, adult (or unknown).
_UNDER_13, _13_TO_15, _16_TO_17, _ADULT = 0, 1, 2, 3

# Rape codes by victim sex and age band (the code itself says the victim's sex and age).
_RAPE_CODES = {
    (FEMALE, _UNDER_13): "19E",
    (FEMALE, _13_TO_15): "19D",
    (FEMALE, _16_TO_17): "19C",
    (FEMALE, _ADULT): "19C",
    (MALE, _UNDER_13): "19H",
    (MALE, _13_TO_15): "19G",
    (MALE, _16_TO_17): "19F",
    (MALE, _ADULT): "19F",
}

# Other sexual offences that fit each victim sex and age band, with their relative frequency.
_OTHER_CODES = {
    (FEMALE, _UNDER_13): {"20B": 45, "21": 35, "23": 5, "71": 5, "88A": 5, "88E": 5},
    (FEMALE, _13_TO_15): {"20A": 35, "22B": 30, "88A": 10, "71": 10, "23": 5, "88E": 5, "73": 5},
    (FEMALE, _16_TO_17): {"20A": 60, "22A": 10, "71": 10, "73": 10, "88E": 10},
    (FEMALE, _ADULT): {"20A": 70, "22A": 8, "88E": 10, "70": 4, "72": 3, "73": 2, "23": 3},
    (MALE, _UNDER_13): {"17B": 50, "21": 30, "23": 5, "88A": 5, "71": 5, "88E": 5},
    (MALE, _13_TO_15): {"17A": 45, "22B": 30, "88A": 10, "71": 10, "88E": 5},
    (MALE, _16_TO_17): {"17A": 75, "22A": 8, "88E": 12, "70": 3, "73": 2},
    (MALE, _ADULT): {"17A": 75, "22A": 8, "88E": 12, "70": 3, "73": 2},
}

OFFENCE_CODES: tuple[str, ...] = tuple(
    sorted(set(_RAPE_CODES.values()) | {c for w in _OTHER_CODES.values() for c in w})
)
_CODE_INDEX = {code: i for i, code in enumerate(OFFENCE_CODES)}

# Relative frequency of each child age 0..17: most child victims are teenagers.
_CHILD_AGE_WEIGHTS = np.array([1, 1, 2, 3, 4, 5, 5, 6, 6, 7, 8, 9, 11, 14, 16, 15, 13, 11], float)


@dataclass
class Victims:
    rape: np.ndarray  # bool: offence group is rape
    gender: np.ndarray  # FEMALE / MALE / OTHER / UNKNOWN
    age: np.ndarray  # int, meaningless where age_known is False
    age_known: np.ndarray  # bool
    offence_code: np.ndarray  # index into OFFENCE_CODES
    offence_day: np.ndarray  # days since 1970-01-01
    offence_known: np.ndarray  # bool


def victim_ages(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Ages 0-90: about 40 % under 18 (mostly teenagers), adults peaking in their twenties.

    Returns (age, known); about 3 % of ages are unknown.
    """
    child = rng.random(n) < CHILD_SHARE
    child_age = rng.choice(18, size=n, p=_CHILD_AGE_WEIGHTS / _CHILD_AGE_WEIGHTS.sum())
    adult_age = np.minimum(18 + np.floor(rng.gamma(1.5, 11.0, size=n)), 90).astype(np.int64)
    age = np.where(child, child_age, adult_age)
    known = rng.random(n) >= AGE_BLANK_SHARE
    return age, known


def victim_genders(rng: np.random.Generator, rape: np.ndarray) -> np.ndarray:
    """Mostly female (about nine in ten for rape), a few other or unknown."""
    u = rng.random(rape.size)
    female = np.where(rape, FEMALE_SHARE[True], FEMALE_SHARE[False])
    gender = np.full(rape.size, MALE, dtype=np.int8)
    gender[u < female] = FEMALE
    gender[u >= 1 - OTHER_GENDER_SHARE - UNKNOWN_GENDER_SHARE] = UNKNOWN
    gender[u >= 1 - OTHER_GENDER_SHARE] = OTHER
    return gender


def offence_codes(
    rng: np.random.Generator,
    rape: np.ndarray,
    gender: np.ndarray,
    age: np.ndarray,
    age_known: np.ndarray,
) -> np.ndarray:
    """Offence codes (indices into OFFENCE_CODES) that agree with the victim's sex and age.

    Victims of other or unknown gender get female-victim codes four times in five; victims of
    unknown age get adult codes.
    """
    n = rape.size
    code_sex = np.where(gender == MALE, MALE, FEMALE)
    undetermined = (gender == OTHER) | (gender == UNKNOWN)
    code_sex = np.where(undetermined & (rng.random(n) < 0.2), MALE, code_sex)
    band = np.select([age < 13, age < 16, age < 18], [_UNDER_13, _13_TO_15, _16_TO_17], _ADULT)
    band = np.where(age_known, band, _ADULT)
    codes = np.empty(n, dtype=np.int16)
    for (sex, age_band), rape_code in _RAPE_CODES.items():
        codes[rape & (code_sex == sex) & (band == age_band)] = _CODE_INDEX[rape_code]
    for (sex, age_band), weights in _OTHER_CODES.items():
        rows = np.flatnonzero(~rape & (code_sex == sex) & (band == age_band))
        choices = np.array([_CODE_INDEX[c] for c in weights], dtype=np.int16)
        p = np.array(list(weights.values()), float)
        codes[rows] = rng.choice(choices, size=rows.size, p=p / p.sum())
    return codes


def offence_days(rng: np.random.Generator, recorded: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Offence dates on or before the recorded date; about 5 % non-recent (1 to 30 years earlier).

    Recent offences are mostly reported within days. Returns (day, known).
    """
    n = recorded.size
    prompt = rng.random(n) < 0.55
    lag = np.where(prompt, rng.integers(0, 2, n), rng.geometric(1 / 12, n))
    non_recent = rng.random(n) < NON_RECENT_SHARE
    lag = np.where(non_recent, rng.integers(365, 30 * 365, n), lag)
    known = rng.random(n) >= OFFENCE_DATE_BLANK_SHARE
    return recorded - lag, known


def generate_victims(rng: np.random.Generator, recorded: np.ndarray) -> Victims:
    """Victims, offence codes and offence dates for crimes recorded on the given days."""
    n = recorded.size
    rape = rng.random(n) < RAPE_SHARE
    gender = victim_genders(rng, rape)
    age, age_known = victim_ages(rng, n)
    codes = offence_codes(rng, rape, gender, age, age_known)
    offence_day, offence_known = offence_days(rng, recorded)
    return Victims(rape, gender, age, age_known, codes, offence_day, offence_known)
