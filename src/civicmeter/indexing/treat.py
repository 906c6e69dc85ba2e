"""Outlier treatment by COINr's two-stage rule: Winsorise, and log-transform if that fails.

An indicator *fails* when ``|skew| >= skew`` AND ``kurtosis >= kurtosis`` (type-2 estimators, NAs
dropped). While it fails, the most extreme value on the side of the skew is replaced by the next
value inward; points tied at the extreme move together, so the count can jump by more than one.
Winsorising stops once the count reaches ``winsorise_max``. If the indicator still fails, the
Winsorised values are discarded and the fallback transform is applied to the *original* values
(COINr ``Treat``, ``combine_treat = FALSE``). Every indicator gets a row in the treatment log saying
what was done.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from civicmeter.indexing import stats
from civicmeter.params import InstanceOf, Interval, Options, validate_params

FALLBACKS = ("log", "log_plus", "log_orig", "none")

TREATMENT_LOG_COLUMNS = (
    "iCode",
    "Skew",
    "Kurtosis",
    "Pass",
    "Action",
    "Winsorised",
    "WinsorisedHigh",
    "WinsorisedLow",
    "TreatedSkew",
    "TreatedKurtosis",
    "TreatedPass",
)


def _passes(x: np.ndarray, skew: float, kurt: float) -> tuple[bool, float, float]:
    s, k = stats.type2_skewness(x), stats.type2_kurtosis(x)
    if np.isnan(s) or np.isnan(k):
        # too few distinct values to judge (COINr returns the indicator untreated)
        return True, s, k
    return bool(abs(s) < skew or k < kurt), s, k


def winsorise(
    x: np.ndarray, *, winsorise_max: int, skew: float, kurt: float
) -> tuple[np.ndarray, list[int], list[int]]:
    """COINr's ``winsorise``: return the values and the positions moved at the high and low ends."""
    x = np.array(x, dtype=float)
    high: list[int] = []
    low: list[int] = []
    passing = _passes(x, skew, kurt)[0]
    count = 0
    while not passing and count < winsorise_max:
        present = ~np.isnan(x)
        if stats.type2_skewness(x) >= 0:
            extreme = np.nanmax(x)
            high = list(np.flatnonzero(present & (x == extreme)))
            rest = x[present & (x != extreme)]
            x[high] = rest.max()
        else:
            extreme = np.nanmin(x)
            low = list(np.flatnonzero(present & (x == extreme)))
            rest = x[present & (x != extreme)]
            x[low] = rest.min()
        count = len(high) + len(low)
        passing = _passes(x, skew, kurt)[0]
    return x, high, low


def log_transform(x: np.ndarray, rule: str) -> np.ndarray:
    """COINr's log rules: ``log`` = log_CT ``log(x - min + 0.01 (max - min))``; ``log_plus`` mirrors
    it for negative skew (``-log(max + a - x)``); ``log_orig`` = ``log(x - min + 1)``."""
    lo, hi = np.nanmin(x), np.nanmax(x)
    a = 0.01 * (hi - lo)
    if rule == "log":
        return np.log(x - lo + a)
    if rule == "log_plus":
        return np.log(x - lo + a) if stats.type2_skewness(x) > 0 else -np.log(hi + a - x)
    return np.log(x - lo + 1.0)


def _treat_column(
    x: np.ndarray, winsorise_max: int, skew: float, kurt: float, fallback: str
) -> tuple[np.ndarray, dict]:
    passing, s0, k0 = _passes(x, skew, kurt)
    entry = {
        "Skew": s0,
        "Kurtosis": k0,
        "Pass": passing,
        "Action": "none",
        "Winsorised": 0,
        "WinsorisedHigh": "",
        "WinsorisedLow": "",
    }
    treated = x
    if not passing:
        winsorised, high, low = winsorise(x, winsorise_max=winsorise_max, skew=skew, kurt=kurt)
        entry.update(
            Winsorised=len(high) + len(low),
            Action="winsorise",
            WinsorisedHigh=high,
            WinsorisedLow=low,
        )
        treated = winsorised
        if not _passes(winsorised, skew, kurt)[0] and fallback != "none":
            treated = log_transform(x, fallback)
            entry.update(
                Action=f"{fallback} (after {len(high) + len(low)} winsorised points failed)",
                Winsorised=0,
                WinsorisedHigh=[],
                WinsorisedLow=[],
            )
    final_pass, s1, k1 = _passes(treated, skew, kurt)
    entry.update(TreatedSkew=s1, TreatedKurtosis=k1, TreatedPass=final_pass)
    return treated, entry


@validate_params(
    {
        "values": [InstanceOf(pd.DataFrame, "a pandas DataFrame of indicator values")],
        "winsorise_max": [Interval(int, 0, None)],
        "skew": [Interval(float, 0, None, closed="neither")],
        "kurtosis": [Interval(float, None, None)],
        "fallback": [Options(FALLBACKS)],
    }
)
def treat_outliers(
    values: pd.DataFrame,
    *,
    winsorise_max: int = 5,
    skew: float = 2.0,
    kurtosis: float = 3.5,
    fallback: str = "log",
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Treat each indicator; return the treated values and the treatment log (a row each)."""
    matrix = values.to_numpy(dtype=float)
    treated = np.empty_like(matrix)
    units = list(values.index)
    rows = []
    for j, code in enumerate(values.columns):
        treated[:, j], entry = _treat_column(matrix[:, j], winsorise_max, skew, kurtosis, fallback)
        entry["WinsorisedHigh"] = " ".join(str(units[i]) for i in entry["WinsorisedHigh"])
        entry["WinsorisedLow"] = " ".join(str(units[i]) for i in entry["WinsorisedLow"])
        rows.append({"iCode": code, **entry})
    frame = pd.DataFrame(treated, index=values.index, columns=values.columns)
    return frame, pd.DataFrame(rows, columns=list(TREATMENT_LOG_COLUMNS))


def untreated_log(values: pd.DataFrame) -> pd.DataFrame:
    """The treatment log when treatment is switched off: statistics only, nothing changed."""
    rows = []
    for code in values.columns:
        s, k = (
            stats.type2_skewness(values[code].to_numpy(float)),
            stats.type2_kurtosis(values[code].to_numpy(float)),
        )
        rows.append(
            {
                "iCode": code,
                "Skew": s,
                "Kurtosis": k,
                "Pass": np.nan,
                "Action": "none (treatment off)",
                "Winsorised": 0,
                "WinsorisedHigh": "",
                "WinsorisedLow": "",
                "TreatedSkew": s,
                "TreatedKurtosis": k,
                "TreatedPass": np.nan,
            }
        )
    return pd.DataFrame(rows, columns=list(TREATMENT_LOG_COLUMNS))
