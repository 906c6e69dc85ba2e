"""Imputation: column, group, row-wise (scaled) and panel-latest, by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from civicmeter.indexing import Hierarchy, impute


@pytest.fixture
def values():
    return pd.DataFrame(
        {"a": [1.0, np.nan, 3.0, 10.0], "b": [0.0, 10.0, np.nan, 20.0]},
        index=["u1", "u2", "u3", "u4"],
    )


def test_column_mean_and_median(values):
    assert impute(values, method="mean").loc["u2", "a"] == pytest.approx(14 / 3)
    assert impute(values, method="median").loc["u3", "b"] == pytest.approx(10.0)


def test_group_mean_and_units_without_group_stay_missing(values):
    groups = pd.Series(["x", "x", "y", None], index=values.index)
    out = impute(values, method="mean_group", groups=groups)
    assert out.loc["u2", "a"] == pytest.approx(1.0)
    assert np.isnan(out.loc["u3", "b"])  # group y has no other b value


def test_row_mean_within_group_after_scaling():
    tree = Hierarchy(
        codes=("a", "b", "P"),
        levels={"a": 1, "b": 1, "P": 2},
        parents={"a": "P", "b": "P", "P": None},
        weights={"a": 1.0, "b": 1.0, "P": 1.0},
        directions={"a": 1, "b": -1, "P": 1},
    )
    frame = pd.DataFrame(
        {"a": [0.0, 10.0, 5.0], "b": [0.0, 100.0, np.nan]}, index=["u1", "u2", "u3"]
    )
    out = impute(frame, method="mean_row", hierarchy=tree, group_level=2)
    # a scaled: 0.5 for u3; b enters with direction -1 so its scaled value is 1 - (b / 100);
    # the imputed scaled b is 0.5, which maps back to b = 50
    assert out.loc["u3", "b"] == pytest.approx(50.0)


def test_latest_takes_most_recent_earlier_value():
    now = pd.DataFrame({"a": [np.nan, 2.0]}, index=["u1", "u2"])
    history = pd.DataFrame(
        {
            "uCode": ["u1", "u1", "u1", "u2"],
            "Time": [2019, 2020, 2021, 2021],
            "a": [5.0, 7.0, np.nan, 2.0],
        }
    )
    assert impute(now, method="latest", history=history).loc["u1", "a"] == 7.0


def test_none_and_nothing_missing_return_copies(values):
    assert impute(values, method="none").isna().sum().sum() == 2
    full = values.fillna(0)
    pd.testing.assert_frame_equal(impute(full, method="median"), full)
