"""Reporting periods: a day, an ISO week, a month, a quarter or a year, written the way people
write them ("2024-03-15", "2024-W11", "2024-03", "2024-Q1", "2024") and stored by their first day.

One label per period, so a file exported and imported again says the same thing, and two rows for
the same period are recognised as duplicates whatever way each was written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from .indicators import Frequency

_FORMS = {
    Frequency.DAY: "2024-03-15",
    Frequency.WEEK: "2024-W11",
    Frequency.MONTH: "2024-03",
    Frequency.QUARTER: "2024-Q1",
    Frequency.YEAR: "2024",
}
_WEEK = re.compile(r"(\d{4})-W(\d{2})")
_MONTH = re.compile(r"(\d{4})-(\d{2})")
_QUARTER = re.compile(r"(\d{4})-Q([1-4])")
_YEAR = re.compile(r"\d{4}")


@dataclass(frozen=True, order=True)
class Period:
    start: date
    frequency: Frequency

    def __post_init__(self) -> None:
        object.__setattr__(self, "frequency", Frequency(self.frequency))

    @property
    def end(self) -> date:
        """The period's last day."""
        return period_containing(self.start, self.frequency, following=True).start - timedelta(days=1)

    @property
    def label(self) -> str:
        s, f = self.start, self.frequency
        if f is Frequency.DAY:
            return s.isoformat()
        if f is Frequency.WEEK:
            year, week, _ = s.isocalendar()
            return f"{year}-W{week:02d}"
        if f is Frequency.MONTH:
            return f"{s.year}-{s.month:02d}"
        if f is Frequency.QUARTER:
            return f"{s.year}-Q{(s.month - 1) // 3 + 1}"
        return str(s.year)


def period_containing(day: date, frequency: Frequency, *, following: bool = False) -> Period:
    """The period of ``frequency`` that holds ``day`` (or the one after it)."""
    frequency = Frequency(frequency)
    if frequency is Frequency.DAY:
        start = day + timedelta(days=1 if following else 0)
    elif frequency is Frequency.WEEK:
        start = day - timedelta(days=day.weekday()) + timedelta(weeks=1 if following else 0)
    elif frequency is Frequency.YEAR:
        start = date(day.year + (1 if following else 0), 1, 1)
    else:
        months = 1 if frequency is Frequency.MONTH else 3
        first = (day.month - 1) // months * months + (months if following else 0)
        start = date(day.year + first // 12, first % 12 + 1, 1)
    return Period(start, frequency)


def parse_period(text: str, frequency: Frequency) -> Period:
    """The period ``text`` names for an indicator reported every ``frequency``.

    The frequency's own form is read ("2024-Q1" for a quarter), and so is any ISO date, taken as
    the period that holds it. Raises ``ValueError`` with the expected form otherwise.
    """
    frequency = Frequency(frequency)
    text = text.strip()
    try:
        return period_containing(date.fromisoformat(text), frequency)
    except ValueError:
        pass
    start = _own_form(text, frequency)
    if start is None:
        raise ValueError(
            f"{text!r} is not a {frequency.value}; write it as {_FORMS[frequency]} or as a date (YYYY-MM-DD)"
        )
    return Period(start, frequency)


def _own_form(text: str, frequency: Frequency) -> date | None:
    try:
        if frequency is Frequency.WEEK and (m := _WEEK.fullmatch(text)):
            return date.fromisocalendar(int(m[1]), int(m[2]), 1)
        if frequency is Frequency.MONTH and (m := _MONTH.fullmatch(text)):
            return date(int(m[1]), int(m[2]), 1)
        if frequency is Frequency.QUARTER and (m := _QUARTER.fullmatch(text)):
            return date(int(m[1]), (int(m[2]) - 1) * 3 + 1, 1)
        if frequency is Frequency.YEAR and _YEAR.fullmatch(text):
            return date(int(text), 1, 1)
    except ValueError:  # week 60, month 13
        return None
    return None
