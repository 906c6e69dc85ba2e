"""Weighted means and shares per group with design-based (linearisation) standard errors.

Everything here works on small tables of per-group sums (see :func:`cell_estimates`), so reducing
ten million respondents to a thousand city figures costs three ``np.bincount`` passes over the rows
and no Python loop over rows.

Estimator. For group g with valid respondents i, weights w_i (1 when unweighted) and values y_i
(the item score for a mean; 0/1 for a share), the estimate is the ratio (Hajek) mean

    y_hat = sum(w_i * y_i) / W,   W = sum(w_i).

Variance. y_hat is a ratio of two totals; its Taylor linearisation gives the residuals
z_i = w_i * (y_i - y_hat) / W, and treating respondents as drawn with replacement from one stratum
(no clusters or strata are known for resident surveys) the variance estimate is

    v(y_hat) = n / (n - 1) * sum(z_i ** 2).

This is the estimator R's ``survey::svymean`` uses for ``svydesign(ids=~1, weights=~w)``
(Lumley 2010, *Complex Surveys*, ch. 2; Sarndal, Swensson & Wretman 1992, *Model Assisted Survey
Sampling*, sec. 5.6; Wolter 2007, *Introduction to Variance Estimation*, ch. 6). With equal weights
it reduces to s^2 / n, the textbook variance of a sample mean; it also equals the HC1 sandwich
variance of an intercept-only weighted least-squares fit, which the tests use as a reference.

Effective sample size is Kish's n_eff = W^2 / sum(w_i^2) (Kish 1965, *Survey Sampling*, 8.7).

Intervals (``alpha`` two-sided):
* means: y_hat -+ t(1 - alpha/2, n - 1) * se;
* shares, ``interval=``:
  - ``"wilson"`` (default): Wilson score interval using n_eff in place of n (Wilson 1927; Brown,
    Cai & DasGupta 2001 recommend it; with weights this is the effective-sample-size Wilson
    interval studied by Dean & Pagano 2015). Stays inside [0, 1] and behaves near 0 and 1.
  - ``"logit"``: symmetric on the log-odds scale, logit(p) -+ z * se / (p (1 - p)), as
    ``survey::svyciprop(method = "logit")``; undefined when p is 0 or 1 (bounds then NaN).
  - ``"wald"``: p -+ z * se; kept for comparison with publishers who use it, poor near 0 and 1.
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import NormalDist

import numpy as np

from civicmeter.params import NONE, InstanceOf, Interval, Options, validate_params

SHARE_INTERVALS = ("wilson", "logit", "wald")


@dataclass(frozen=True)
class GroupEstimates:
    """Per-group arrays, all of length ``n_groups``; NaN where a group has too few respondents."""

    n: np.ndarray
    n_eff: np.ndarray
    estimate: np.ndarray
    se: np.ndarray
    ci_lower: np.ndarray
    ci_upper: np.ndarray


def _wilson(p: np.ndarray, n: np.ndarray, z: float) -> tuple[np.ndarray, np.ndarray]:
    denom = 1 + z**2 / n
    centre = (p + z**2 / (2 * n)) / denom
    half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / denom
    return np.clip(centre - half, 0, 1), np.clip(centre + half, 0, 1)


def _logit(p: np.ndarray, se: np.ndarray, z: float) -> tuple[np.ndarray, np.ndarray]:
    inner = (p > 0) & (p < 1)
    safe = np.where(inner, p, 0.5)
    centre = np.log(safe / (1 - safe))
    half = z * se / (safe * (1 - safe))
    lower = np.where(inner, 1 / (1 + np.exp(-(centre - half))), np.nan)
    upper = np.where(inner, 1 / (1 + np.exp(-(centre + half))), np.nan)
    return lower, upper


#: The settings both estimators take: what is estimated, at which level, with which interval.
_SETTINGS = {
    "share": [InstanceOf(bool, "a bool")],
    "alpha": [Interval(float, 0, 1, closed="neither")],
    "interval": [Options(SHARE_INTERVALS)],
}


@validate_params(
    {
        "count": [InstanceOf(np.ndarray, "a (groups, cells) array of respondent counts")],
        "weight_sum": [InstanceOf(np.ndarray, "a (groups, cells) array of weight sums")],
        "weight_sq_sum": [InstanceOf(np.ndarray, "a (groups, cells) array of squared-weight sums")],
        "y": [InstanceOf(np.ndarray, "a (cells,) array of values")],
        **_SETTINGS,
    }
)
def cell_estimates(
    count: np.ndarray,
    weight_sum: np.ndarray,
    weight_sq_sum: np.ndarray,
    y: np.ndarray,
    *,
    share: bool,
    alpha: float,
    interval: str = "wilson",
) -> GroupEstimates:
    """Estimates for every group from per-(group, cell) sums, where y is constant within a cell.

    Survey answers take few distinct values, so grouping respondents by (group, answer) loses
    nothing: with y constant in a cell, sum(w_i^2 (y_i - y_hat)^2) = sum_cells S2 (y_c - y_hat)^2,
    where S2 is the cell's sum of squared weights. The row pass is then three ``np.bincount``
    calls; everything here works on tables of size groups x cells. Unweighted data pass the
    counts as both weight sums.
    """
    n = count.sum(axis=1).astype(float)
    total = weight_sum.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        estimate = weight_sum @ y / total
        deviation = y[None, :] - estimate[:, None]
        sum_sq = (weight_sq_sum * np.where(count > 0, deviation, 0.0) ** 2).sum(axis=1)
        variance = n / (n - 1) * sum_sq / total**2
        variance[n < 2] = np.nan
        se = np.sqrt(variance)
        n_eff = total**2 / weight_sq_sum.sum(axis=1)
        if share:
            z = NormalDist().inv_cdf(1 - alpha / 2)
            if interval == "wilson":
                lower, upper = _wilson(estimate, n_eff, z)
            elif interval == "logit":
                lower, upper = _logit(estimate, se, z)
            else:
                lower, upper = estimate - z * se, estimate + z * se
        else:
            from scipy.special import stdtrit  # only means need t quantiles (0.5 s to import)

            t = stdtrit(np.maximum(n - 1, 1), 1 - alpha / 2)
            lower, upper = estimate - t * se, estimate + t * se
    return GroupEstimates(
        n=n.astype(np.int64), n_eff=n_eff, estimate=estimate, se=se, ci_lower=lower, ci_upper=upper
    )


@validate_params(
    {
        "groups": [InstanceOf(np.ndarray, "an integer numpy array")],
        "y": [InstanceOf(np.ndarray, "a float numpy array")],
        "weights": [InstanceOf(np.ndarray, "a float numpy array"), NONE],
        "n_groups": [Interval(int, 0, None)],
        **_SETTINGS,
    }
)
def group_estimates(
    groups: np.ndarray,
    y: np.ndarray,
    weights: np.ndarray | None,
    n_groups: int,
    *,
    share: bool,
    alpha: float,
    interval: str = "wilson",
) -> GroupEstimates:
    """Ratio-mean estimates, linearisation standard errors and intervals from respondent rows.

    ``groups`` holds each respondent's group number in ``[0, n_groups)``; ``y`` their value (0/1
    when ``share``); ``weights`` their survey weight, or None for equal weights. The rows are
    summed into (group, distinct value) cells and passed to :func:`cell_estimates`.
    """
    values, value_index = np.unique(y, return_inverse=True)
    cells = groups.astype(np.int64) * len(values) + value_index.ravel()
    size = n_groups * len(values)
    count = np.bincount(cells, minlength=size).reshape(n_groups, len(values)).astype(float)
    if weights is None:
        weight_sum = weight_sq_sum = count
    else:
        weight_sum = np.bincount(cells, weights=weights, minlength=size).reshape(n_groups, len(values))
        weight_sq_sum = np.bincount(cells, weights=weights * weights, minlength=size).reshape(
            n_groups, len(values)
        )
    return cell_estimates(
        count,
        weight_sum,
        weight_sq_sum,
        values.astype(float),
        share=share,
        alpha=alpha,
        interval=interval,
    )
