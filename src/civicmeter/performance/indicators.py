"""What a city measures: an indicator with its unit, direction, baseline, target and how often it is
reported, and one reported value of it.

A target is what the indicator's value over one of its periods should reach (a monthly on-time share
of 90 %, a month's average of 3 days to repair a pothole), so values and targets are on one scale.
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass
from datetime import date


class Direction(enum.StrEnum):
    """Whether a larger value is better (on-time share) or worse (days to repair a pothole)."""

    HIGHER = "higher"
    LOWER = "lower"


class Frequency(enum.StrEnum):
    """How often an indicator is reported; also the windows a city score is computed for."""

    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"

    @property
    def length(self) -> int:
        """Ordering by length: a window holds the indicators reported at least as often."""
        return list(Frequency).index(self)


@dataclass(frozen=True)
class Indicator:
    """One measure of a goal. ``target`` and ``baseline`` may be missing: a city sets a baseline
    first and a target once it knows where it stands (LouieStat, ResultsNOLA)."""

    code: str
    name: str
    unit: str
    direction: Direction
    frequency: Frequency
    baseline: float | None = None
    target: float | None = None

    def __post_init__(self) -> None:
        if not self.code or any(c.isspace() for c in self.code):
            raise ValueError(f"an indicator code is short text without spaces; got {self.code!r}")
        object.__setattr__(self, "direction", Direction(self.direction))
        object.__setattr__(self, "frequency", Frequency(self.frequency))
        for name in ("baseline", "target"):
            value = getattr(self, name)
            if value is not None and not math.isfinite(value):
                raise ValueError(f"the {name} of {self.code!r} must be a finite number; got {value!r}")


@dataclass(frozen=True)
class Observation:
    """An indicator's value over the period starting on ``start`` (see ``periods.Period``)."""

    indicator: str
    start: date
    value: float
