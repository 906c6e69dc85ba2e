"""Uncertainty analysis on the ASEM fixtures: reproducibility, intervals, and the batched engine."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from civicmeter.indexing.batched import aggregate_runs
from civicmeter.indexing.pipeline import run_pipeline
from civicmeter.indexing.recipe import load_recipe
from civicmeter.indexing.sensitivity import UncertaintySettings, run_uncertainty
from civicmeter.indexing.specs import AggregateSpec
from civicmeter.indexing.tables import read_index_data
from civicmeter.indexing.tree import aggregate_tree
from civicmeter.params import ParameterError

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "asem"
RECIPE = ROOT / "src" / "civicmeter" / "content" / "recipes" / "examples" / "asem.yaml"

SPEC = {
    "seed": 7,
    "inputs": {
        "winsorise_max": {"values": [1, 3, 5]},
        "normalise": {
            "values": [
                {"method": "minmax", "range": [1, 100]},
                {"method": "zscore", "mean": 10, "sd": 2},
            ]
        },
        "weights": {"perturb": 0.25, "levels": [2, 3]},
        "aggregate": {"values": [{"method": "arithmetic"}, {"method": "geometric", "shift": 10}]},
    },
}


@pytest.fixture(scope="module")
def asem():
    data = read_index_data(FIXTURES / "ASEM_iData.csv", FIXTURES / "ASEM_iMeta.csv")
    return data, load_recipe(RECIPE)


def test_same_seed_same_results_and_other_seed_differs(asem):
    data, recipe = asem
    one = run_uncertainty(data, recipe, SPEC, UncertaintySettings(runs=120, n_boot=50))
    two = run_uncertainty(data, recipe, SPEC, UncertaintySettings(runs=120, n_boot=50))
    other = run_uncertainty(data, recipe, SPEC, UncertaintySettings(runs=120, n_boot=50, seed=8))
    np.testing.assert_array_equal(one.ranks, two.ranks)
    assert one.sensitivity.equals(two.sensitivity)
    assert one.runs_table.equals(two.runs_table)
    assert not np.array_equal(one.ranks, other.ranks)
    assert (one.seed, other.seed) == (7, 8)
    assert one.provenance.recipe_version.endswith("uncertainty: 120 runs, seed 7")
    assert other.provenance.recipe_version.endswith("uncertainty: 120 runs, seed 8")
    assert any(s.startswith("sensitivity spec ") and " sha256 " in s for s in one.provenance.sources)


def test_outputs_have_the_promised_shape(asem):
    data, recipe = asem
    result = run_uncertainty(data, recipe, SPEC, UncertaintySettings(runs=128, n_boot=20))
    assert result.n == 126 and result.base == 21  # 128 // (4 + 2) = 21 base rows
    assert list(result.rank_intervals.columns) == [
        "uCode",
        "nominal_score",
        "nominal_rank",
        "median",
        "mean",
        "p05",
        "p95",
    ]
    assert len(result.rank_intervals) == 51
    assert set(result.sensitivity["input"]) == {
        "winsorise_max",
        "normalise",
        "weights",
        "aggregate",
    }
    assert result.sensitivity["target"].iloc[0] == "mean_abs_rank_shift"
    assert len(result.sensitivity) == 4 * 52
    assert list(result.runs_table["block"].unique()) == [
        "A",
        "B",
        "AB:winsorise_max",
        "AB:normalise",
        "AB:weights",
        "AB:aggregate",
    ]
    assert "runs rounded down to 126 = 21 x (4 inputs + 2)" in result.notes


def test_deterministic_spec_reproduces_the_nominal_ranks(asem):
    """Alternatives equal to the recipe's own choices: every run is the nominal build."""
    data, recipe = asem
    spec = {
        "inputs": {
            "winsorise_max": {"values": [5]},
            "aggregate": {"values": [{"method": "arithmetic"}]},
        }
    }
    result = run_uncertainty(data, recipe, spec, UncertaintySettings(runs=16, sensitivity=False))
    table = result.rank_intervals
    assert (table["p05"] <= table["nominal_rank"]).all()
    assert (table["nominal_rank"] <= table["p95"]).all()
    np.testing.assert_array_equal(table["median"], table["nominal_rank"])
    assert (result.runs_table["mean_abs_rank_shift"] == 0).all()


def test_intervals_contain_nominal_rank_for_weight_noise_only(asem):
    data, recipe = asem
    spec = {"seed": 2, "inputs": {"weights": {"perturb": 0.1, "levels": [2]}}}
    result = run_uncertainty(data, recipe, spec, UncertaintySettings(runs=64, sensitivity=False))
    table = result.rank_intervals
    assert (
        (table["p05"] <= table["nominal_rank"] + 1) & (table["nominal_rank"] - 1 <= table["p95"])
    ).all()


def test_a_run_equals_the_full_pipeline_with_its_choices(asem):
    """Cached stages and batched aggregation give what a full rebuild gives."""
    from dataclasses import replace

    data, recipe = asem
    result = run_uncertainty(data, recipe, SPEC, UncertaintySettings(runs=60, n_boot=0))
    row = result.runs_table.iloc[3]
    treat = replace(recipe.treat, winsorise_max=int(row["winsorise_max"]))
    norm = [a for a in SPEC["inputs"]["normalise"]["values"] if _label(a) == row["normalise"]][0]
    agg = [a for a in SPEC["inputs"]["aggregate"]["values"] if _label(a) == row["aggregate"]][0]
    from civicmeter.indexing.recipe import recipe_from_dict

    parts = recipe_from_dict({"normalise": norm, "aggregate": agg})
    variant = replace(recipe, treat=treat, normalise=parts.normalise, aggregate=parts.aggregate)
    weights = {
        c: float(row[f"weight:{c}"]) if f"weight:{c}" in row else w
        for c, w in data.hierarchy.weights.items()
    }
    built = run_pipeline(data, variant)
    expected = aggregate_tree(
        built.stages["Normalised"].to_numpy(),
        data.hierarchy,
        weights=weights,
        spec=variant.aggregate,
    )[:, data.hierarchy.aggregates.index("Index")]
    np.testing.assert_allclose(result.scores[3], expected, rtol=1e-10)


def _label(value):
    import json

    return json.dumps(value, sort_keys=True)


def test_batched_aggregation_equals_aggregate_tree_per_run():
    from civicmeter.indexing.hierarchy import Hierarchy

    parents = {"a": "P", "b": "P", "c": "Q", "d": "Q", "e": "Q", "P": "I", "Q": "I", "I": None}
    levels = {c: 1 for c in "abcde"} | {"P": 2, "Q": 2, "I": 3}
    h = Hierarchy(
        tuple(parents), levels, parents, {c: 1.0 for c in parents}, {c: 1 for c in parents}
    )
    rng = np.random.default_rng(0)
    x = rng.uniform(1, 10, size=(30, 5))
    x[rng.random(x.shape) < 0.1] = np.nan
    weights = rng.uniform(0.5, 1.5, size=(7, len(parents)))
    specs = [
        AggregateSpec(method="arithmetic"),
        AggregateSpec(method="geometric", min_availability=0.6),
        AggregateSpec(method="harmonic", nodes={"P": AggregateSpec(method="generalised", p=3.0)}),
        AggregateSpec(method="arithmetic", levels={3: AggregateSpec(method="copeland")}),
    ]
    for spec in specs:
        batched = aggregate_runs(x, h, weights, spec)
        for r in range(len(weights)):
            single = aggregate_tree(x, h, weights=weights[r], spec=spec)
            np.testing.assert_allclose(batched[r].T, single, rtol=1e-12, equal_nan=True)


def test_too_few_runs_for_a_sensitivity_design(asem):
    data, recipe = asem
    with pytest.raises(ParameterError, match="must be at least 12 for a sensitivity analysis of 4"):
        run_uncertainty(data, recipe, SPEC, UncertaintySettings(runs=11))


def test_settings_are_checked_when_made_naming_the_setting():
    with pytest.raises(ParameterError) as info:
        UncertaintySettings(runs=1)
    assert str(info.value) == (
        "the 'runs' parameter of UncertaintySettings must be an int in [2, inf]; got 1"
    )
    with pytest.raises(ParameterError, match="'alpha' parameter of UncertaintySettings"):
        UncertaintySettings(alpha=1.0)


def test_progress_is_reported_up_to_the_total(asem):
    data, recipe = asem
    seen = []
    run_uncertainty(
        data,
        recipe,
        SPEC,
        UncertaintySettings(runs=30, n_boot=0),
        progress=lambda d, t: seen.append((d, t)),
    )
    assert seen[-1] == (30, 30)


def test_ranks_are_descending_with_ties_at_the_minimum_and_nan_kept():
    from civicmeter.indexing.sensitivity import _rank_rows

    ranks = _rank_rows(np.array([[3.0, 1.0, np.nan, 3.0], [1.0, 2.0, 3.0, 4.0]]))
    np.testing.assert_array_equal(ranks, [[1, 3, np.nan, 1], [4, 3, 2, 1]])
