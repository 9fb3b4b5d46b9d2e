"""The profile's period: the 12 months ending with a month, and the 12 months before."""

from dataclasses import dataclass

import pandas as pd

MONTHS = 12


def month_start(month: pd.Timestamp | str) -> pd.Timestamp:
    """The first day of the month holding `month`."""
    return pd.Timestamp(month).to_period("M").to_timestamp()


@dataclass(frozen=True)
class Period:
    """Month starts: the period `first`..`last` and the previous 12 months."""

    first: pd.Timestamp
    last: pd.Timestamp
    previous_first: pd.Timestamp
    previous_last: pd.Timestamp

    @property
    def label(self) -> str:
        """ "Dec 2025 to Nov 2026"."""
        return f"{self.first:%b %Y} to {self.last:%b %Y}"

    @property
    def previous_label(self) -> str:
        return f"{self.previous_first:%b %Y} to {self.previous_last:%b %Y}"

    @property
    def end(self) -> pd.Timestamp:
        """The last day of the period."""
        return self.last + pd.offsets.MonthEnd(0)

    def months(self) -> dict[str, object]:
        """The SQL parameters first and last (dates)."""
        return {"first": self.first.date(), "last": self.last.date()}

    def both(self) -> dict[str, object]:
        """The SQL parameters of both periods (dates)."""
        return {
            **self.months(),
            "previous_first": self.previous_first.date(),
            "previous_last": self.previous_last.date(),
        }


def period_ending(last: pd.Timestamp | str) -> Period:
    """The 12 months ending with the month of `last`, and the 12 months before them."""
    last = month_start(last)
    first = last - pd.DateOffset(months=MONTHS - 1)
    return Period(
        first=first,
        last=last,
        previous_first=first - pd.DateOffset(months=MONTHS),
        previous_last=first - pd.DateOffset(months=1),
    )
