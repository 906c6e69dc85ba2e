"""Synthetic data-use assessments for the demo: each city's claims and a reviewer's outcomes.

Cities with a cited What Works Cities level (``content/demo/wwc_levels.yaml``) get a share of
accepted criteria inside that level's band; other cities draw around the WWC launch calibration.
Everything drawn here is synthetic; only the cited levels are real.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import yaml

from civicmeter.demo.answers import CONTENT

MET, NOT_MET = "met", "not_met"
ACCEPTED, NEEDS_EVIDENCE, REJECTED = "accepted", "needs_evidence", "not_met"


@functools.lru_cache(maxsize=1)
def wwc_levels() -> dict:
    """The cited WWC levels, their sources and the draw calibration."""
    return yaml.safe_load((CONTENT / "wwc_levels.yaml").read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Criterion:
    """A criterion's question name and the question names of its prerequisites."""

    name: str
    requires: tuple[str, ...] = ()


@dataclass(frozen=True)
class SyntheticAssessment:
    """One city's draw: ``answers`` (claims and evidence links) and review rounds.

    ``reviews`` lists ``(criterion, outcome, round)``; round 1 outcomes were later superseded by a
    round 2 outcome for the same criterion (the review history a resubmission leaves).
    """

    answers: dict[str, str]
    reviews: tuple[tuple[str, str, int], ...]
    level: str | None

    @property
    def accepted(self) -> frozenset[str]:
        latest: dict[str, str] = {}
        for criterion, outcome, _round in sorted(self.reviews, key=lambda r: r[2]):
            latest[criterion] = outcome
        return frozenset(c for c, outcome in latest.items() if outcome == ACCEPTED)


def target_share(rng: np.random.Generator, level: str | None) -> float:
    """The share of criteria to accept for a city at ``level`` (None: not cited)."""
    cal = wwc_levels()["calibration"]
    if level is not None:
        low, high = cal["bands"][level]
        return float(rng.uniform(low, high))
    other = cal["other"]
    a = other["mean"] * other["concentration"]
    b = (1 - other["mean"]) * other["concentration"]
    return float(np.clip(rng.beta(a, b), other["min"], other["max"]))


def _accepted_set(rng: np.random.Generator, criteria: Sequence[Criterion], k: int) -> set[str]:
    """``k`` criteria in random order, each taken only once its prerequisites are taken."""
    order = [criteria[i] for i in rng.permutation(len(criteria))]
    accepted: set[str] = set()
    while len(accepted) < k:
        ready = [c for c in order if c.name not in accepted and set(c.requires) <= accepted]
        accepted.add(ready[0].name)
    return accepted


def synthetic_assessment(
    criteria: Sequence[Criterion], *, city_slug: str, seed: int, level: str | None = None
) -> SyntheticAssessment:
    """Claims and review outcomes for one city, ``level`` giving its cited WWC band if any.

    Accepted criteria always respect prerequisites, so the index equals the accepted count and
    the tier follows the drawn share. A city claims every accepted criterion and over-claims some
    others, which the reviewer sends back for evidence or marks not met.
    """
    rng = np.random.default_rng(seed)
    cal = wwc_levels()["calibration"]
    k = round(target_share(rng, level) * len(criteria))
    accepted = _accepted_set(rng, criteria, k)
    answers: dict[str, str] = {}
    reviews: list[tuple[str, str, int]] = []
    for criterion in criteria:
        name = criterion.name
        if name in accepted:
            claimed = True
            if rng.random() < cal["accepted_after_resubmission"]:
                reviews.append((name, NEEDS_EVIDENCE, 1))
            reviews.append((name, ACCEPTED, 2))
        else:
            claimed = bool(rng.random() < cal["overclaim"])
            if claimed:
                outcome = NEEDS_EVIDENCE if rng.random() < cal["needs_evidence"] else REJECTED
                reviews.append((name, outcome, 2))
        answers[name] = MET if claimed else NOT_MET
        if claimed:
            answers[f"{name}_evidence"] = f"https://example.org/{city_slug}/{name} (synthetic)"
    return SyntheticAssessment(answers, tuple(reviews), level)


def criteria_from(requires: Mapping[str, Sequence[str]]) -> tuple[Criterion, ...]:
    """Criteria from ``{question name: prerequisite question names}`` in the given order."""
    return tuple(Criterion(name, tuple(pre)) for name, pre in requires.items())
