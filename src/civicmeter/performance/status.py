"""Status rules: how a reported value compares with its target, as the cities that made them do it.

Three named strategies (``RuleName``), each with its parameters stated, never implied:

* ``cityscore`` (Boston's CityScore): the ratio of the value to the target, inverted when lower is
  better; 1 is on target and anything below 1 needs improvement. Boston let ratios above 1 count
  in full (its quarterly mean reached 1.32 in 2016), so there is no cap unless one is set; a cap
  keeps one easy metric from hiding the others in the city score.
* ``louiestat`` (Louisville's LouieStat): meets or beats the goal (green), within ``band`` of it
  (yellow, 10 % in Louisville), further away (red), not enough data (grey).
* ``resultsnola`` (New Orleans' ResultsNOLA): on target, near target (within ``band``), needs
  improvement, no target (while a baseline is being established), not measured yet. New Orleans
  published no numeric threshold for "near"; the band is the programme's choice and shown with it.

Every rule gives "no target" when there is no target and "not measured" when there is no value.
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass

from .indicators import Direction

#: Comparisons at a band's edge forgive float noise (0.9 * 100 is 90.00000000000001).
_EDGE = 1e-9


class Status(enum.StrEnum):
    ON_TARGET = "on_target"
    NEAR_TARGET = "near_target"
    NEEDS_IMPROVEMENT = "needs_improvement"
    NO_TARGET = "no_target"
    NOT_MEASURED = "not_measured"

    @property
    def colour(self) -> str:
        """LouieStat's colours, which the pages use for every rule (with the words beside them)."""
        return {
            Status.ON_TARGET: "green",
            Status.NEAR_TARGET: "yellow",
            Status.NEEDS_IMPROVEMENT: "red",
        }.get(self, "grey")


class RuleName(enum.StrEnum):
    CITYSCORE = "cityscore"
    LOUIESTAT = "louiestat"
    RESULTSNOLA = "resultsnola"


def meets_target(value: float, target: float, direction: Direction) -> bool:
    return value >= target if Direction(direction) is Direction.HIGHER else value <= target


def ratio_to_target(
    value: float, target: float, direction: Direction, cap: float | None = None
) -> float | None:
    """CityScore's metric score: ``value / target``, or ``target / value`` when lower is better.

    None when the ratio is undefined: a target of 0 to exceed, a value of 0 when lower is better
    (nothing to divide by), or a negative value or target (a ratio of signed numbers ranks wrongly).
    ``cap``, when given, is the largest ratio counted.
    """
    if value < 0 or target < 0:
        return None
    numerator, denominator = (value, target) if Direction(direction) is Direction.HIGHER else (target, value)
    if denominator == 0:
        return None
    ratio = numerator / denominator
    return ratio if cap is None else min(ratio, cap)


def shortfall(value: float, target: float, direction: Direction) -> float:
    """How far the value falls short of the target, as a share of the target (0 when it meets it).

    A target of 0 leaves no room: any shortfall is infinite, so only meeting it is near.
    """
    if meets_target(value, target, direction):
        return 0.0
    gap = abs(value - target)
    return math.inf if target == 0 else gap / abs(target)


@dataclass(frozen=True)
class Assessment:
    """The status of one value, with the ratio to target where the rule computes one."""

    status: Status
    ratio: float | None = None


@dataclass(frozen=True)
class StatusRule:
    """A named rule and its parameters: ``band`` for the two band rules, ``cap`` for CityScore."""

    name: RuleName
    band: float | None = None
    cap: float | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", RuleName(self.name))
        banded = self.name is not RuleName.CITYSCORE
        if banded and (self.band is None or not 0 < self.band < 1):
            raise ValueError(
                f"the {self.name} rule needs a band between 0 and 1 (0.1 is 10 %); got {self.band!r}"
            )
        if not banded and self.band is not None:
            raise ValueError("the cityscore rule has no band; it compares the ratio to target with 1")
        if self.cap is not None and (self.name is not RuleName.CITYSCORE or not self.cap >= 1):
            raise ValueError(f"a cap applies to the cityscore rule only and is at least 1; got {self.cap!r}")

    def assess(self, value: float | None, target: float | None, direction: Direction) -> Assessment:
        if target is None:
            return Assessment(Status.NO_TARGET)
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return Assessment(Status.NOT_MEASURED)
        ratio = ratio_to_target(value, target, direction, self.cap)
        if meets_target(value, target, direction):
            return Assessment(Status.ON_TARGET, ratio)
        if self.name is RuleName.CITYSCORE:
            return Assessment(Status.NEEDS_IMPROVEMENT, ratio)
        near = shortfall(value, target, direction) <= self.band + _EDGE
        return Assessment(Status.NEAR_TARGET if near else Status.NEEDS_IMPROVEMENT, ratio)


#: The parameters each named rule has where the city took them from; ResultsNOLA's band is ours.
DEFAULTS = {
    RuleName.CITYSCORE: StatusRule(RuleName.CITYSCORE),
    RuleName.LOUIESTAT: StatusRule(RuleName.LOUIESTAT, band=0.10),
    RuleName.RESULTSNOLA: StatusRule(RuleName.RESULTSNOLA, band=0.10),
}
