"""The profile's tables with their totals protected, on hand-made figures (N = 4, M = 10)."""

import pandas as pd

from flightdeck.peers.suppression import SuppressionRule
from flightdeck.profile import controlled
from flightdeck.vocabulary import AGE_BANDS, GENDERS

RULE = SuppressionRule()


def test_pyramid_cells_are_protected_with_their_margins():
    #            Female  Male | band
    #   25-34        20    12 |   32
    #   35-44         3    15 |   18
    # The 3 is small; then the 15 (its band), the 20 (Female) and the 12 (the 25-34 band now
    # holding the 20 alone): the margins and the total of 50 stay as the volumes publish them.
    counts = {("25-34", "Female"): 20, ("25-34", "Male"): 12, ("35-44", "Female"): 3,
              ("35-44", "Male"): 15}  # fmt: skip
    frame = pd.DataFrame(
        [(a, g, counts.get((a, g), 0)) for a in AGE_BANDS for g in GENDERS],
        columns=["age_band", "gender", "crimes"],
    )
    safe = controlled.pyramid(frame, RULE)
    assert list(safe.columns) == ["age_band", "gender", "crimes", "crimes_hidden"]
    assert {(a, g) for a, g, _, hidden in safe.itertuples(index=False) if hidden} == set(counts)
    assert set(safe.loc[~safe["crimes_hidden"], "crimes"]) == {0}


def test_volumes_codes_within_their_group_and_the_groups_within_all():
    by_group = pd.DataFrame(
        {"offence_group": ["All", "rape", "other_sexual"], "current": [15, 3, 12],
         "previous": [30, 10, 20]}
    )  # fmt: skip
    by_code = pd.DataFrame(
        {"offence_group": ["rape", "rape", "other_sexual"], "offence_code": ["19C", "19D", "20A"],
         "title": ["t1", "t2", "t3"], "current": [3, 0, 12], "previous": [6, 4, 20]}
    )  # fmt: skip
    groups, codes = controlled.volumes(by_group, by_code, RULE)
    # current: rape 3 small, so other_sexual 12 (All's line), so 20A (other_sexual's line);
    # 19C (3) is small; rape = 19C + 19D keeps both hidden members, 19D's 0 stays.
    assert groups["current"].tolist() == [15, None, None]
    assert codes["current"].tolist() == [None, 0, None]
    # previous: 19D 4 small, so 19C 6 (rape's line); rape 10, All 30 and 20A 20 stay.
    assert groups["previous"].tolist() == [30, 10, 20]
    assert codes["previous"].tolist() == [None, None, 20]
    assert codes.columns.tolist() == [*by_code.columns, "current_hidden", "previous_hidden"]


def test_volumes_with_the_total_hidden_elsewhere():
    by_group = pd.DataFrame(
        {"offence_group": ["All", "rape", "other_sexual"], "current": [30, 10, 20],
         "previous": [0, 0, 0]}
    )  # fmt: skip
    by_code = pd.DataFrame(
        {"offence_group": ["rape", "other_sexual"], "offence_code": ["19C", "20A"],
         "title": ["t1", "t3"], "current": [10, 20], "previous": [0, 0]}
    )  # fmt: skip
    groups, codes = controlled.volumes(by_group, by_code, RULE, all_hidden=True)
    # All hidden: All = rape + other_sexual would give it back, so rape (the smaller) goes,
    # then 19C, the only code of rape, with it.
    assert groups["current"].tolist() == [None, None, 20]
    assert codes["current"].tolist() == [None, 20]


def test_cohort_curves_protect_followed_and_the_outcomes():
    frame = pd.DataFrame(
        {"cohort": [2024, 2024], "day": [0, 30], "crimes": [40, 40], "followed": [40, 38],
         "charged": [0, 2], "any_outcome": [0, 12], "open": [40, 26],
         "charged_share": [0.0, 2 / 38], "outcome_share": [0.0, 12 / 38],
         "open_share": [1.0, 26 / 38], "complete": [True, False]}
    )  # fmt: skip
    safe = controlled.cohort_curves(frame, RULE)
    # day 30: charged 2 is small; the not yet followed (40 - 38 = 2) hides followed 38, and
    # followed = any_outcome + open then hides the any_outcome 12.
    assert safe.loc[1, ["crimes", "followed", "charged", "any_outcome", "open"]].tolist() == [
        40, None, None, None, 26,
    ]  # fmt: skip
    assert safe.loc[1, ["charged_share", "outcome_share", "open_share"]].tolist() == [None] * 3
    assert safe.loc[0, ["followed", "open", "open_share"]].tolist() == [40, 40, 1.0]
