"""Sample skewness and kurtosis with the bias-adjusted ("type 2") estimators COINr and Excel use.

The outlier rule compares these against fixed thresholds, so the estimator must be exactly COINr's
(``e1071::skewness(type = 2)`` / ``kurtosis(type = 2)``, excess kurtosis), which is
``scipy.stats.skew`` / ``kurtosis`` with ``bias=False`` (a test checks them sample by sample). NAs
are dropped first. Two guards stay ours because scipy answers differently there: too few values
(scipy returns the uncorrected estimate) and all values equal (no spread, so no shape): both NaN.
"""

from __future__ import annotations

import numpy as np
from scipy import stats as sps

from civicmeter.params import InstanceOf, validate_params


def _shape_input(v: np.ndarray, minimum: int) -> np.ndarray | None:
    """The non-missing values, or None when there are fewer than ``minimum`` or no spread."""
    v = v[~np.isnan(v)]
    if v.size < minimum or np.all(v == v[0]):
        return None
    return v


def type2_skewness(v: np.ndarray) -> float:
    """Unchecked core of :func:`skewness` (NaNs dropped), for inner loops."""
    kept = _shape_input(v, 3)
    return float("nan") if kept is None else float(sps.skew(kept, bias=False))


def type2_kurtosis(v: np.ndarray) -> float:
    """Unchecked core of :func:`kurtosis` (NaNs dropped), for inner loops."""
    kept = _shape_input(v, 4)
    return float("nan") if kept is None else float(sps.kurtosis(kept, bias=False, fisher=True))


@validate_params({"x": [InstanceOf((np.ndarray, list, tuple), "a 1-D array of numbers")]})
def skewness(x: np.ndarray) -> float:
    """Type-2 sample skewness ``G1 = g1 * sqrt(n (n-1)) / (n-2)``; NaN with fewer than 3 values."""
    return type2_skewness(np.asarray(x, dtype=float))


@validate_params({"x": [InstanceOf((np.ndarray, list, tuple), "a 1-D array of numbers")]})
def kurtosis(x: np.ndarray) -> float:
    """Type-2 excess kurtosis ``((n+1)(r-3)+6)(n-1)/((n-2)(n-3))``; NaN below 4 values."""
    return type2_kurtosis(np.asarray(x, dtype=float))
