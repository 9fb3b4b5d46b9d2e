"""One force's synthetic case extract as an Arrow table, as the force would export it on a date.

Victims come from `victims` and `victim_details`, investigations from `investigations`; this
module adds victim services (ISVA, Victims' Code, devices), suspect identities and civil orders,
takes suspect management (order outcomes, SSRP referrals, breaches) from `disruption`, then
keeps only what had happened by the extract date (`as_of`).
"""

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from flightdeck.extracts.columns import CASE_COLUMNS
from flightdeck.synthetic.disruption import ORDER_OUTCOMES, suspect_management
from flightdeck.synthetic.investigations import (
    CONTACT_TYPES,
    CPS_DECISIONS,
    NEVER,
    OUTCOMES,
    RELEASE_TYPES,
    S63G_OUTCOMES,
    generate_investigations,
)
from flightdeck.synthetic.victim_details import consistent_victims, ethnicities, victim_numbers
from flightdeck.synthetic.victims import (
    GENDER_LETTERS,
    GENDER_WORDS,
    OFFENCE_CODES,
    generate_victims,
)
from flightdeck.vocabulary import ETHNICITIES

CANCELLED_SHARE = 0.02
REPEAT_SUSPECT_SHARE = 0.12  # named-suspect crimes whose suspect is linked to other crimes
# Keys the victim pseudonyms apart from the crime ids drawn from the same numbers.
_VICTIM_KEY = 0x5EC71D0FA11C
_EPOCH = np.datetime64("1970-01-01", "D")


@dataclass(frozen=True)
class ForceProfile:
    """What makes one synthetic force different from the others."""

    force: str
    index: int  # position among the demo forces: keeps its identifiers apart from the others'
    charge_trend: tuple[float, float] = (1.0, 1.0)  # charge multiplier, first and last month
    isva_within_7: tuple[float, float] = (0.55, 0.55)  # share within 7 days, before/after step
    isva_step_at: float = 0.5  # fraction of the window at which ISVA practice changes
    charge_date_fill: float = 1.0  # share of charged crimes whose charge_date is recorded
    gender_letters: bool = False  # writes F/M/O/U instead of words
    absent_columns: tuple[str, ...] = ()
    ethnicity_recorded: tuple[float, float] = (0.55, 0.55)  # share recorded, first/last month


def mix_ids(values: np.ndarray, key: int, bits: int) -> np.ndarray:
    """A keyed bijection on `bits`-bit integers: distinct inputs give distinct pseudonyms.

    Built from xor, odd multipliers and xor-shifts, each invertible modulo 2**bits.
    """
    mask = np.uint64((1 << bits) - 1)
    x = (values.astype(np.uint64) ^ np.uint64(key)) & mask
    for multiplier, shift in ((0x9E3779B97F4A7C15, bits // 2), (0xC2B2AE3D27D4EB4F, bits // 3)):
        x = (x * np.uint64(multiplier)) & mask
        x ^= x >> np.uint64(shift)
    return x


def hex_ids(prefix: str, values: np.ndarray, digits: int) -> pa.Array:
    """`prefix` + `digits` lower-case hex digits of each value, as an Arrow string array."""
    n = values.size
    as_bytes = values.astype(">u8").view(np.uint8).reshape(n, 8)
    nibbles = np.empty((n, 16), dtype=np.uint8)
    nibbles[:, 0::2] = as_bytes >> 4
    nibbles[:, 1::2] = as_bytes & 15
    text = np.empty((n, digits + 1), dtype=np.uint8)
    text[:, 0] = ord(prefix)
    text[:, 1:] = np.frombuffer(b"0123456789abcdef", np.uint8)[nibbles[:, 16 - digits :]]
    offsets = np.arange(0, (n + 1) * (digits + 1), digits + 1, dtype=np.int32)
    return pa.StringArray.from_buffers(n, pa.py_buffer(offsets), pa.py_buffer(text.tobytes()))


def suspect_numbers(rng: np.random.Generator, n_named: int) -> tuple[np.ndarray, np.ndarray]:
    """A suspect number per named-suspect crime; about 12 % share a suspect with other crimes.

    Repeat suspects come from a small pool, skewed so that a few are linked to many crimes.
    Returns (number, is_repeat).
    """
    pool = max(1, n_named // 40)
    repeat = rng.random(n_named) < REPEAT_SUSPECT_SHARE
    pooled = np.floor(pool * rng.random(n_named) ** 2).astype(np.int64)
    return np.where(repeat, pooled, pool + np.arange(n_named)), repeat


def _dates(days: np.ndarray, shown: np.ndarray) -> pa.Array:
    return pa.array(_EPOCH + days.astype("timedelta64[D]"), mask=~shown, type=pa.date32())


def _text(labels: tuple[str, ...], index: np.ndarray, shown: np.ndarray) -> pa.Array:
    return pa.array(labels).take(pa.array(index.astype(np.int32), mask=~shown))


def _lognormal_days(rng: np.random.Generator, median: float, sigma: float, n: int) -> np.ndarray:
    return np.rint(rng.lognormal(np.log(median), sigma, n)).astype(np.int64)


def _victim_services(rng: np.random.Generator, recorded: np.ndarray, isva_7: np.ndarray, rape):
    """ISVA referral, Victims' Code assessment and device seizure/return days (NEVER if none)."""
    n = recorded.size
    soon = rng.integers(0, 8, n)
    later = 8 + _lognormal_days(rng, 20, 0.8, n)
    isva_lag = np.where(rng.random(n) < isva_7, soon, later)
    isva = np.where(rng.random(n) < 0.65, recorded + isva_lag, NEVER)
    vcop_lag = np.where(
        rng.random(n) < 0.6, rng.integers(0, 6, n), 6 + _lognormal_days(rng, 10, 0.8, n)
    )
    vcop = np.where(rng.random(n) < 0.8, recorded + vcop_lag, NEVER)
    seized_lag = np.where(
        rng.random(n) < 0.6, rng.integers(0, 3, n), _lognormal_days(rng, 10, 0.8, n)
    )
    seized = np.where(rng.random(n) < np.where(rape, 0.4, 0.22), recorded + seized_lag, NEVER)
    kept = np.where(rng.random(n) < 0.12, rng.integers(0, 2, n), _lognormal_days(rng, 90, 0.8, n))
    returned = np.where((seized < NEVER) & (rng.random(n) < 0.85), seized + kept, NEVER)
    return isva, vcop, seized, returned


def case_table(
    rng: np.random.Generator,
    profile: ForceProfile,
    recorded: np.ndarray,
    window_share: np.ndarray,
    as_of: int,
    id_key: int,
    identity_rng: np.random.Generator | None = None,
    management_rng: np.random.Generator | None = None,
) -> pa.Table:
    """The force's extract as at day `as_of` for crimes recorded on `recorded` (days, sorted).

    `window_share` is each crime's position in the generated window (0 = first month, 1 = last):
    the force's trends (charge rate, ISVA practice, ethnicity recording) follow it.
    `identity_rng` draws the repeat victims and their ethnicity, `management_rng` the suspect
    management events (civil order outcomes, SSRP referrals, breaches); both default to `rng`.
    """
    n = recorded.size
    identity_rng = identity_rng or rng
    victim = victim_numbers(identity_rng, n)
    victims = consistent_victims(identity_rng, generate_victims(rng, recorded), victim, recorded)
    low_e, high_e = profile.ethnicity_recorded
    ethnicity, ethnicity_shown = ethnicities(
        identity_rng, recorded, victim, low_e + (high_e - low_e) * window_share
    )
    low, high = profile.charge_trend
    inv = generate_investigations(rng, recorded, victims.rape, low + (high - low) * window_share)
    before, after = profile.isva_within_7
    isva_7 = np.where(window_share < profile.isva_step_at, before, after)
    isva, vcop, seized, returned = _victim_services(rng, recorded, isva_7, victims.rape)

    numbers, repeat = suspect_numbers(rng, int(inv.named.sum()))
    suspect = np.zeros(n, dtype=np.int64)
    suspect[inv.named] = numbers
    repeat_crime = np.zeros(n, dtype=bool)
    repeat_crime[inv.named] = repeat
    p_order = np.where(repeat_crime, 0.15, 0.015)
    ordered = inv.named & (rng.random(n) < p_order)
    order_day = np.where(ordered, inv.identified + _lognormal_days(rng, 150, 0.8, n), NEVER)
    order_type = (rng.random(n) < 0.4).astype(np.int8)  # SHPO, or SRO

    cancelled = rng.random(n) < CANCELLED_SHARE
    live = ~cancelled  # a cancelled crime keeps its early record but no later decisions

    def happened(days: np.ndarray) -> np.ndarray:
        return days <= as_of

    suspect_shown = inv.named & happened(inv.identified)
    contact_shown = happened(inv.contact)
    final_shown = live & happened(inv.decision)
    further_shown = live & ~final_shown & happened(inv.further_work)
    decision_day = np.where(final_shown, inv.decision, inv.further_work)
    decision_type = np.where(final_shown, inv.decision_type, CPS_DECISIONS.index("further_work"))
    outcome_shown = live & happened(inv.finalised)
    charged_shown = outcome_shown & (inv.charge < NEVER)
    charge_shown = charged_shown & (rng.random(n) < profile.charge_date_fill)
    s63g_considered = (
        outcome_shown
        & contact_shown
        & (inv.contact_type == 0)
        & np.isin(inv.outcome, S63G_OUTCOMES)
    )
    s63g = rng.random(n) < 0.35
    order_shown = live & happened(order_day)
    managed = suspect_management(
        management_rng or rng,
        suspect=suspect,
        named=inv.named,
        identified=inv.identified,
        high_harm=victims.rape | (victims.age_known & (victims.age < 16)),
        order_type=order_type,
        order_day=order_day,
        on_bail=contact_shown & (inv.release == RELEASE_TYPES.index("bail")),
        contact=inv.contact,
        bail_ends=np.minimum(inv.charge, inv.finalised),
    )
    decided_shown = order_shown & happened(managed.order_decided)
    order_breach_shown = decided_shown & happened(managed.order_breach)
    ssrp_shown = live & suspect_shown & happened(managed.ssrp_referral)

    genders = GENDER_LETTERS if profile.gender_letters else GENDER_WORDS
    columns = {
        "force": pa.array([profile.force]).take(pa.array(np.zeros(n, dtype=np.int32))),
        "crime_id": hex_ids("C", mix_ids((profile.index << 40) + np.arange(n), id_key, 48), 12),
        "recorded_date": _dates(recorded, np.ones(n, dtype=bool)),
        "offence_code": _text(OFFENCE_CODES, victims.offence_code, np.ones(n, dtype=bool)),
        "victim_age": pa.array(victims.age, mask=~victims.age_known, type=pa.int16()),
        "victim_gender": _text(genders, victims.gender, np.ones(n, dtype=bool)),
        "cancelled": pa.array(cancelled),
        "offence_date": _dates(victims.offence_day, victims.offence_known),
        "suspect_id": _suspect_ids(profile, suspect, suspect_shown, id_key),
        "suspect_identified_date": _dates(inv.identified, suspect_shown),
        "first_contact_date": _dates(inv.contact, contact_shown),
        "first_contact_type": _text(CONTACT_TYPES, inv.contact_type, contact_shown),
        "release_type": _text(RELEASE_TYPES, inv.release, contact_shown),
        "cps_early_advice_date": _dates(inv.early_advice, live & happened(inv.early_advice)),
        "cps_referral_date": _dates(inv.referral, live & happened(inv.referral)),
        "cps_decision": _text(CPS_DECISIONS, decision_type, final_shown | further_shown),
        "cps_decision_date": _dates(decision_day, final_shown | further_shown),
        "charge_date": _dates(inv.charge, charge_shown),
        "outcome_type": _text(OUTCOMES, inv.outcome, outcome_shown),
        "outcome_date": _dates(inv.finalised, outcome_shown),
        "isva_referral_date": _dates(isva, happened(isva)),
        "vcop_assessment_date": _dates(vcop, happened(vcop)),
        "device_seized_date": _dates(seized, happened(seized)),
        "device_returned_date": _dates(returned, happened(returned)),
        "s63g_application": pa.array(s63g, mask=~s63g_considered),
        "civil_order_type": _text(("SHPO", "SRO"), order_type, order_shown),
        "civil_order_date": _dates(order_day, order_shown),
        "civil_order_outcome": _text(ORDER_OUTCOMES, managed.order_outcome, decided_shown),
        "civil_order_outcome_date": _dates(managed.order_decided, decided_shown),
        "ssrp_referral_date": _dates(managed.ssrp_referral, ssrp_shown),
        "bail_breach_date": _dates(managed.bail_breach, live & happened(managed.bail_breach)),
        "order_breach_date": _dates(managed.order_breach, order_breach_shown),
        "victim_id": hex_ids(
            "V", mix_ids((profile.index << 40) + victim, id_key ^ _VICTIM_KEY, 48), 12
        ),
        "victim_ethnicity": _text(ETHNICITIES, ethnicity, ethnicity_shown),
    }
    return pa.table({c: columns[c] for c in CASE_COLUMNS if c not in profile.absent_columns})


def _suspect_ids(profile: ForceProfile, number: np.ndarray, shown: np.ndarray, key: int):
    ids = hex_ids("S", mix_ids((profile.index << 32) + number, key, 40), 10)
    return pc.if_else(pa.array(shown), ids, pa.scalar(None, pa.string()))
