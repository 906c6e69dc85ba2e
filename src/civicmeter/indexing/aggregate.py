"""Aggregation of one level of the framework: children's scores -> each parent's score.

The means work on ``x`` shaped ``(..., units, children)`` with a 0/1 ``membership`` matrix
``(children, parents)`` and weights ``(..., children)``; each parent is a matrix product, so a whole
level of many replications is aggregated at once. Conventions follow COINr's ``a_*`` functions:
missing children are dropped and the remaining weights renormalised; a unit whose share of present
children in a group is below ``min_availability`` gets NA for that parent (COINr ``dat_thresh``).

Geometric and harmonic means are undefined for values <= 0. They are refused (never turned into a
silent NaN) unless an explicit ``shift`` c is given, in which case the mean of ``x + c`` minus c is
returned. Copeland, benefit-of-the-doubt and Mazziotta-Pareto compare units with each other, so they
run per parent and per replication.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import linprog

from civicmeter.params import NONE, InstanceOf, Interval, Options, ParameterError, validate_params

MEAN_METHODS = ("arithmetic", "geometric", "harmonic", "generalised")
METHODS = MEAN_METHODS + ("copeland", "bod", "mazziotta_pareto")
#: Methods needing strictly positive inputs.
POSITIVE_ONLY = ("geometric", "harmonic")

NON_POSITIVE = (
    "the {method} mean needs values > 0 but {count} value(s) are <= 0 (smallest {smallest!r}); "
    "normalise onto a positive range (e.g. minmax [1, 100]) or set an explicit shift"
)

_ARRAY = InstanceOf(np.ndarray, "a numpy array")


class NonPositiveValuesError(ValueError):
    """A geometric or harmonic mean met values <= 0 without an explicit shift."""


def _weighted_sums(x: np.ndarray, present: np.ndarray, w: np.ndarray, membership: np.ndarray):
    w = w[..., None, :] if w.ndim > 1 else w
    wx = np.where(present, x, 0.0) * w
    wsum = present * w
    return wx @ membership, wsum @ membership


def _mean(x, present, w, membership, method, p):
    with np.errstate(divide="ignore", invalid="ignore"):
        if method == "arithmetic":
            num, den = _weighted_sums(x, present, w, membership)
            return num / den
        if method == "geometric":
            num, den = _weighted_sums(np.log(np.where(present, x, 1.0)), present, w, membership)
            return np.exp(num / den)
        if method == "harmonic":
            num, den = _weighted_sums(1.0 / np.where(present, x, 1.0), present, w, membership)
            return den / num
        num, den = _weighted_sums(np.where(present, x, 1.0) ** p, present, w, membership)
        return (num / den) ** (1.0 / p)


#: Outranking shares this close to one half count as a tie: the shares are sums of weights, and
#: rounding in those sums must not turn an exact tie (e.g. one child each way) into a win.
TIE_TOLERANCE = 1e-12


def outranking_matrix(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """COINr ``outrankMatrix``: entry (i, j) is how strongly unit i outranks unit j.

    For i < j it is the weight share of children where i is higher plus half the share where they
    tie (a comparison with a missing value counts for neither); entry (j, i) is 1 minus it, and the
    diagonal is zero. Weights are rescaled to sum to one over all children, as COINr does.
    """
    w = w / np.nansum(w)
    greater = (x[:, None, :] > x[None, :, :]) * w
    equal = (x[:, None, :] == x[None, :, :]) * w
    upper = greater.sum(axis=2) + equal.sum(axis=2) / 2
    n = x.shape[0]
    iu = np.triu_indices(n, 1)
    matrix = np.zeros((n, n))
    matrix[iu] = upper[iu]
    matrix[(iu[1], iu[0])] = 1 - upper[iu]
    return matrix


def copeland(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """COINr ``a_copeland``: the number of units a unit outranks minus the number outranking it.

    A unit outranks another when its share in :func:`outranking_matrix` is above one half; a share
    of exactly one half is a tie and counts for neither. Scores are integers in [-(n-1), n-1] and
    sum to zero over the units.
    """
    matrix = outranking_matrix(x, w)
    votes = np.where(matrix > 0.5 + TIE_TOLERANCE, 1.0, 0.0)
    votes -= np.where(matrix < 0.5 - TIE_TOLERANCE, 1.0, 0.0)
    np.fill_diagonal(votes, 0.0)
    return votes.sum(axis=1)


def benefit_of_the_doubt(
    x: np.ndarray, *, share_bounds: tuple[float, float] = (0.0, 1.0)
) -> np.ndarray:
    """Benefit-of-the-doubt score per unit (Cherchye et al.; OECD/JRC Handbook 2008, section 6.1).

    For unit i: maximise sum_j w_j x_ij subject to sum_j w_j x_kj <= 1 for every unit k and w >= 0,
    with each child's share of i's score, w_j x_ij / score_i, kept within ``share_bounds``. Scores
    lie in [0, 1]; 1 means no other unit does better with i's most favourable weights. Missing
    values count as 0 (the unit gets no credit for them).
    """
    values = np.nan_to_num(x, nan=0.0)
    n_units, n_children = values.shape
    lower, upper = share_bounds
    scores = np.empty(n_units)
    for i in range(n_units):
        row = values[i]
        rows = [values]
        rhs = [np.ones(n_units)]
        if lower > 0:
            rows.append(lower * np.tile(row, (n_children, 1)) - np.diag(row))
            rhs.append(np.zeros(n_children))
        if upper < 1:
            rows.append(np.diag(row) - upper * np.tile(row, (n_children, 1)))
            rhs.append(np.zeros(n_children))
        result = linprog(
            -row, A_ub=np.vstack(rows), b_ub=np.concatenate(rhs), bounds=(0, None), method="highs"
        )
        scores[i] = -result.fun if result.status == 0 else np.nan
    return scores


def mazziotta_pareto(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Mazziotta-Pareto index with a penalty for unbalanced profiles (Mazziotta & Pareto 2016).

    Children are re-standardised across units to mean 100 and sd 10 (population sd); each unit's
    score is ``M - S * cv`` where M and S are the weighted mean and standard deviation of its
    standardised children and ``cv = S / M``. Missing children are dropped.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        z = 100 + 10 * (x - np.nanmean(x, axis=0)) / np.nanstd(x, axis=0)
    present = ~np.isnan(z)
    weights = np.where(present, w, 0.0)
    total = weights.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        m = (np.where(present, z, 0.0) * weights).sum(axis=1) / total
        s = np.sqrt((np.where(present, (z - m[:, None]) ** 2, 0.0) * weights).sum(axis=1) / total)
        return m - s * (s / m)


@validate_params(
    {
        "x": [_ARRAY],
        "weights": [_ARRAY],
        "membership": [_ARRAY],
        "method": [Options(METHODS)],
        "p": [Interval(float, None, None)],
        "min_availability": [Interval(float, 0, 1), NONE],
        "shift": [Interval(float, 0, None)],
        "share_bounds": [InstanceOf(tuple, "a (lower, upper) tuple")],
    }
)
def aggregate_level(
    x: np.ndarray,
    weights: np.ndarray,
    membership: np.ndarray,
    *,
    method: str = "arithmetic",
    p: float = 1.0,
    min_availability: float | None = None,
    shift: float = 0.0,
    share_bounds: tuple[float, float] = (0.0, 1.0),
) -> np.ndarray:
    """Aggregate children ``x`` ``(..., units, children)`` into parents ``(..., units, parents)``.

    ``arithmetic``: sum(w x) / sum(w) over present children. ``geometric``: exp(sum(w log x) /
    sum(w)). ``harmonic``: sum(w) / sum(w / x). ``generalised``: (sum(w x^p) / sum(w))^(1/p) (p = 1
    arithmetic, p = -1 harmonic). ``copeland``, ``bod`` and ``mazziotta_pareto``: see the functions
    of those names.
    """
    x = np.asarray(x, dtype=float)
    w = np.asarray(weights, dtype=float)
    if method == "generalised" and p == 0:
        raise ParameterError(
            "the 'p' parameter of aggregate_level must be non-zero for the generalised mean; use "
            "method 'geometric' for p = 0",
            parameter="p",
            function="aggregate_level",
        )
    values = x + shift if shift else x
    present = ~np.isnan(values)
    if method in POSITIVE_ONLY or (method == "generalised" and p <= 0):
        bad = present & (values <= 0)
        if bad.any():
            raise NonPositiveValuesError(
                NON_POSITIVE.format(
                    method=method, count=int(bad.sum()), smallest=float(values[bad].min())
                )
            )
    if method in MEAN_METHODS:
        out = _mean(values, present, w, membership, method, p) - shift
    else:
        out = np.full(values.shape[:-1] + (membership.shape[1],), np.nan)
        for index in np.ndindex(values.shape[:-2]):
            wi = w[index] if w.ndim > 1 else w
            for j in range(membership.shape[1]):
                cols = membership[:, j] > 0
                block = values[index][:, cols]
                if method == "copeland":
                    out[index][:, j] = copeland(block, wi[cols])
                elif method == "bod":
                    out[index][:, j] = benefit_of_the_doubt(block, share_bounds=share_bounds)
                else:
                    out[index][:, j] = mazziotta_pareto(block, wi[cols])
    if min_availability is not None:
        share = (present @ membership) / membership.sum(axis=0)
        out = np.where(share < min_availability, np.nan, out)
    return out
