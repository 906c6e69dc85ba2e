"""Sobol' estimators against the Ishigami function, whose indices are known in closed form."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from civicmeter.indexing.sobol import saltelli_design, sobol_indices
from civicmeter.params import ParameterError

A, B = 7.0, 0.1


def ishigami(x: np.ndarray) -> np.ndarray:
    x = (x - 0.5) * 2 * np.pi  # [0, 1) -> [-pi, pi)
    return np.sin(x[:, 0]) + A * np.sin(x[:, 1]) ** 2 + B * x[:, 2] ** 4 * np.sin(x[:, 0])


def ishigami_indices() -> tuple[np.ndarray, np.ndarray]:
    pi = np.pi
    v1 = 0.5 * (1 + B * pi**4 / 5) ** 2
    v2 = A**2 / 8
    v13 = B**2 * pi**8 * (1 / 18 - 1 / 50)
    var = v1 + v2 + v13
    return np.array([v1, v2, 0.0]) / var, np.array([v1 + v13, v2, v13]) / var


@pytest.mark.parametrize(("base", "tolerance"), [(1024, 0.08), (8192, 0.03)])
def test_ishigami_indices_match_analytic_values(base, tolerance):
    design = saltelli_design([1, 1, 1], base, seed=3)
    result = sobol_indices(design, ishigami(design.matrix), n_boot=200, seed=1)
    first, total = ishigami_indices()
    np.testing.assert_allclose(result.first[:, 0], first, atol=tolerance)
    np.testing.assert_allclose(result.total[:, 0], total, atol=tolerance)
    # the bootstrap interval brackets the estimate it is built around
    assert np.all(result.first_ci[0] <= result.first + 1e-12)
    assert np.all(result.total_ci[1] >= result.total - 1e-12)
    assert result.n == base and result.n_boot == 200


def test_group_of_columns_behaves_as_one_input():
    # x1 and x3 interact only with each other, so as a group they explain S1 + S3 + S13.
    design = saltelli_design([2, 1], 4096, seed=5)
    x = design.matrix[:, [0, 2, 1]]  # group 0 = columns (x1, x3), input 1 = x2
    result = sobol_indices(design, ishigami(x), n_boot=0)
    first, total = ishigami_indices()
    assert result.first[0, 0] == pytest.approx(total[0], abs=0.04)
    assert result.first[1, 0] == pytest.approx(first[1], abs=0.04)
    assert np.isnan(result.first_ci[0]).all()


def test_design_layout_swaps_one_block_per_input():
    design = saltelli_design([2, 1], 8, seed=0)
    a, b, ab = design.split(design.matrix)
    np.testing.assert_array_equal(ab[0][:, :2], b[:, :2])
    np.testing.assert_array_equal(ab[0][:, 2], a[:, 2])
    np.testing.assert_array_equal(ab[1][:, 2], b[:, 2])
    assert design.runs == 8 * 4 and design.notes == ()


def test_design_is_reproducible_and_notes_unbalanced_sizes():
    one = saltelli_design([1, 1], 10, seed=9)
    two = saltelli_design([1, 1], 10, seed=9)
    np.testing.assert_array_equal(one.matrix, two.matrix)
    assert "not a power of two" in one.notes[0]


def test_constant_output_gives_nan_indices_and_a_note():
    design = saltelli_design([1, 1], 16, seed=0)
    result = sobol_indices(design, np.ones(design.runs), n_boot=10)
    assert np.isnan(result.first).all() and np.isnan(result.total_ci[0]).all()
    assert "never change" in result.notes[0]


def test_bad_arguments_raise_parameter_error():
    with pytest.raises(ParameterError, match="'base' parameter of saltelli_design"):
        saltelli_design([1], 1, seed=0)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.floats(-3, 3), min_size=2, max_size=4), st.integers(0, 2**16))
def test_additive_model_first_and_total_coincide(coefficients, seed):
    """For a linear model there are no interactions: S_i = ST_i and they sum to about one."""
    design = saltelli_design([1] * len(coefficients), 512, seed=seed)
    y = design.matrix @ np.asarray(coefficients)
    result = sobol_indices(design, y, n_boot=0)
    if np.var(y) < 1e-9:
        return
    np.testing.assert_allclose(result.first[:, 0], result.total[:, 0], atol=0.05)
    assert np.nansum(result.total) == pytest.approx(1.0, abs=0.05)
