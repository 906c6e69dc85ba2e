"""Progress across waves: what changed in a city's index and components between two waves, set
against the uncertainty of its rank, with the actions it completed in between.

Scores move for reasons other than a city's work (other answers, weights a reasonable analyst could
choose differently), which the rank interval of each wave expresses (the 5th to 95th percentile of
the city's rank over the uncertainty runs). When the two intervals overlap, the change in rank is
within the uncertainty; only when they are apart is the city's position clearly different. The
comparison is read in words, with the caveats that apply (a new recipe version, a different set of
cities ranked).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date

from civicmeter.params import InstanceOf, validate_params


@dataclass(frozen=True)
class ComponentScore:
    code: str
    name: str
    points: float
    max: float


@dataclass(frozen=True)
class WaveScore:
    """A city's stored score in one wave: index, components, rank and its 5-95 % interval."""

    wave: str
    index: float
    components: tuple[ComponentScore, ...]
    rank: int
    rank_p5: float
    rank_p95: float
    ranked: int
    recipe_version: str
    closes_on: date | None = None
    answered_on: date | None = None  # when the city's answers were fixed (submitted)

    @property
    def fixed_on(self) -> date | None:
        """When this wave's answers stopped changing: the day they were submitted, or the wave's
        close if that came first (a wave open for years must not stretch the window to its close)."""
        days = [d for d in (self.answered_on, self.closes_on) if d is not None]
        return min(days) if days else None


@dataclass(frozen=True)
class ActionDone:
    title: str
    done_on: date


@dataclass(frozen=True)
class ComponentChange:
    code: str
    name: str
    before: float | None
    after: float | None
    max: float

    @property
    def change(self) -> float | None:
        return None if self.before is None or self.after is None else self.after - self.before


class Verdict(enum.StrEnum):
    """How the rank moved, against the rank intervals (a smaller rank is better)."""

    WITHIN = "within"  # the intervals overlap: within the uncertainty
    BETTER = "better"  # the later interval lies wholly above (better ranks than) the earlier
    WORSE = "worse"


class Caveat(enum.StrEnum):
    RECIPE_CHANGED = "recipe_changed"  # the waves were scored with different recipe versions
    OTHER_CITIES = "other_cities"  # a different number of cities was ranked


@dataclass(frozen=True)
class Progress:
    before: WaveScore
    after: WaveScore
    components: tuple[ComponentChange, ...]
    verdict: Verdict
    caveats: tuple[Caveat, ...]
    actions: tuple[ActionDone, ...]

    @property
    def index_change(self) -> float:
        return self.after.index - self.before.index


def rank_verdict(before: WaveScore, after: WaveScore) -> Verdict:
    """Overlapping rank intervals (touching counts) mean the change is within the uncertainty."""
    if after.rank_p95 < before.rank_p5:
        return Verdict.BETTER
    if after.rank_p5 > before.rank_p95:
        return Verdict.WORSE
    return Verdict.WITHIN


@validate_params(
    {
        "before": [InstanceOf(WaveScore, "a WaveScore")],
        "after": [InstanceOf(WaveScore, "a WaveScore")],
        "actions": [InstanceOf((list, tuple), "a list of ActionDone")],
    }
)
def wave_progress(before: WaveScore, after: WaveScore, actions: list[ActionDone]) -> Progress:
    """The change from ``before`` to ``after``, component by component (in ``after``'s order, then
    components only ``before`` had), with the actions done after ``before``'s answers were fixed and
    by the time ``after``'s were (``fixed_on``; no bound on a side whose date is unknown), oldest first."""
    old = {c.code: c for c in before.components}
    new = {c.code: c for c in after.components}
    order = [*new, *(code for code in old if code not in new)]
    changes = tuple(
        ComponentChange(
            code,
            (new.get(code) or old[code]).name,
            old[code].points if code in old else None,
            new[code].points if code in new else None,
            (new.get(code) or old[code]).max,
        )
        for code in order
    )
    caveats = []
    if before.recipe_version != after.recipe_version:
        caveats.append(Caveat.RECIPE_CHANGED)
    if before.ranked != after.ranked:
        caveats.append(Caveat.OTHER_CITIES)
    done = sorted(
        (a for a in actions if _between(a.done_on, before.fixed_on, after.fixed_on)),
        key=lambda a: (a.done_on, a.title),
    )
    return Progress(before, after, changes, rank_verdict(before, after), tuple(caveats), tuple(done))


def _between(day: date, start: date | None, end: date | None) -> bool:
    return (start is None or day > start) and (end is None or day <= end)
