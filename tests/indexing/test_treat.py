"""Outlier treatment: COINr's own test cases, estimator cross-checks and the treatment log."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps

from civicmeter.indexing import kurtosis, skewness, treat_outliers
from civicmeter.indexing.treat import log_transform, winsorise


@pytest.mark.parametrize(
    "x", [[1, 2, 3, 10.5], list(range(1, 11)) + [30, 100], [5, 1, 7, 2, 2, 9, 40]]
)
def test_type2_estimators_match_scipy_bias_corrected(x):
    assert skewness(np.array(x, float)) == pytest.approx(sps.skew(x, bias=False))
    assert kurtosis(np.array(x, float)) == pytest.approx(sps.kurtosis(x, bias=False))


def test_type2_estimators_equal_scipy_on_many_samples():
    """Proof that the estimators are scipy's bias-corrected ones (NaNs dropped), sample by sample."""
    rng = np.random.default_rng(9)
    for n in (4, 5, 7, 12, 30, 61):
        for _ in range(20):
            x = rng.lognormal(size=n) * rng.choice([1.0, 100.0, 1e-3])
            x[rng.random(n) < 0.1] = np.nan
            kept = x[~np.isnan(x)]
            if kept.size < 4:
                continue
            assert skewness(x) == pytest.approx(sps.skew(kept, bias=False), rel=1e-12, abs=1e-12)
            assert kurtosis(x) == pytest.approx(
                sps.kurtosis(kept, bias=False, fisher=True), rel=1e-12, abs=1e-12
            )


def test_too_few_or_equal_values_have_no_skewness_or_kurtosis():
    assert np.isnan(skewness([1.0, 2.0])) and np.isnan(kurtosis([1.0, 2.0, 3.0]))
    assert np.isnan(skewness([3.0, 3.0, 3.0, 3.0])) and np.isnan(kurtosis([3.0] * 5))
    assert np.isnan(skewness([1.0, np.nan, 2.0, np.nan]))
    assert not np.isnan(skewness([1.0, 2.0, 4.0])) and not np.isnan(kurtosis([1.0, 2.0, 4.0, 9.0]))


def test_missing_values_are_dropped():
    x = np.array([1.0, 2.0, np.nan, 3.0, 10.0])
    assert skewness(x) == pytest.approx(sps.skew([1, 2, 3, 10], bias=False))


def test_single_outlier_is_winsorised_to_next_value():
    # COINr tests/testthat/test-treat.R: c(1:10, 100) -> 100 becomes 10 and then passes
    frame = pd.DataFrame({"x": list(range(1, 11)) + [100]}, index=[f"u{i}" for i in range(11)])
    treated, log = treat_outliers(frame, winsorise_max=5)
    assert treated["x"].iloc[-1] == 10
    assert treated["x"].iloc[:10].tolist() == list(range(1, 11))
    entry = log.iloc[0]
    assert (
        entry["Action"] == "winsorise"
        and entry["Winsorised"] == 1
        and entry["WinsorisedHigh"] == "u10"
    )
    assert entry["TreatedPass"]


def test_still_failing_after_winsorising_goes_to_log_on_original_values():
    x = np.array(list(range(1, 21)) + [100, 200], dtype=float)
    winsorised, high, _ = winsorise(x, winsorise_max=1, skew=2.0, kurt=3.5)
    assert len(high) == 1 and winsorised[-1] == 100
    treated, log = treat_outliers(pd.DataFrame({"x": x}), winsorise_max=1)
    expected = np.log(x - 1 + 0.01 * (200 - 1))
    np.testing.assert_allclose(treated["x"], expected)
    assert log.iloc[0]["Action"].startswith("log")


def test_ties_at_the_extreme_move_together():
    x = np.array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 50, 50, 50], dtype=float)
    winsorised, high, _ = winsorise(x, winsorise_max=5, skew=0.5, kurt=-10)
    assert sorted(high)[:3] == [10, 11, 12]
    assert np.all(winsorised[10:] <= 10)


def test_negative_skew_winsorises_the_low_end():
    x = -np.array(list(range(1, 11)) + [100], dtype=float)
    winsorised, high, low = winsorise(x, winsorise_max=5, skew=2.0, kurt=3.5)
    assert low == [10] and high == [] and winsorised[-1] == -10


def test_log_rules():
    x = np.array([1.0, 2.0, 11.0])
    np.testing.assert_allclose(log_transform(x, "log"), np.log(x - 1 + 0.1))
    np.testing.assert_allclose(log_transform(x, "log_orig"), np.log(x))
    mirrored = -x
    np.testing.assert_allclose(log_transform(mirrored, "log_plus"), -np.log(-1 + 0.1 - mirrored))


def test_fallback_none_keeps_winsorised_values():
    x = np.array(list(range(1, 21)) + [100, 200], dtype=float)
    treated, log = treat_outliers(pd.DataFrame({"x": x}), winsorise_max=1, fallback="none")
    assert treated["x"].iloc[-1] == 100 and log.iloc[0]["Action"] == "winsorise"
    assert not log.iloc[0]["TreatedPass"]


def test_constant_or_tiny_columns_are_left_untreated():
    frame = pd.DataFrame(
        {"flat": [3.0, 3.0, 3.0, 3.0, 3.0], "tiny": [1.0, np.nan, np.nan, np.nan, 9.0]}
    )
    treated, log = treat_outliers(frame)
    pd.testing.assert_frame_equal(treated, frame)
    assert (log["Action"] == "none").all()
