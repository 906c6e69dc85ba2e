"""Rank intervals: how far a city's rank moves when the component weights are uncertain.

Why component weights: the OECD's equal two points per component is a convention, not a
measurement, and it is the choice users argue about. Normalisation is not a choice here (points are
already on one scale) and a geometric mean would punish any zero component, which for a points
sum changes the meaning of the index rather than testing it, so neither is varied.

Method: the engine's uncertainty analysis (:func:`civicmeter.indexing.sensitivity.run_uncertainty`,
uncertainty only, no Sobol' design) on the two-level framework of :mod:`.engine`, with the spec
``weights: {perturb: p, levels: [1]}``: in each of ``runs`` replications every component weight
(its maximum points) is multiplied by an independent factor on [1 - p, 1 + p] (scrambled Sobol'
points, i.e. uniform, as COINr's ``get_noisy_weights``), the index is re-aggregated, and cities are
ranked highest first with ties at the minimum rank. Reported: the 5th, 50th and 95th percentiles
of each city's ranks (linear interpolation, R's type 7 as in COINr), so p5-p95 holds the middle 90%
of its replicated ranks. The run is seeded, so the same recipe and answers give the same intervals.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from civicmeter.indexing import rank_min
from civicmeter.indexing.sensitivity import UncertaintySettings, run_uncertainty
from civicmeter.indexing.sensitivity_spec import sensitivity_spec_from_dict
from civicmeter.scoring.engine import engine_recipe, index_data
from civicmeter.scoring.recipe import ScoringRecipe, Uncertainty

#: Scores are rounded before ranking so that cities with equal points tie whatever the order their
#: components were summed in.
RANK_DECIMALS = 12


@dataclass(frozen=True)
class RankIntervals:
    p5: np.ndarray
    median: np.ndarray
    p95: np.ndarray


def describe(uncertainty: Uncertainty) -> str:
    low, high = 1 - uncertainty.perturb, 1 + uncertainty.perturb
    return (
        f"component weights x U[{low:g}, {high:g}], {uncertainty.runs} runs, "
        f"seed {uncertainty.seed}; ranks p5/p95"
    )


def descending_ranks(scores: np.ndarray) -> np.ndarray:
    """Ranks along the last axis, highest score first, ties sharing the minimum rank."""
    rounded = np.round(np.asarray(scores, dtype=float), RANK_DECIMALS)
    return rank_min(-rounded[..., None])[..., 0]


def rank_intervals(recipe: ScoringRecipe, points: pd.DataFrame) -> RankIntervals:
    """Percentiles of each city's rank (rows of ``points``: cities x component codes)."""
    if len(points) < 2:  # one city is always first; the engine needs two units to rank
        ones = np.ones(len(points))
        return RankIntervals(ones, ones, ones)
    u = recipe.uncertainty
    data, engine = index_data(recipe, points), engine_recipe(recipe)
    spec = sensitivity_spec_from_dict(
        {"seed": u.seed, "inputs": {"weights": {"perturb": u.perturb, "levels": [1]}}},
        engine,
        data,
        source=f"{recipe.source} key uncertainty",
    )
    settings = UncertaintySettings(runs=u.runs, seed=u.seed, sensitivity=False)
    result = run_uncertainty(data, engine, spec, settings)
    table = result.rank_intervals.set_index("uCode").loc[[str(c) for c in points.index]]
    return RankIntervals(
        p5=table["p05"].to_numpy(float),
        median=table["median"].to_numpy(float),
        p95=table["p95"].to_numpy(float),
    )
