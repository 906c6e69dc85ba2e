"""Rank intervals under perturbed component weights, and the engine bridge."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from civicmeter.scoring import Uncertainty, index_framework, rank_intervals
from civicmeter.scoring.engine import index_points
from civicmeter.scoring.intervals import descending_ranks

SCORING = Path(__file__).resolve().parents[2] / "src" / "civicmeter" / "scoring"


def test_descending_ranks_share_the_minimum_on_ties():
    assert descending_ranks(np.array([1.0, 3.0, 3.0, 2.0])).tolist() == [4, 1, 1, 3]


def frame(psi, rows) -> pd.DataFrame:
    codes = [c.code for c in psi.components]
    return pd.DataFrame(rows, index=[f"city{k}" for k in range(len(rows))], columns=codes)


def test_intervals_are_seeded_and_ordered(psi):
    rng = np.random.default_rng(0)
    points = frame(psi, rng.integers(0, 5, size=(40, 5)) / 2)
    recipe = replace(psi, uncertainty=Uncertainty(runs=200, seed=7, perturb=0.25))
    first = rank_intervals(recipe, points)
    again = rank_intervals(recipe, points)
    assert np.array_equal(first.p5, again.p5) and np.array_equal(first.p95, again.p95)
    assert np.all(first.p5 <= first.median) and np.all(first.median <= first.p95)
    assert np.all(first.p5 >= 1) and np.all(first.p95 <= 40)
    assert np.any(first.p95 - first.p5 > 0)


def test_a_city_best_on_every_component_is_always_first_and_ties_stay_tied(psi):
    points = frame(psi, [[2, 2, 2, 2, 2], [1, 0, 2, 0, 0], [0, 1, 2, 0, 0], [1, 0, 2, 0, 0]])
    out = rank_intervals(replace(psi, uncertainty=Uncertainty(runs=100, seed=1)), points)
    assert (out.p5[0], out.p95[0]) == (1, 1)
    assert (out.p5[1], out.p95[1]) == (out.p5[3], out.p95[3])
    assert out.p5[1] == 2 and out.p95[2] == 4  # cities 1/2 trade places as weights move


def test_one_city_is_first(psi):
    out = rank_intervals(psi, frame(psi, [[1, 1, 1, 1, 1]]))
    assert (out.p5.tolist(), out.p95.tolist()) == ([1], [1])


def test_the_engine_returns_the_plain_sum(psi):
    points = pd.DataFrame(
        [[2, 1.5, 0.5, 2, 1], [0, 0, 0, 0, 0], [0.5, 0.5, 0.5, 0.5, 0.5]],
        index=["a", "b", "c"],
        columns=[c.code for c in psi.components],
    )
    assert index_points(psi, points).tolist() == [7.0, 0.0, 2.5]
    framework = index_framework(psi)
    assert framework.weights["strategy"] == 2 and framework.top == ("Index",)


def test_scoring_never_imports_django():
    for source in SCORING.rglob("*.py"):
        assert not re.search(r"^\s*(from|import) django", source.read_text(), re.M), source
