from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from civicmeter.outcomes import OutcomesError, rescale_to_index


def test_shares_keep_their_meaning_and_reverse_with_direction():
    data = pd.DataFrame(
        {
            "indicator": ["satis_city", "chd_uninsured", "chd_high_school_completion"],
            "value": [0.86, 8.6, 82.2],
            "unit": ["share", "percent", "percent"],
        }
    )
    out = rescale_to_index(data)
    assert out["index_points"].tolist() == pytest.approx([86.0, 91.4, 82.2])
    assert out["value"].tolist() == [0.86, 8.6, 82.2]
    assert set(out["rescale_rule"]) == {"share"}


def test_minmax_within_indicator_and_period_with_direction():
    data = pd.DataFrame(
        {
            "indicator": ["life_expectancy"] * 3 + ["ons_anxiety"] * 3,
            "period": ["2019"] * 3 + ["2021"] * 3,
            "value": [74.0, 78.0, 80.0, 3.0, 2.5, 3.5],
        }
    )
    out = rescale_to_index(data)
    assert out["index_points"].tolist() == pytest.approx([0, 200 / 3, 100, 50, 100, 0])
    assert set(out["rescale_rule"]) == {"minmax"}


def test_constant_values_have_no_minmax_points():
    out = rescale_to_index(pd.DataFrame({"indicator": ["walkability"] * 2, "value": [50.0, 50.0]}))
    assert np.isnan(out["index_points"]).all()


def test_unknown_indicator_is_an_error():
    with pytest.raises(OutcomesError, match=r"indicator 'happiness_index' \(rows 1\)"):
        rescale_to_index(pd.DataFrame({"indicator": ["satis_city", "happiness_index"], "value": [0.5, 3.0]}))


@settings(max_examples=50, deadline=None)
@given(st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=2, max_size=30))
def test_law_minmax_points_span_0_to_100_and_reverse_with_direction(values):
    up = rescale_to_index(pd.DataFrame({"indicator": "life_expectancy", "value": values}))
    down = rescale_to_index(pd.DataFrame({"indicator": "ons_anxiety", "value": values}))
    if max(values) == min(values):
        assert up["index_points"].isna().all()
        return
    assert up["index_points"].between(-1e-9, 100 + 1e-9).all()
    assert up["index_points"].min() == pytest.approx(0) and up["index_points"].max() == pytest.approx(100)
    assert (up["index_points"] + down["index_points"]).to_numpy() == pytest.approx(100)
