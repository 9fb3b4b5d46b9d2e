"""Synthetic suspect management: what became of civil order applications, referrals to the
Suspect Sexual Risk Pathway (SSRP), and breaches of bail and of granted orders.

Everything is drawn as latent days (NEVER where the event never happens); `case_table` keeps what
had happened by the extract date, as it does for the investigation. All rows of one application
(same suspect, order type and application day) share its outcome, decision day and breach, as the
data contract requires. The third demo force (demo-westbury, which already exports the fewest
optional columns) records none of SUSPECT_MANAGEMENT_COLUMNS: they are absent from its extract.
"""

from dataclasses import dataclass

import numpy as np

from flightdeck.synthetic.investigations import NEVER

SUSPECT_MANAGEMENT_COLUMNS = (
    "civil_order_outcome",
    "civil_order_outcome_date",
    "ssrp_referral_date",
    "bail_breach_date",
    "order_breach_date",
)
ORDER_OUTCOMES = ("granted", "refused", "withdrawn")
ORDER_OUTCOME_SHARES = (0.75, 0.15, 0.10)
DECISION_DAYS = (7, 70)  # the court decides one to ten weeks after the application
ORDER_BREACH_SHARE = 0.12  # granted orders later breached
BAIL_BREACH_SHARE = 0.10  # crimes released on bail whose suspect breaches it before it ends
# Chance a suspect is referred to the SSRP: repeat suspects most, then high-harm crimes
# (rape, or a victim under 16), then the rest.
SSRP_SHARE = {"repeat": 0.40, "high_harm": 0.04, "other": 0.015}
SSRP_ON_EVERY_CRIME = 0.5  # referred suspects whose every crime carries the date, not just one


@dataclass
class SuspectManagement:
    """Latent days (NEVER where the event never happens) and the order outcome of each crime."""

    order_outcome: np.ndarray  # index into ORDER_OUTCOMES, meaningful where order_decided is set
    order_decided: np.ndarray  # day the court decided the application
    order_breach: np.ndarray  # first breach of the granted order
    ssrp_referral: np.ndarray  # the suspect's referral day, on the crimes that carry it
    bail_breach: np.ndarray  # first breach of pre-charge bail


def _lognormal_days(rng: np.random.Generator, median: float, sigma: float, n: int) -> np.ndarray:
    return np.rint(rng.lognormal(np.log(median), sigma, n)).astype(np.int64)


def applications(suspect: np.ndarray, order_type: np.ndarray, order_day: np.ndarray):
    """(number of applications, each crime's application) for crimes with an order day: crimes
    of one suspect with the same order type and application day are one application."""
    key = (suspect.astype(np.int64) << 21 | order_day.astype(np.int64)) << 1 | order_type
    _, which = np.unique(key, return_inverse=True)
    return int(which.max(initial=-1)) + 1, which


def order_decisions(
    rng: np.random.Generator,
    suspect: np.ndarray,
    order_type: np.ndarray,
    order_day: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(outcome, decision day, breach day) per crime, the same on every row of an application.

    Crimes without an application (order_day NEVER) get NEVER days.
    """
    n = order_day.size
    ordered = np.flatnonzero(order_day < NEVER)
    count, which = applications(suspect[ordered], order_type[ordered], order_day[ordered])
    outcome = rng.choice(len(ORDER_OUTCOMES), count, p=ORDER_OUTCOME_SHARES).astype(np.int8)
    lag = rng.integers(DECISION_DAYS[0], DECISION_DAYS[1] + 1, count)
    breached = (outcome == ORDER_OUTCOMES.index("granted")) & (
        rng.random(count) < ORDER_BREACH_SHARE
    )
    breach_lag = 1 + _lognormal_days(rng, 150, 0.9, count)

    outcomes = np.zeros(n, dtype=np.int8)
    decided = np.full(n, NEVER, dtype=np.int64)
    breach = np.full(n, NEVER, dtype=np.int64)
    outcomes[ordered] = outcome[which]
    decided[ordered] = order_day[ordered] + lag[which]
    breach[ordered] = np.where(breached[which], decided[ordered] + breach_lag[which], NEVER)
    return outcomes, decided, breach


def ssrp_referrals(
    rng: np.random.Generator,
    suspect: np.ndarray,
    named: np.ndarray,
    identified: np.ndarray,
    high_harm: np.ndarray,
) -> np.ndarray:
    """The suspect's SSRP referral day on the crimes that carry it (NEVER elsewhere).

    A suspect with two or more crimes is considered at their second crime (in recorded order;
    crimes are sorted by recorded day), anyone else at their only one; the referral follows a few
    weeks after that crime's suspect was identified. Half the referred suspects carry the date on
    every crime, the others on the crime that prompted it only.
    """
    n = suspect.size
    crimes = np.flatnonzero(named)
    by_suspect = crimes[np.argsort(suspect[crimes], kind="stable")]
    _, start, owner, per_suspect = np.unique(
        suspect[by_suspect], return_index=True, return_counts=True, return_inverse=True
    )
    prompt = by_suspect[start + np.minimum(per_suspect - 1, 1)]
    p = np.where(
        per_suspect >= 2,
        SSRP_SHARE["repeat"],
        np.where(high_harm[prompt], SSRP_SHARE["high_harm"], SSRP_SHARE["other"]),
    )
    referred = rng.random(start.size) < p
    day = identified[prompt] + _lognormal_days(rng, 20, 0.8, start.size)
    everywhere = rng.random(start.size) < SSRP_ON_EVERY_CRIME

    carries = referred[owner] & (everywhere[owner] | (by_suspect == prompt[owner]))
    referral = np.full(n, NEVER, dtype=np.int64)
    referral[by_suspect] = np.where(carries, day[owner], NEVER)
    return referral


def bail_breaches(
    rng: np.random.Generator, on_bail: np.ndarray, contact: np.ndarray, bail_ends: np.ndarray
) -> np.ndarray:
    """First breach day of pre-charge bail (NEVER if none): a share of crimes released on bail,
    after first contact and before the bail ends (charge or outcome)."""
    n = contact.size
    breach = contact + 1 + _lognormal_days(rng, 25, 0.8, n)
    breached = on_bail & (rng.random(n) < BAIL_BREACH_SHARE) & (breach < bail_ends)
    return np.where(breached, breach, NEVER)


def suspect_management(
    rng: np.random.Generator,
    *,
    suspect: np.ndarray,
    named: np.ndarray,
    identified: np.ndarray,
    high_harm: np.ndarray,
    order_type: np.ndarray,
    order_day: np.ndarray,
    on_bail: np.ndarray,
    contact: np.ndarray,
    bail_ends: np.ndarray,
) -> SuspectManagement:
    """The latent suspect management events of one force's crimes, all drawn from `rng`."""
    outcome, decided, order_breach = order_decisions(rng, suspect, order_type, order_day)
    referral = ssrp_referrals(rng, suspect, named, identified, high_harm)
    bail_breach = bail_breaches(rng, on_bail, contact, bail_ends)
    return SuspectManagement(outcome, decided, order_breach, referral, bail_breach)
