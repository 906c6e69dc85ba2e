"""Aggregation: hand-computed means, refusal of non-positive geometric inputs, and laws."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from civicmeter.indexing import (
    AggregateSpec,
    Hierarchy,
    aggregate_level,
    aggregate_tree,
    copeland,
    recipe_from_dict,
    run_pipeline,
)
from civicmeter.indexing.aggregate import (
    NonPositiveValuesError,
    benefit_of_the_doubt,
    mazziotta_pareto,
)

ONE_GROUP = np.ones((3, 1))


def test_arithmetic_drops_missing_and_renormalises_weights():
    x = np.array([[10.0, 20.0, np.nan], [10.0, 20.0, 30.0]])
    w = np.array([1.0, 3.0, 1.0])
    out = aggregate_level(x, w, ONE_GROUP)
    # row 0: (10 + 60) / 4; row 1: (10 + 60 + 30) / 5
    np.testing.assert_allclose(out[:, 0], [17.5, 20.0])


def test_geometric_harmonic_generalised_known_values():
    x = np.array([[1.0, 4.0, 16.0]])
    w = np.ones(3)
    assert aggregate_level(x, w, ONE_GROUP, method="geometric")[0, 0] == pytest.approx(4.0)
    assert aggregate_level(x, w, ONE_GROUP, method="harmonic")[0, 0] == pytest.approx(
        3 / (1 + 0.25 + 1 / 16)
    )
    assert aggregate_level(x, w, ONE_GROUP, method="generalised", p=2.0)[0, 0] == pytest.approx(
        np.sqrt((1 + 16 + 256) / 3)
    )


def test_geometric_refuses_zero_instead_of_nan():
    x = np.array([[0.0, 4.0, 16.0]])
    with pytest.raises(NonPositiveValuesError, match="needs values > 0 but 1 value"):
        aggregate_level(x, np.ones(3), ONE_GROUP, method="geometric")


def test_geometric_with_explicit_shift():
    x = np.array([[0.0, 3.0, 15.0]])
    out = aggregate_level(x, np.ones(3), ONE_GROUP, method="geometric", shift=1.0)
    assert out[0, 0] == pytest.approx(4.0 - 1.0)


def test_min_availability_gives_missing():
    x = np.array([[1.0, np.nan, np.nan], [1.0, 2.0, np.nan]])
    out = aggregate_level(x, np.ones(3), ONE_GROUP, min_availability=0.5)
    assert np.isnan(out[0, 0]) and out[1, 0] == pytest.approx(1.5)


def test_all_children_missing_is_missing():
    out = aggregate_level(np.array([[np.nan, np.nan, np.nan]]), np.ones(3), ONE_GROUP)
    assert np.isnan(out[0, 0])


def _copeland_by_pairs(x: np.ndarray, w: np.ndarray) -> list[int]:
    """COINr's a_copeland written as a direct loop, in exact fractions (no rounding can fake a
    tie): share(i, j) for i < j is the weight share of children where i is higher plus half where
    they tie; share(j, i) = 1 - share(i, j); i wins the pair if its share is above 1/2."""
    weights = [Fraction(float(v)) for v in w]
    total = sum(weights)
    weights = [v / total for v in weights]
    n = x.shape[0]
    share = [[Fraction(0)] * n for _ in range(n)]
    for i in range(n):
        for j in range(i + 1, n):
            s = Fraction(0)
            for k, wk in enumerate(weights):
                if x[i, k] > x[j, k]:
                    s += wk
                elif x[i, k] == x[j, k]:
                    s += wk / 2
            share[i][j], share[j][i] = s, 1 - s
    half = Fraction(1, 2)
    return [
        sum((share[i][j] > half) - (share[i][j] < half) for j in range(n) if j != i)
        for i in range(n)
    ]


def test_copeland_counts_units_outranked_minus_units_outranking():
    x = np.array([[3.0, 1.0], [2.0, 2.0], [1.0, 3.0]])
    # weights 0.75/0.25: unit0 beats unit1 and unit2 on the heavy child (share 0.75 each): +2;
    # unit1 beats unit2 (0.75) and loses to unit0: 0; unit2 loses both: -2
    np.testing.assert_array_equal(copeland(x, np.array([3.0, 1.0])), [2, 0, -2])


def test_copeland_ties_score_zero():
    np.testing.assert_array_equal(copeland(np.array([[1.0], [1.0]]), np.array([1.0])), [0, 0])
    # one child each way with equal weights: the share is exactly one half, a tie
    np.testing.assert_array_equal(
        copeland(np.array([[1.0, 0.0], [0.0, 1.0]]), np.ones(2)), [0, 0]
    )


@pytest.mark.parametrize("pillar", ["Physical", "ConEcFin", "Political", "Instit", "P2P"])
def test_copeland_matches_coinr_definition_on_asem_pillars(asem_result, asem_data, pillar):
    children = list(asem_data.hierarchy.children(pillar))
    x = asem_result["Normalised"][children].to_numpy(dtype=float)
    w = np.array([asem_result.weights[c] for c in children])
    np.testing.assert_array_equal(copeland(x, w), _copeland_by_pairs(x, w))


def test_copeland_index_level_on_asem_matches_the_pair_loop(asem_data):
    recipe = recipe_from_dict(
        {"impute": "mean", "aggregate": {"method": "arithmetic", "levels": {4: {"method": "copeland"}}}}
    )
    result = run_pipeline(asem_data, recipe)
    x = result.scores[["Conn", "Sust"]].to_numpy(dtype=float)
    expected = _copeland_by_pairs(x, np.array([result.weights["Conn"], result.weights["Sust"]]))
    np.testing.assert_array_equal(result.scores["Index"].to_numpy(), expected)
    # every won pair is someone's lost pair: Copeland scores sum to zero
    assert result.scores["Index"].sum() == 0


def test_benefit_of_the_doubt_frontier_units_score_one():
    x = np.array([[1.0, 0.2], [0.2, 1.0], [0.5, 0.5]])
    scores = benefit_of_the_doubt(x)
    assert scores[0] == pytest.approx(1.0) and scores[1] == pytest.approx(1.0)
    # the middle unit is dominated by a mix of the others: best weights (5/6, 5/6) give 5/6
    assert scores[2] == pytest.approx(5 / 6)


def test_benefit_of_the_doubt_share_bounds_bind():
    x = np.array([[1.0, 0.2], [0.2, 1.0], [0.5, 0.5]])
    free = benefit_of_the_doubt(x)
    bounded = benefit_of_the_doubt(x, share_bounds=(0.4, 0.6))
    assert bounded[0] < free[0]


def test_mazziotta_pareto_penalises_imbalance():
    x = np.array([[1.0, 3.0], [2.0, 2.0], [3.0, 1.0], [2.0, 2.0]])
    scores = mazziotta_pareto(x, np.ones(2))
    # z = 100 + 10 (x - 2) / sd_pop with sd_pop = sqrt(0.5): balanced rows score exactly 100
    assert scores[1] == pytest.approx(100.0) and scores[3] == pytest.approx(100.0)
    z = 10 / np.sqrt(0.5)
    m, s = 100.0, z
    assert scores[0] == pytest.approx(m - s * s / m)


def _tree() -> Hierarchy:
    parents = {"a": "P", "b": "P", "c": "Q", "d": "Q", "P": "I", "Q": "I", "I": None}
    return Hierarchy(
        codes=tuple(parents),
        levels={**{c: 1 for c in "abcd"}, "P": 2, "Q": 2, "I": 3},
        parents=parents,
        weights={**{c: 1.0 for c in parents}, "a": 3.0},
        directions={c: 1 for c in parents},
    )


def test_tree_with_per_node_override():
    x = np.array([[10.0, 20.0, 1.0, 4.0]])
    spec = AggregateSpec(nodes={"Q": AggregateSpec(method="geometric")})
    out = aggregate_tree(x, _tree(), spec=spec)
    # P = (30 + 20) / 4 = 12.5; Q = sqrt(4) = 2; I = 7.25
    np.testing.assert_allclose(out[0], [12.5, 2.0, 7.25])


def test_tree_runs_with_their_own_weights():
    tree = _tree()
    x = np.array([[10.0, 20.0, 1.0, 4.0]])
    weights = np.ones((2, len(tree.codes)))
    weights[1, tree.codes.index("b")] = 3.0
    out = aggregate_tree(np.broadcast_to(x, (2, 1, 4)).copy(), tree, weights=weights)
    assert out[0, 0, 0] == pytest.approx(15.0) and out[1, 0, 0] == pytest.approx(17.5)


values = arrays(
    np.float64, st.tuples(st.integers(1, 6), st.integers(2, 5)), elements=st.floats(0, 100)
)


@settings(max_examples=60, deadline=None)
@given(values, st.data())
def test_raising_an_indicator_never_lowers_the_arithmetic_score(x, data):
    n_units, n_children = x.shape
    weights = np.array(
        data.draw(st.lists(st.floats(0.1, 10), min_size=n_children, max_size=n_children))
    )
    unit = data.draw(st.integers(0, n_units - 1))
    child = data.draw(st.integers(0, n_children - 1))
    bump = data.draw(st.floats(0, 50))
    group = np.ones((n_children, 1))
    before = aggregate_level(x, weights, group)[unit, 0]
    raised = x.copy()
    raised[unit, child] += bump
    assert aggregate_level(raised, weights, group)[unit, 0] >= before - 1e-9


@settings(max_examples=60, deadline=None)
@given(
    values,
    st.floats(0.01, 1000),
    st.sampled_from(["arithmetic", "geometric", "harmonic", "generalised"]),
)
def test_scaling_all_weights_changes_nothing(x, factor, method):
    x = x + 1.0
    weights = np.linspace(1, 2, x.shape[1])
    group = np.ones((x.shape[1], 1))
    base = aggregate_level(x, weights, group, method=method, p=2.0)
    scaled = aggregate_level(x, weights * factor, group, method=method, p=2.0)
    np.testing.assert_allclose(base, scaled, rtol=1e-9)
