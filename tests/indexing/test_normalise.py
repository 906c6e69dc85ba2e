"""Normalisation: hand-computed values for every method, and laws checked with hypothesis."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from civicmeter.indexing import normalise_array, rank_min
from civicmeter.indexing.normalise import SPEC_CONSTRAINTS
from civicmeter.indexing.specs import NormaliseSpec
from civicmeter.params import ParameterError, describe_constraints

X = np.array([[1.0], [3.0], [3.0], [np.nan], [5.0]])
UP = np.array([1.0])
DOWN = np.array([-1.0])


def col(values):
    return np.asarray(values, dtype=float).reshape(-1, 1)


def test_minmax_onto_range_ignoring_missing():
    out = normalise_array(X, UP, NormaliseSpec(method="minmax", low=0.0, high=100.0))
    np.testing.assert_allclose(out, col([0, 50, 50, np.nan, 100]))


def test_minmax_negative_direction_flips():
    out = normalise_array(X, DOWN, NormaliseSpec(method="minmax", low=1.0, high=10.0))
    np.testing.assert_allclose(out, col([10, 5.5, 5.5, np.nan, 1]))


def test_zscore_uses_sample_sd():
    # mean 3, sd with n-1: sqrt((4 + 0 + 0 + 4) / 3)
    sd = np.sqrt(8 / 3)
    out = normalise_array(X, UP, NormaliseSpec(method="zscore", mean=10.0, sd=2.0))
    np.testing.assert_allclose(out, col([10 - 2 * 2 / sd, 10, 10, np.nan, 10 + 2 * 2 / sd]))


def test_rank_borda_prank_with_ties_min():
    np.testing.assert_allclose(
        normalise_array(X, UP, NormaliseSpec(method="rank")), col([1, 2, 2, np.nan, 4])
    )
    np.testing.assert_allclose(
        normalise_array(X, UP, NormaliseSpec(method="borda")), col([0, 1, 1, np.nan, 3])
    )
    # four present values: (rank - 1) / 3
    np.testing.assert_allclose(
        normalise_array(X, UP, NormaliseSpec(method="prank")), col([0, 1 / 3, 1 / 3, np.nan, 1])
    )


def test_fracmax_and_dist2max():
    np.testing.assert_allclose(
        normalise_array(X, UP, NormaliseSpec(method="fracmax")), col([0.2, 0.6, 0.6, np.nan, 1])
    )
    np.testing.assert_allclose(
        normalise_array(X, UP, NormaliseSpec(method="dist2max")), col([0, 0.5, 0.5, np.nan, 1])
    )


def test_dist2ref_with_cap():
    # reference row 1 (value 3): 1 - (3 - x) / (3 - 1)
    out = normalise_array(X, UP, NormaliseSpec(method="dist2ref", cap_max=True), reference=1)
    np.testing.assert_allclose(out, col([0, 1, 1, np.nan, 1]))
    uncapped = normalise_array(X, UP, NormaliseSpec(method="dist2ref"), reference=1)
    assert uncapped[4, 0] == pytest.approx(2.0)


def test_dist2targ_positive_and_negative_direction():
    # positive: (x - min) / (target - min) with target 4
    out = normalise_array(X, UP, NormaliseSpec(method="dist2targ", cap_max=True), targets=np.array([4.0]))
    np.testing.assert_allclose(out, col([0, 2 / 3, 2 / 3, np.nan, 1]))
    # negative: x' = -x, target' = -2, min' = -5: (x' + 5) / 3, i.e. (max - x) / (max - target)
    out = normalise_array(X, DOWN, NormaliseSpec(method="dist2targ", cap_max=False), targets=np.array([2.0]))
    np.testing.assert_allclose(out, col([4 / 3, 2 / 3, 2 / 3, np.nan, 0]))


def test_goalposts_truncated_and_scaled():
    posts = np.array([[2.0], [4.0]])
    out = normalise_array(X, UP, NormaliseSpec(method="goalposts", scale=100.0), goalposts=posts)
    np.testing.assert_allclose(out, col([0, 50, 50, np.nan, 100]))
    # negative direction measures from the upper post down to the lower one
    out = normalise_array(
        X, DOWN, NormaliseSpec(method="goalposts", scale=1.0, truncate=False), goalposts=posts
    )
    np.testing.assert_allclose(out, col([1.5, 0.5, 0.5, np.nan, -0.5]))


def test_none_applies_direction_only():
    np.testing.assert_allclose(normalise_array(X, DOWN, NormaliseSpec(method="none")), -X)


def test_batched_runs_equal_separate_runs():
    rng = np.random.default_rng(0)
    stack = rng.normal(size=(4, 7, 3))
    directions = np.array([1.0, -1.0, 1.0])
    for method in ("minmax", "zscore", "rank", "prank"):
        batched = normalise_array(stack, directions, NormaliseSpec(method=method))
        for run in range(4):
            np.testing.assert_allclose(
                batched[run], normalise_array(stack[run], directions, NormaliseSpec(method=method))
            )


finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)
matrices = arrays(np.float64, st.tuples(st.integers(2, 12), st.integers(1, 4)), elements=finite)


@settings(max_examples=60, deadline=None)
@given(matrices, st.floats(-100, 100), st.floats(0.5, 200))
def test_minmax_stays_within_bounds(x, low, width):
    high = low + width
    out = normalise_array(x, np.ones(x.shape[1]), NormaliseSpec(method="minmax", low=low, high=high))
    present = ~np.isnan(out)
    tol = 1e-9 * max(1.0, abs(low), abs(high))
    assert np.all(out[present] >= low - tol) and np.all(out[present] <= high + tol)


@settings(max_examples=60, deadline=None)
@given(
    arrays(
        np.float64,
        st.tuples(st.integers(1, 15), st.integers(1, 3)),
        elements=st.floats(-50, 50, allow_nan=False),
    )
)
def test_ranks_are_min_ranks_and_distinct_values_give_a_permutation(x):
    ranks = rank_min(x)
    for j in range(x.shape[1]):
        for i in range(x.shape[0]):
            assert ranks[i, j] == 1 + np.sum(x[:, j] < x[i, j])
        if len(np.unique(x[:, j])) == x.shape[0]:
            assert sorted(ranks[:, j]) == list(range(1, x.shape[0] + 1))


@settings(max_examples=40, deadline=None)
@given(st.permutations(list(range(9))))
def test_rank_normalisations_permute_with_the_data(order):
    x = np.arange(9, dtype=float).reshape(-1, 1) * 1.5
    shuffled = x[list(order)]
    for method in ("rank", "borda", "prank"):
        base = normalise_array(x, UP, NormaliseSpec(method=method))
        np.testing.assert_allclose(
            normalise_array(shuffled, UP, NormaliseSpec(method=method)), base[list(order)]
        )
    np.testing.assert_allclose(
        np.sort(normalise_array(shuffled, UP, NormaliseSpec(method="rank"))[:, 0]), np.arange(1, 10)
    )


@pytest.mark.parametrize(
    ("field", "value"),
    [
        (field, value)
        for field, allowed in SPEC_CONSTRAINTS.items()
        for value in [object()] + [v for c in allowed for v in c.invalid_examples()]
        if not any(c.is_satisfied_by(value) for c in allowed)
    ],
)
def test_each_option_of_the_spec_is_checked_where_used(field, value):
    """The options moved into ``NormaliseSpec`` keep the standard message naming normalise_array."""
    expected = (
        f"the {field!r} parameter of normalise_array must be "
        f"{describe_constraints(SPEC_CONSTRAINTS[field])}; got {value!r}"
    )
    with pytest.raises(ParameterError) as info:
        normalise_array(X, UP, NormaliseSpec(**{field: value}))
    assert str(info.value) == expected
