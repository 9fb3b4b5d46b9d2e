"""Synthetic investigations: the full (latent) life of each crime, then what an extract shows.

A crime's investigation is built as a chain of events in date order: suspect identified, first
contact (arrest or voluntary interview), CPS early advice, referral, decision, charge, outcome.
Each event may never happen (`NEVER`). `observe` then keeps only what had happened by the
extract date, which is what makes recent crimes mostly open and older ones mostly finalised.
"""

from dataclasses import dataclass

import numpy as np

from flightdeck.vocabulary import CHARGED_OUTCOMES

NEVER = 10**8  # a day number far beyond any extract date: the event has not happened

OUTCOMES = ("1", "1A", "2", "3", "5", "8", "9", "10", "11", "12", "13", "14", "15", "16", "17")
OUTCOMES += ("18", "20", "21", "22")
_O = {code: i for i, code in enumerate(OUTCOMES)}
CHARGED = tuple(_O[code] for code in CHARGED_OUTCOMES)
# Outcomes after which an arrested, uncharged suspect's DNA may be retained (s63G PACE).
S63G_OUTCOMES = tuple(_O[c] for c in ("9", "10", "12", "13", "15", "16", "17", "20", "21"))

NAMED_SUSPECT_SHARE = 0.70
CHARGE_SHARE_NAMED = {True: 0.075, False: 0.15}  # rape: a few percent of all outcomes charged
# Outcomes other than charge, for crimes with a named suspect (relative weights).
_NAMED_NOT_CHARGED = {
    True: {"16": 42, "15": 30, "9": 3, "10": 2, "21": 5, "20": 4, "11": 1, "5": 0.5, "12": 0.5}
    | {"13": 0.5, "17": 0.2},
    False: {"16": 35, "15": 27, "9": 2, "10": 3, "21": 5, "20": 4, "11": 2, "5": 0.3}
    | {"12": 0.5, "13": 0.5, "17": 0.2, "2": 2, "3": 2, "8": 3, "22": 2},
}
_NO_SUSPECT = {"18": 45, "14": 48, "21": 3, "10": 2, "20": 2}

# Days from the previous event to the outcome where no CPS decision comes first (median).
_FINALISE_MEDIAN = {"16": 90, "15": 200, "18": 45, "14": 70}
_FINALISE_DEFAULT = 150

RELEASE_TYPES = ("bail", "rui", "charged", "nfa", "other")
CONTACT_TYPES = ("arrest", "voluntary_interview")
CPS_DECISIONS = ("charge", "nfa", "further_work")


@dataclass
class Investigations:
    """Latent event days (NEVER where the event never happens) and categories."""

    named: np.ndarray
    outcome: np.ndarray  # index into OUTCOMES
    identified: np.ndarray
    contact: np.ndarray
    contact_type: np.ndarray  # index into CONTACT_TYPES
    release: np.ndarray  # index into RELEASE_TYPES
    early_advice: np.ndarray
    referral: np.ndarray
    further_work: np.ndarray  # day CPS asked for further work (NEVER if it did not)
    decision: np.ndarray  # day of the final CPS decision
    decision_type: np.ndarray  # index into CPS_DECISIONS
    charge: np.ndarray
    finalised: np.ndarray  # outcome day


def _lognormal_days(rng: np.random.Generator, median: float | np.ndarray, sigma: float, n: int):
    return np.rint(rng.lognormal(np.log(median), sigma, n)).astype(np.int64)


def _weighted(rng: np.random.Generator, weights: dict[str, float], n: int) -> np.ndarray:
    codes = np.array([_O[c] for c in weights], dtype=np.int8)
    p = np.array(list(weights.values()), float)
    return rng.choice(codes, size=n, p=p / p.sum())


def outcome_types(
    rng: np.random.Generator, rape: np.ndarray, named: np.ndarray, charge_multiplier: np.ndarray
) -> np.ndarray:
    """The outcome each crime will eventually get (indices into OUTCOMES).

    Crimes with a named suspect are charged with a base probability (7.5 % for rape, 15 % for
    other sexual offences) times `charge_multiplier`; otherwise mostly outcome 16 or 15.
    Crimes without one end mostly as 14 or 18.
    """
    n = rape.size
    p_charge = np.minimum(
        np.where(rape, CHARGE_SHARE_NAMED[True], CHARGE_SHARE_NAMED[False]) * charge_multiplier, 0.6
    )
    charged = named & (rng.random(n) < p_charge)
    charge_code = np.where(rng.random(n) < 0.92, _O["1"], _O["1A"]).astype(np.int8)
    rape_named = _weighted(rng, _NAMED_NOT_CHARGED[True], n)
    other_named = _weighted(rng, _NAMED_NOT_CHARGED[False], n)
    no_suspect = _weighted(rng, _NO_SUSPECT, n)
    outcome = np.where(named, np.where(rape, rape_named, other_named), no_suspect)
    return np.where(charged, charge_code, outcome).astype(np.int8)


def generate_investigations(
    rng: np.random.Generator, recorded: np.ndarray, rape: np.ndarray, charge_multiplier: np.ndarray
) -> Investigations:
    """The latent investigation of each crime, every event on or after the one before it."""
    n = recorded.size
    named = rng.random(n) < NAMED_SUSPECT_SHARE
    outcome = outcome_types(rng, rape, named, charge_multiplier)
    charged = np.isin(outcome, CHARGED)

    # The victim usually names the suspect when reporting; otherwise days or weeks later.
    u = rng.random(n)
    ident_lag = np.where(u < 0.55, 0, rng.integers(1, 8, n))
    ident_lag = np.where(u > 0.8, _lognormal_days(rng, 25, 1.0, n), ident_lag)
    identified = np.where(named, recorded + ident_lag, NEVER)

    p_contact = np.select(
        [charged, outcome == _O["15"], outcome == _O["16"], outcome == _O["9"]],
        [0.95, 0.85, 0.45, 0.9],
        0.6,
    )
    contacted = named & (rng.random(n) < p_contact)
    contact = np.where(contacted, identified + _lognormal_days(rng, 14, 1.0, n), NEVER)
    contact_type = (rng.random(n) >= np.where(charged, 0.75, 0.65)).astype(np.int8)

    p_referral = np.select([charged, outcome == _O["9"], outcome == _O["15"]], [1, 1, 0.2], 0.03)
    p_referral = np.where(outcome == _O["16"], 0.04, p_referral)
    referred = named & (rng.random(n) < p_referral)
    base = np.where(contacted, contact, identified)
    # About one investigation in ten stalls for many months: the aged open backlog.
    stall = np.where(rng.random(n) < 0.1, _lognormal_days(rng, 450, 0.6, n), 0)
    referral = np.where(referred, base + stall + _lognormal_days(rng, 350, 0.6, n), NEVER)
    advised = referred & (rng.random(n) < 0.3)
    early_advice = np.where(advised, base + (referral - base) * rng.uniform(0.2, 0.8, n), NEVER)
    early_advice = np.floor(early_advice).astype(np.int64)

    asked_more = referred & (rng.random(n) < 0.25)
    further_work = np.where(asked_more, referral + _lognormal_days(rng, 35, 0.5, n), NEVER)
    decision_from = np.where(asked_more, further_work, referral)
    decision_lag = _lognormal_days(rng, np.where(asked_more, 60, 40), 0.7, n)
    decision = np.where(referred, decision_from + decision_lag, NEVER)
    decision_type = np.where(charged, 0, 1).astype(np.int8)  # charge, or nfa

    # A few suspects are charged on the day of arrest (remanded): no separate file build-up.
    quick = charged & contacted & (contact_type == 0) & (rng.random(n) < 0.1)
    contact = np.where(quick, identified + _lognormal_days(rng, 3, 1.0, n), contact)
    for events in (referral, decision):
        events[quick] = contact[quick]
    for events in (early_advice, further_work):
        events[quick] = NEVER

    charge = np.where(charged, decision + rng.integers(0, 4, n), NEVER)
    charge = np.where(quick, contact, charge)
    medians = np.full(n, float(_FINALISE_DEFAULT))
    for code, median in _FINALISE_MEDIAN.items():
        medians[outcome == _O[code]] = median
    last_event = np.where(named, np.where(contacted, contact, identified), recorded)
    finalised = last_event + stall + _lognormal_days(rng, medians, 0.8, n)
    finalised = np.where(referred, decision + rng.integers(0, 31, n), finalised)
    late_outcome = np.where(rng.random(n) < 0.8, 0, rng.integers(1, 15, n))
    finalised = np.where(charged, charge + late_outcome, finalised)

    release = release_types(rng, charged, referred, contact_type)
    release = np.where(quick, RELEASE_TYPES.index("charged"), release).astype(np.int8)
    return Investigations(
        named,
        outcome,
        identified,
        contact,
        contact_type,
        release,
        early_advice,
        referral,
        further_work,
        decision,
        decision_type,
        charge,
        finalised,
    )


def release_types(
    rng: np.random.Generator, charged: np.ndarray, referred: np.ndarray, contact_type: np.ndarray
) -> np.ndarray:
    """How the suspect left first contact: RUI more often than bail; bail only after arrest."""
    n = charged.size
    # Columns follow RELEASE_TYPES: bail, rui, charged, nfa, other.
    arrest_going_on = np.array([35, 50, 0, 0, 15], float)
    arrest_dropped = np.array([20, 45, 0, 20, 15], float)
    interview = np.array([0, 60, 0, 15, 25], float)
    going_on = charged | referred
    out = np.where(
        going_on,
        rng.choice(5, n, p=arrest_going_on / arrest_going_on.sum()),
        rng.choice(5, n, p=arrest_dropped / arrest_dropped.sum()),
    )
    return np.where(contact_type == 1, rng.choice(5, n, p=interview / interview.sum()), out)
