"""The city score: the mean of the metric ratios (CityScore's ratio to target) over one window.

For each window of the chosen length (a day, week, month, quarter or year), each indicator's value
over the window is the mean of its values reported for periods starting in it (targets are per
period, so the mean stays on the target's scale), and its ratio is ``ratio_to_target``. An indicator
enters only windows at least as long as its reporting period: a monthly count has no value for one
day. The score is the mean of the ratios; indicators without a target, or whose ratio is undefined
(a zero to divide by), are left out and listed, so the reader sees what the mean stands on.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from statistics import fmean, stdev

from civicmeter.params import NONE, InstanceOf, Interval, Options, validate_params

from .indicators import Direction, Frequency, Indicator, Observation
from .periods import Period, period_containing
from .status import ratio_to_target


@dataclass(frozen=True)
class WindowScore:
    """One window's city score. ``ratios`` maps each indicator counted to its ratio; ``left_out``
    maps each indicator reported in the window but not counted to why ("no target", "undefined")."""

    window: Period
    score: float | None
    ratios: dict[str, float]
    left_out: dict[str, str]

    @property
    def n(self) -> int:
        return len(self.ratios)


NO_TARGET = "no target"
UNDEFINED = "ratio undefined (a zero or negative value or target)"


@validate_params(
    {
        "indicators": [InstanceOf((list, tuple), "a list of Indicator")],
        "observations": [InstanceOf((list, tuple), "a list of Observation")],
        "window": [Options(Frequency)],
        "cap": [NONE, Interval(float, 1, None)],
        "since": [NONE, InstanceOf(date, "a date")],
    }
)
def city_score(
    indicators: list[Indicator],
    observations: list[Observation],
    window: Frequency,
    cap: float | None = None,
    since: date | None = None,
) -> list[WindowScore]:
    """The city score of every ``window`` with a value (oldest first), from ``since`` when given."""
    window = Frequency(window)
    by_code = {i.code: i for i in indicators if i.frequency.length <= window.length}
    values: dict[Period, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for obs in _relevant(observations, by_code, since):
        values[period_containing(obs.start, window)][obs.indicator].append(obs.value)
    scores = []
    for period in sorted(values):
        ratios, left_out = {}, {}
        for code, reported in sorted(values[period].items()):
            indicator = by_code[code]
            if indicator.target is None:
                left_out[code] = NO_TARGET
                continue
            ratio = ratio_to_target(fmean(reported), indicator.target, indicator.direction, cap)
            if ratio is None:
                left_out[code] = UNDEFINED
            else:
                ratios[code] = ratio
        scores.append(WindowScore(period, fmean(ratios.values()) if ratios else None, ratios, left_out))
    return scores


def _relevant(
    observations: Iterable[Observation], by_code: dict, since: date | None
) -> Iterable[Observation]:
    for obs in observations:
        if obs.indicator in by_code and (since is None or obs.start >= since):
            yield obs


def historical_target(values: list[float], direction) -> float | None:
    """Boston's historical target: the past mean, one standard deviation towards worse.

    Boston set some targets this way and was criticised for it: a target a typical period already
    beats keeps the city "above average". Offered to start from, never applied by itself. None
    with fewer than two values (no standard deviation).
    """
    if len(values) < 2:
        return None
    spread = stdev(values)
    return fmean(values) - spread if Direction(direction) is Direction.HIGHER else fmean(values) + spread
