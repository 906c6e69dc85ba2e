"""Hand-checked small cases for denomination, screening, group medians and PCA weights."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from civicmeter.indexing import (
    Hierarchy,
    denominate,
    equal_weights,
    impute,
    pca_weights,
    screen_units,
    weight_set,
)


def tree() -> Hierarchy:
    parents = {"a": "P", "b": "P", "c": "P", "P": None}
    return Hierarchy(
        codes=tuple(parents),
        levels={"a": 1, "b": 1, "c": 1, "P": 2},
        parents=parents,
        weights={"a": 1.0, "b": 2.0, "c": 1.0, "P": 1.0},
        directions={c: 1 for c in parents},
    )


def test_denominate_divides_and_zero_gives_missing():
    values = pd.DataFrame({"a": [10.0, 6.0], "b": [1.0, 2.0]}, index=["u1", "u2"])
    denominators = pd.DataFrame({"pop": [5.0, 0.0]}, index=["u1", "u2"])
    out = denominate(values, denominators, {"a": "pop"})
    assert out.loc["u1", "a"] == 2.0 and np.isnan(out.loc["u2", "a"])
    assert out["b"].tolist() == [1.0, 2.0]


def test_screen_keeps_units_at_or_above_threshold():
    values = pd.DataFrame(
        {"a": [1.0, np.nan, 1.0], "b": [1.0, np.nan, np.nan]}, index=["u1", "u2", "u3"]
    )
    kept, report = screen_units(values, min_availability=0.5)
    assert list(kept.index) == ["u1", "u3"]
    assert report["Availability"].tolist() == [1.0, 0.0, 0.5]


def test_median_group():
    values = pd.DataFrame({"a": [1.0, 2.0, 9.0, np.nan, 5.0]}, index=list("vwxyz"))
    groups = pd.Series(["g", "g", "g", "g", "h"], index=values.index)
    assert impute(values, method="median_group", groups=groups).loc["y", "a"] == 2.0


def test_weight_sets_and_equal_weights():
    h = tree()
    assert weight_set(h, {"b": 5})["b"] == 5.0 and weight_set(h, {"b": 5})["a"] == 1.0
    assert set(equal_weights(h).values()) == {1.0}
    assert h.effective_weights()["b"] == pytest.approx(0.5)


def test_pca_weights_are_squared_first_component_loadings():
    rng = np.random.default_rng(3)
    base = rng.normal(size=200)
    scores = pd.DataFrame(
        {
            "a": base + 0.1 * rng.normal(size=200),
            "b": base + 0.1 * rng.normal(size=200),
            "c": rng.normal(size=200),
        }
    )
    weights = pca_weights(tree(), scores)
    corr = np.corrcoef(scores.to_numpy(), rowvar=False)
    _, vectors = np.linalg.eigh(corr)
    expected = vectors[:, -1] ** 2
    assert [weights[c] for c in "abc"] == pytest.approx(list(expected / expected.sum()))
    # the two correlated indicators dominate the first component
    assert weights["a"] > 0.45 and weights["b"] > 0.45 and weights["c"] < 0.1
