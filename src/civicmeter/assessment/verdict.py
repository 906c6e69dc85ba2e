"""A city's verdict from the criteria a reviewer accepted: data-use index, class, practice
sub-scores and tier.

The same rules as :func:`civicmeter.scoring.score_assessments` (one recipe holds the points,
prerequisites, classes, tier bands and gates), without the rank intervals, so the city's page and
its roadmap can say where it stands without a stored scoring run.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from civicmeter.assessment.standard import Standard
from civicmeter.scoring.recipe import DECIMALS


@dataclass(frozen=True)
class PracticeScore:
    code: str
    met: int
    total: int

    @property
    def share(self) -> float:
        return round(self.met / self.total, DECIMALS) if self.total else 0.0


@dataclass(frozen=True)
class Verdict:
    index: float
    max: float
    score_class: str
    tier: str
    practices: tuple[PracticeScore, ...]
    counted: frozenset[str]  # accepted criteria whose prerequisites are accepted too

    @property
    def share(self) -> float:
        return round(self.index / self.max, DECIMALS) if self.max else 0.0


def counted_criteria(standard: Standard, accepted: Iterable[str]) -> frozenset[str]:
    """The accepted criteria that score: those whose prerequisites were accepted too."""
    accepted = set(accepted)
    return frozenset(c.code for c in standard.criteria if c.code in accepted and set(c.requires) <= accepted)


def verdict(standard: Standard, accepted: Iterable[str]) -> Verdict:
    """The verdict of the criteria codes in ``accepted`` (a reviewer's acceptances only)."""
    recipe = standard.recipe
    counted = counted_criteria(standard, accepted)
    points = {item.code: item.points for item in recipe.items}
    practices, component_points = [], {}
    for practice in standard.practices:
        met = [c.code for c in practice.criteria if c.code in counted]
        practices.append(PracticeScore(practice.code, len(met), len(practice.criteria)))
        component_points[practice.code] = sum(points[code] for code in met)
    index = round(sum(component_points.values()), DECIMALS)
    share = round(index / recipe.max, DECIMALS) if recipe.max else 0.0
    return Verdict(
        index=index,
        max=recipe.max,
        score_class=recipe.classify(index),
        tier=recipe.tier(share, component_points),
        practices=tuple(practices),
        counted=counted,
    )
