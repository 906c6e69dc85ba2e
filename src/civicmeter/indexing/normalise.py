"""Normalisation: bring indicators onto a common scale, after multiplying each by its Direction.

Every method works on arrays shaped ``(..., units, indicators)`` and normalises along the units
axis, so a stack of replications ``(runs, units, indicators)`` is normalised in one call.
Conventions are COINr's ``n_*`` functions: NAs are ignored when taking min, max, mean and sd; the sd
uses ``n - 1``; ranks are ascending with ties taking the minimum rank. Because direction is applied
first, targets, goalposts and the reference unit are read in the direction-adjusted space exactly as
COINr does.
"""

from __future__ import annotations

import warnings

import numpy as np

from civicmeter.indexing.specs import NormaliseSpec
from civicmeter.params import NONE, InstanceOf, Interval, Options, check_param, validate_params

METHODS = (
    "minmax",
    "zscore",
    "rank",
    "borda",
    "prank",
    "fracmax",
    "dist2max",
    "dist2ref",
    "dist2targ",
    "goalposts",
    "none",
)
#: Methods whose output is strictly positive for any data (so a geometric mean can follow safely).
POSITIVE_METHODS = ("rank",)

_ARRAY = InstanceOf(np.ndarray, "a numpy array")


def rank_min(x: np.ndarray) -> np.ndarray:
    """Ascending ranks along axis -2, ties share the minimum rank, NaN stays NaN (R ``ties =
    "min"``)."""
    x = np.asarray(x, dtype=float)
    order = np.argsort(x, axis=-2, kind="stable")
    ordered = np.take_along_axis(x, order, axis=-2)
    n = x.shape[-2]
    position = np.arange(n).reshape((n,) + (1,) * 1)
    position = np.broadcast_to(position, ordered.shape)
    new_run = np.ones(ordered.shape, dtype=bool)
    new_run[..., 1:, :] = ordered[..., 1:, :] != ordered[..., :-1, :]
    starts = np.maximum.accumulate(np.where(new_run, position, 0), axis=-2) + 1.0
    ranks = np.empty_like(x)
    np.put_along_axis(ranks, order, starts, axis=-2)
    ranks[np.isnan(x)] = np.nan
    return ranks


def _nan_stat(func, x: np.ndarray, **kwargs) -> np.ndarray:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return func(x, axis=-2, keepdims=True, **kwargs)


def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return num / den


#: The constraints on the :class:`NormaliseSpec` fields :func:`normalise_array` reads, checked
#: where the spec is used (a recipe's reader reports its own messages first).
SPEC_CONSTRAINTS = {
    "method": [Options(METHODS)],
    "low": [Interval(float, None, None)],
    "high": [Interval(float, None, None)],
    "mean": [Interval(float, None, None)],
    "sd": [Interval(float, 0, None, closed="neither")],
    "cap_max": [InstanceOf(bool, "a bool")],
    "scale": [Interval(float, 0, None, closed="neither")],
    "truncate": [InstanceOf(bool, "a bool")],
}
_DEFAULT = NormaliseSpec()


@validate_params(
    {
        "x": [_ARRAY],
        "directions": [_ARRAY],
        "spec": [InstanceOf(NormaliseSpec, "a NormaliseSpec")],
        "reference": [Interval(int, 0, None), NONE],
        "targets": [_ARRAY, NONE],
        "goalposts": [_ARRAY, NONE],
    }
)
def normalise_array(
    x: np.ndarray,
    directions: np.ndarray,
    spec: NormaliseSpec = _DEFAULT,
    *,
    reference: int | None = None,
    targets: np.ndarray | None = None,
    goalposts: np.ndarray | None = None,
) -> np.ndarray:
    """Normalise ``x`` ``(..., units, indicators)`` column-wise after applying ``directions``,
    with the method and options of ``spec`` (its ``unit`` and ``overrides`` are the pipeline's).

    * ``minmax``: ``(x - min) / (max - min) * (high - low) + low``.
    * ``zscore``: ``(x - mean_x) / sd_x * sd + mean`` with the ``n - 1`` standard deviation.
    * ``rank``: ascending rank, ties min; ``borda``: rank - 1; ``prank``: (rank - 1) / (n - 1), n
      counting non-missing values.
    * ``fracmax``: ``x / max``; ``dist2max``: ``1 - (max - x) / (max - min)``.
    * ``dist2ref``: ``1 - (x_ref - x) / (x_ref - min)`` for unit row ``reference``; capped at 1 if
      ``cap_max``.
    * ``dist2targ``: ``(x - min) / (t - min)`` with ``t = target * direction``; capped if
    ``cap_max``.
    * ``goalposts``: ``goalposts`` is ``(2, indicators)`` of (lower, upper) in original units; the
      fraction of the way from the worse to the better post, truncated to [0, 1] if ``truncate``,
      times ``scale``.
    * ``none``: direction-adjusted values unchanged.
    """
    for name, allowed in SPEC_CONSTRAINTS.items():
        check_param(name, getattr(spec, name), allowed, caller="normalise_array")
    method, low, high, mean, sd = spec.method, spec.low, spec.high, spec.mean, spec.sd
    cap_max, scale, truncate = spec.cap_max, spec.scale, spec.truncate
    d = np.asarray(directions, dtype=float)
    v = np.asarray(x, dtype=float) * d
    if method == "none":
        return v
    if method in ("minmax", "dist2max", "fracmax", "dist2targ"):
        lo, hi = _nan_stat(np.nanmin, v), _nan_stat(np.nanmax, v)
        if method == "minmax":
            return _ratio(v - lo, hi - lo) * (high - low) + low
        if method == "dist2max":
            return 1 - _ratio(hi - v, hi - lo)
        if method == "fracmax":
            return _ratio(v, hi)
        if targets is None:
            raise ValueError("dist2targ needs one target per indicator")
        y = _ratio(v - lo, np.asarray(targets, dtype=float) * d - lo)
        return np.minimum(y, 1.0) if cap_max else y
    if method == "zscore":
        m, s = _nan_stat(np.nanmean, v), _nan_stat(np.nanstd, v, ddof=1)
        return _ratio(v - m, s) * sd + mean
    if method in ("rank", "borda", "prank"):
        r = rank_min(v)
        if method == "rank":
            return r
        if method == "borda":
            return r - 1
        count = np.sum(~np.isnan(v), axis=-2, keepdims=True)
        return _ratio(r - 1, count - 1)
    if method == "dist2ref":
        if reference is None:
            raise ValueError("dist2ref needs the row position of the reference unit")
        lo = _nan_stat(np.nanmin, v)
        ref = v[..., reference : reference + 1, :]
        y = 1 - _ratio(ref - v, ref - lo)
        return np.minimum(y, 1.0) if cap_max else y
    if goalposts is None:
        raise ValueError("goalposts needs lower and upper posts per indicator")
    posts = np.asarray(goalposts, dtype=float)
    worse = np.where(d > 0, posts[0], -posts[1])
    better = np.where(d > 0, posts[1], -posts[0])
    y = _ratio(v - worse, better - worse)
    if truncate:
        y = np.clip(y, 0.0, 1.0)
    return y * scale
