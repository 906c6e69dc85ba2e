"""Sample skewness and kurtosis with the bias-adjusted ("type 2") estimators COINr and Excel use.

The outlier rule compares these against fixed thresholds, so the estimator must be exactly COINr's
(``e1071::skewness(type = 2)`` / ``kurtosis(type = 2)``, excess kurtosis); NAs are dropped first.
"""

from __future__ import annotations

import numpy as np

from civicmeter.params import InstanceOf, validate_params


def type2_skewness(v: np.ndarray) -> float:
    """Unchecked core of :func:`skewness` (NaNs dropped), for inner loops."""
    v = v[~np.isnan(v)]
    n = v.size
    if n < 3:
        return float("nan")
    d = v - v.mean()
    m2 = np.sum(d**2)
    if m2 == 0:
        return float("nan")
    g1 = np.sqrt(n) * np.sum(d**3) / m2**1.5
    return float(g1 * np.sqrt(n * (n - 1)) / (n - 2))


def type2_kurtosis(v: np.ndarray) -> float:
    """Unchecked core of :func:`kurtosis` (NaNs dropped), for inner loops."""
    v = v[~np.isnan(v)]
    n = v.size
    if n < 4:
        return float("nan")
    d = v - v.mean()
    m2 = np.sum(d**2)
    if m2 == 0:
        return float("nan")
    r = n * np.sum(d**4) / m2**2
    return float(((n + 1) * (r - 3) + 6) * (n - 1) / ((n - 2) * (n - 3)))


@validate_params({"x": [InstanceOf((np.ndarray, list, tuple), "a 1-D array of numbers")]})
def skewness(x: np.ndarray) -> float:
    """Type-2 sample skewness ``G1 = g1 * sqrt(n (n-1)) / (n-2)``; NaN with fewer than 3 values."""
    return type2_skewness(np.asarray(x, dtype=float))


@validate_params({"x": [InstanceOf((np.ndarray, list, tuple), "a 1-D array of numbers")]})
def kurtosis(x: np.ndarray) -> float:
    """Type-2 excess kurtosis ``((n+1)(r-3)+6)(n-1)/((n-2)(n-3))``; NaN below 4 values."""
    return type2_kurtosis(np.asarray(x, dtype=float))
