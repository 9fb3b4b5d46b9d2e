"""The profile's period: 12 months ending with a month, and the 12 before."""

import pandas as pd

from flightdeck.profile.period import period_ending


def test_twelve_months_ending_with_the_month_given():
    period = period_ending(pd.Timestamp("2026-11-17"))
    assert (period.first, period.last) == (pd.Timestamp("2025-12-01"), pd.Timestamp("2026-11-01"))
    assert (period.previous_first, period.previous_last) == (
        pd.Timestamp("2024-12-01"),
        pd.Timestamp("2025-11-01"),
    )
    assert period.label == "Dec 2025 to Nov 2026"
    assert period.previous_label == "Dec 2024 to Nov 2025"
    assert period.end == pd.Timestamp("2026-11-30")
