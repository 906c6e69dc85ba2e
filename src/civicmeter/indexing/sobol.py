"""Variance-based sensitivity indices: the Saltelli design and its estimators, for any model.

Why a module of its own: the estimators are plain statistics on a matrix of model outputs, so they
can be checked against a function whose indices are known analytically (Ishigami) before an index
engine is ever involved, and the uncertainty analysis in :mod:`civicmeter.indexing.sensitivity`
only has to produce outputs in the order the design prescribes.

Design (Saltelli et al. 2010, section 3): two independent quasi-random matrices A and B of
``base`` rows and, for every input i, the matrix A_B^(i) equal to A with input i's columns taken
from B. An input may span several columns (a *group*, e.g. all perturbed weights); its columns are
swapped together, which gives the group's indices. Rows are ordered A, B, A_B^(1), ..., A_B^(d):
``base * (d + 2)`` runs.

Estimators, with f_A, f_B, f_ABi the outputs on those rows and V the variance of the 2N pooled
outputs of A and B (sample variance, n-1):

* first order  S_i  = mean(f_B * (f_ABi - f_A)) / V    (Saltelli et al. 2010, table 2, (b))
* total order  ST_i = mean((f_A - f_ABi) ** 2) / (2 V) (Jansen 1999; Saltelli 2010, table 2, (f))

These are the estimators COINr's ``SA_estimate`` uses, so results agree with it on the same
outputs. Confidence intervals are percentile bootstrap intervals over the N row tuples (A_j, B_j,
ABi_j), which are resampled jointly and V is re-estimated in each replicate (COINr resamples each
estimator's terms separately with V fixed; joint resampling keeps the terms' correlation).

Sources: A. Saltelli, P. Annoni, I. Azzini, F. Campolongo, M. Ratto, S. Tarantola (2010), "Variance
based sensitivity analysis of model output. Design and estimator for the total sensitivity index",
Computer Physics Communications 181(2), 259-270; M.J.W. Jansen (1999), "Analysis of variance
designs for model output", Computer Physics Communications 117, 35-43.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.stats import qmc

from civicmeter.params import InstanceOf, Interval, validate_params

METHOD = (
    "Saltelli et al. (2010) first-order and Jansen (1999) total-order estimators on a scrambled "
    "Sobol' design; percentile bootstrap intervals"
)
# Bootstrap replicates are processed in blocks of targets so memory stays near this many floats.
_BOOT_BLOCK_FLOATS = 4_000_000


@dataclass(frozen=True)
class SaltelliDesign:
    """The sample matrix of a Saltelli design, in [0, 1), with one column block per input.

    ``matrix`` has ``base * (len(groups) + 2)`` rows ordered A, B, A_B^(1), ..., A_B^(d) and
    ``sum(groups)`` columns; ``columns[i]`` is the slice of input i.
    """

    base: int
    groups: tuple[int, ...]
    matrix: np.ndarray
    notes: tuple[str, ...] = ()

    @property
    def inputs(self) -> int:
        return len(self.groups)

    @property
    def runs(self) -> int:
        return self.matrix.shape[0]

    @property
    def columns(self) -> list[slice]:
        edges = np.concatenate([[0], np.cumsum(self.groups)])
        return [slice(int(a), int(b)) for a, b in zip(edges[:-1], edges[1:], strict=True)]

    def split(self, outputs: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Cut outputs (``runs`` rows, any trailing shape) into f_A, f_B and f_AB (inputs, base,
        ...)."""
        y = np.asarray(outputs, dtype=float)
        if y.shape[0] != self.runs:
            raise ValueError(f"expected {self.runs} outputs in design order, got {y.shape[0]}")
        n = self.base
        return y[:n], y[n : 2 * n], y[2 * n :].reshape((self.inputs, n) + y.shape[1:])


@validate_params(
    {
        "groups": [InstanceOf((list, tuple), "a list of positive column counts, one per input")],
        "base": [Interval(int, 2, None)],
        "seed": [Interval(int, 0, None)],
    }
)
def saltelli_design(groups: Sequence[int], base: int, *, seed: int) -> SaltelliDesign:
    """Draw a Saltelli design from one scrambled Sobol' sequence of ``2 * sum(groups)`` dimensions.

    A and B are the two halves of the same low-discrepancy points, so they are independent and
    jointly well spread. The sequence is balanced when ``base`` is a power of two; other sizes are
    allowed and noted, since users choose a run budget rather than a power of two.
    """
    dims = tuple(int(g) for g in groups)
    if not dims or any(g < 1 for g in dims):
        raise ValueError("groups must list at least one input, each with at least one column")
    width = sum(dims)
    notes: list[str] = []
    sampler = qmc.Sobol(d=2 * width, scramble=True, seed=seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # scipy's balance warning; noted below instead
        points = sampler.random(base)
    if base & (base - 1):
        notes.append(
            f"base sample {base} is not a power of two, so the Sobol' points are not balanced"
        )
    a, b = points[:, :width], points[:, width:]
    blocks = [a, b]
    edges = np.concatenate([[0], np.cumsum(dims)])
    for lo, hi in zip(edges[:-1], edges[1:], strict=True):
        ab = a.copy()
        ab[:, lo:hi] = b[:, lo:hi]
        blocks.append(ab)
    return SaltelliDesign(base=base, groups=dims, matrix=np.vstack(blocks), notes=tuple(notes))


@dataclass(frozen=True)
class SobolIndices:
    """First-order and total indices, shape (inputs, targets), with bootstrap percentile intervals.

    ``variance`` is the output variance per target; where it is zero the indices are undefined
    (NaN) because the inputs do not move that output at all.
    """

    first: np.ndarray
    total: np.ndarray
    first_ci: tuple[np.ndarray, np.ndarray]
    total_ci: tuple[np.ndarray, np.ndarray]
    variance: np.ndarray
    n: int
    n_boot: int
    alpha: float
    method: str = METHOD
    notes: tuple[str, ...] = field(default=())


@validate_params(
    {
        "design": [InstanceOf(SaltelliDesign, "a SaltelliDesign")],
        "outputs": [InstanceOf(np.ndarray, "a numpy array of outputs in design order")],
        "n_boot": [Interval(int, 0, None)],
        "alpha": [Interval(float, 0, 1, closed="neither")],
        "seed": [Interval(int, 0, None)],
    }
)
def sobol_indices(
    design: SaltelliDesign,
    outputs: np.ndarray,
    *,
    n_boot: int = 500,
    alpha: float = 0.1,
    seed: int = 0,
) -> SobolIndices:
    """Estimate S_i and ST_i for every input and every output column (targets).

    ``outputs`` has one row per design run (1-D for a single target). ``alpha`` = 0.1 gives the
    5th-95th percentile interval COINr reports; with ``n_boot`` = 0 intervals are NaN.
    """
    y = outputs.reshape(outputs.shape[0], -1) if outputs.ndim != 2 else outputs
    y_a, y_b, y_ab = design.split(y)
    n = design.base
    first_terms = y_b[None] * (y_ab - y_a[None])  # (d, N, T)
    total_terms = 0.5 * (y_a[None] - y_ab) ** 2
    variance = np.var(np.vstack([y_a, y_b]), axis=0, ddof=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        first = first_terms.mean(axis=1) / variance
        total = total_terms.mean(axis=1) / variance
    notes = list(design.notes)
    if np.any(variance == 0):
        notes.append(f"{int(np.sum(variance == 0))} target(s) never change: their indices are NaN")
    first_ci, total_ci = _bootstrap(
        y_a, y_b, first_terms, total_terms, n, n_boot=n_boot, alpha=alpha, seed=seed
    )
    return SobolIndices(
        first=first,
        total=total,
        first_ci=first_ci,
        total_ci=total_ci,
        variance=variance,
        n=n,
        n_boot=n_boot,
        alpha=alpha,
        notes=tuple(notes),
    )


def _bootstrap(
    y_a: np.ndarray,
    y_b: np.ndarray,
    first_terms: np.ndarray,
    total_terms: np.ndarray,
    n: int,
    *,
    n_boot: int,
    alpha: float,
    seed: int,
) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """Percentile intervals by resampling row tuples, written as resampling-weight matrix products.

    A bootstrap replicate's mean of any per-row term is ``counts @ term / N`` with multinomial
    counts, so all replicates of all targets are a few matrix products instead of a Python loop.
    """
    d, _, t = first_terms.shape
    shape = (d, t)
    if n_boot == 0:
        nan = np.full(shape, np.nan)
        return (nan, nan.copy()), (nan.copy(), nan.copy())
    rng = np.random.default_rng(seed)
    weights = rng.multinomial(n, np.full(n, 1.0 / n), size=n_boot) / n  # (B, N)
    quantiles = [alpha / 2, 1 - alpha / 2]
    out = {key: np.empty(shape) for key in ("f_lo", "f_hi", "t_lo", "t_hi")}
    block = max(1, _BOOT_BLOCK_FLOATS // max(1, n_boot * d))
    pooled = 2 * n
    for lo in range(0, t, block):
        cols = slice(lo, min(t, lo + block))
        mean = weights @ (0.5 * (y_a[:, cols] + y_b[:, cols]))
        square = weights @ (0.5 * (y_a[:, cols] ** 2 + y_b[:, cols] ** 2))
        variance = (square - mean**2) * pooled / (pooled - 1)
        with np.errstate(invalid="ignore", divide="ignore"):
            for i in range(d):
                first = (weights @ first_terms[i, :, cols]) / variance
                total = (weights @ total_terms[i, :, cols]) / variance
                out["f_lo"][i, cols], out["f_hi"][i, cols] = _percentiles(first, quantiles)
                out["t_lo"][i, cols], out["t_hi"][i, cols] = _percentiles(total, quantiles)
    return (out["f_lo"], out["f_hi"]), (out["t_lo"], out["t_hi"])


def _percentiles(replicates: np.ndarray, quantiles: list[float]) -> np.ndarray:
    """Quantiles over replicates, NaN where the target never varies (all-NaN columns)."""
    finite = np.isfinite(replicates)
    result = np.full((2, replicates.shape[1]), np.nan)
    ok = finite.all(axis=0)
    if ok.any():
        result[:, ok] = np.quantile(replicates[:, ok], quantiles, axis=0)
    partial = ~ok & finite.any(axis=0)
    if partial.any():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            result[:, partial] = np.nanquantile(replicates[:, partial], quantiles, axis=0)
    return result
