"""Rank intervals: how far a city's rank moves when the component weights are uncertain.

Why component weights: the OECD's equal two points per component is a convention, not a
measurement, and it is the choice users argue about. Normalisation is not a choice here (points are
already on one scale) and a geometric mean would punish any zero component, which for a points
sum changes the meaning of the index rather than testing it, so neither is varied.

Method (COINr's ``get_noisy_weights`` + ``get_sensitivity`` for ranks): ``runs`` replications; in
each, every component weight (its maximum points) is multiplied by an independent factor uniform on
[1 - perturb, 1 + perturb]; the index share is the weighted mean of component shares, the same
formula as the engine's arithmetic aggregation; cities are ranked highest first with ties sharing
the minimum rank. Reported: the 5th, 50th and 95th percentiles of each city's ranks (linear
interpolation, R's type 7 as in COINr), so p5-p95 holds the middle 90% of its replicated ranks. The
generator is seeded, so the same recipe and answers always give the same intervals.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from civicmeter.indexing import rank_min
from civicmeter.scoring.recipe import Uncertainty

#: Scores are rounded before ranking so that cities with equal points tie in every replication
#: whatever the order their components were summed in.
RANK_DECIMALS = 12


@dataclass(frozen=True)
class RankIntervals:
    p5: np.ndarray
    median: np.ndarray
    p95: np.ndarray


def describe(uncertainty: Uncertainty) -> str:
    return (
        f"component weights x U[{1 - uncertainty.perturb:g}, {1 + uncertainty.perturb:g}], "
        f"{uncertainty.runs} runs, seed {uncertainty.seed}; ranks p5/p95"
    )


def descending_ranks(scores: np.ndarray) -> np.ndarray:
    """Ranks along the last axis, highest score first, ties sharing the minimum rank."""
    rounded = np.round(np.asarray(scores, dtype=float), RANK_DECIMALS)
    return rank_min(-rounded[..., None])[..., 0]


def rank_intervals(
    shares: np.ndarray, weights: np.ndarray, uncertainty: Uncertainty
) -> RankIntervals:
    """Percentiles of each unit's rank; ``shares`` is (units, components)."""
    shares = np.asarray(shares, dtype=float)
    rng = np.random.default_rng(uncertainty.seed)
    p = uncertainty.perturb
    noisy = np.asarray(weights, dtype=float) * rng.uniform(
        1 - p, 1 + p, size=(uncertainty.runs, shares.shape[1])
    )
    scores = (noisy @ shares.T) / noisy.sum(axis=1, keepdims=True)  # (runs, units)
    ranks = descending_ranks(scores)
    p5, median, p95 = np.percentile(ranks, [5, 50, 95], axis=0)
    return RankIntervals(p5=p5, median=median, p95=p95)
