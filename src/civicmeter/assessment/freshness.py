"""Freshness windows: is a dated record recent enough, given today's date?

``today`` is always passed in (the web passes the local date, tests a frozen one), so a result never
depends on when a test runs.
"""

from __future__ import annotations

import calendar
from datetime import date


def months_before(today: date, months: int) -> date:
    """The same day ``months`` calendar months earlier (clamped to the month's last day)."""
    total = today.year * 12 + today.month - 1 - months
    year, month = divmod(total, 12)
    month += 1
    return date(year, month, min(today.day, calendar.monthrange(year, month)[1]))


def within(dated: date, today: date, months: int) -> bool:
    """Whether ``dated`` falls in the last ``months`` up to and including ``today``."""
    return months_before(today, months) <= dated <= today


def in_future(dated: date, today: date) -> bool:
    return dated > today
