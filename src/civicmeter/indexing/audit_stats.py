"""Per-indicator statistics and the single-indicator flags of an audit.

Why: before aggregating, an index builder needs to see which indicators are sparse, skewed, or
carry almost no information. The table follows COINr's ``get_stats`` (columns, thresholds and the
type-2 skew and kurtosis estimators) so numbers can be checked against COINr on the same data.

Skew and kurtosis are the bias-adjusted "type 2" estimators of :mod:`civicmeter.indexing.stats`
(Joanes & Gill 1998; those SAS, Excel and COINr report; kurtosis is *excess* kurtosis), the same
the outlier treatment tests, so an audit flag and a treatment decision never disagree on a number.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from civicmeter.indexing.stats import kurtosis, skewness
from civicmeter.params import InstanceOf, Interval, validate_params

STAT_COLUMNS = (
    "iCode",
    "n",
    "n_available",
    "availability",
    "min",
    "max",
    "mean",
    "median",
    "sd",
    "skew",
    "kurtosis",
    "n_unique",
    "share_unique",
    "share_zero",
    "share_mode",
)
# Flag names written to flags.csv; each is explained in docs/methodology.md ("Audit").
LOW_AVAILABILITY = "low_availability"
SKEW_KURTOSIS = "skew_kurtosis"
FEW_UNIQUE = "few_unique"
MANY_ZEROS = "many_zeros"
NEAR_CONSTANT = "near_constant"


@validate_params({"data": [InstanceOf(pd.DataFrame, "a pandas DataFrame of numeric indicators")]})
def indicator_stats(data: pd.DataFrame) -> pd.DataFrame:
    """One row of descriptive statistics per column of ``data`` (units in rows).

    Shares of unique, zero and modal values are of the *available* values; ``availability`` is the
    share of rows with a value. ``sd`` uses n - 1, as R and COINr do.
    """
    rows = []
    n = len(data)
    for code in data.columns:
        x = pd.to_numeric(data[code], errors="coerce").to_numpy(dtype=float)
        present = x[~np.isnan(x)]
        k = present.size
        uniques, counts = np.unique(present, return_counts=True)
        rows.append(
            {
                "iCode": code,
                "n": n,
                "n_available": k,
                "availability": k / n if n else float("nan"),
                "min": present.min() if k else np.nan,
                "max": present.max() if k else np.nan,
                "mean": present.mean() if k else np.nan,
                "median": float(np.median(present)) if k else np.nan,
                "sd": present.std(ddof=1) if k > 1 else np.nan,
                "skew": skewness(present),
                "kurtosis": kurtosis(present),
                "n_unique": uniques.size,
                "share_unique": uniques.size / k if k else np.nan,
                "share_zero": float(np.mean(present == 0)) if k else np.nan,
                "share_mode": counts.max() / k if k else np.nan,
            }
        )
    return pd.DataFrame(rows, columns=list(STAT_COLUMNS))


@validate_params(
    {
        "stats": [InstanceOf(pd.DataFrame, "a table from indicator_stats")],
        "t_avail": [Interval(float, 0, 1)],
        "t_skew": [Interval(float, 0, None)],
        "t_kurt": [Interval(float, None, None)],
        "t_unique": [Interval(float, 0, 1)],
        "t_zero": [Interval(float, 0, 1)],
        "t_mode": [Interval(float, 0, 1)],
    }
)
def stat_flags(
    stats: pd.DataFrame,
    *,
    t_avail: float = 0.65,
    t_skew: float = 2.0,
    t_kurt: float = 3.5,
    t_unique: float = 0.5,
    t_zero: float = 0.5,
    t_mode: float = 0.8,
) -> pd.DataFrame:
    """Flags raised by one indicator's statistics: columns ``iCode, flag, detail``.

    Defaults are COINr's ``get_stats`` thresholds: availability below 65%; |skew| > 2 *and*
    kurtosis > 3.5 (strict, as COINr flags; treatment uses >=); unique values under half of the
    available ones; zeros over half. ``near_constant`` (ours) fires when one value holds at least
    ``t_mode`` of the available values or the spread is zero, because such an indicator barely
    discriminates units.
    """
    flags = []
    for row in stats.itertuples(index=False):
        if row.availability < t_avail:
            flags.append(
                (row.iCode, LOW_AVAILABILITY, f"availability {row.availability:.3g} < {t_avail}")
            )
        if abs(row.skew) > t_skew and row.kurtosis > t_kurt:
            flags.append(
                (row.iCode, SKEW_KURTOSIS, f"skew {row.skew:.3g}, kurtosis {row.kurtosis:.3g}")
            )
        if row.share_unique < t_unique:
            flags.append((row.iCode, FEW_UNIQUE, f"{row.n_unique} unique values"))
        if row.share_zero > t_zero:
            flags.append((row.iCode, MANY_ZEROS, f"share of zeros {row.share_zero:.3g} > {t_zero}"))
        if row.share_mode >= t_mode or row.sd == 0:
            flags.append(
                (
                    row.iCode,
                    NEAR_CONSTANT,
                    f"most common value holds {row.share_mode:.3g} of values",
                )
            )
    return pd.DataFrame(flags, columns=["iCode", "flag", "detail"])
