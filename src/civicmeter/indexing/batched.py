"""Aggregate one set of normalised indicators under many weight sets at once, as matrix products.

Why: in an uncertainty analysis most runs differ only in their weights. The weighted means of
:mod:`civicmeter.indexing.aggregate` are ratios of two weighted sums, and a weighted sum over a
parent's children is ``f(x) @ (w * membership)``; stacking the R weight sets side by side makes a
whole level of R runs one matrix product ``(units, children) @ (children, R * parents)`` instead
of R passes over an ``(R, units, children)`` array. The formulas, the handling of missing children
(dropped, weights renormalised), ``min_availability``, ``shift`` and the refusal of values <= 0 are
those of :func:`~civicmeter.indexing.aggregate.aggregate_level`, which the tests check this
against; rank-based methods (Copeland, benefit of the doubt, Mazziotta-Pareto) are delegated to it.
"""

from __future__ import annotations

import numpy as np

from civicmeter.indexing.aggregate import (
    MEAN_METHODS,
    NON_POSITIVE,
    POSITIVE_ONLY,
    NonPositiveValuesError,
    aggregate_level,
)
from civicmeter.indexing.hierarchy import Hierarchy
from civicmeter.indexing.specs import AggregateSpec
from civicmeter.params import InstanceOf, validate_params


def _transform(values: np.ndarray, present: np.ndarray, spec: AggregateSpec) -> np.ndarray:
    safe = np.where(present, values, 1.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        if spec.method == "arithmetic":
            out = safe
        elif spec.method == "geometric":
            out = np.log(safe)
        elif spec.method == "harmonic":
            out = 1.0 / safe
        else:
            out = safe**spec.p
    return np.where(present, out, 0.0)


def _finish(num: np.ndarray, den: np.ndarray, spec: AggregateSpec) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        if spec.method == "arithmetic":
            return num / den
        if spec.method == "geometric":
            return np.exp(num / den)
        if spec.method == "harmonic":
            return den / num
        return (num / den) ** (1.0 / spec.p)


def _mean_block(
    values: np.ndarray, weights: np.ndarray, membership: np.ndarray, spec: AggregateSpec
) -> np.ndarray:
    """Weighted means of the parents in ``membership`` for every run.

    Arrays are children-major so each product streams contiguous memory: ``values`` is
    ``(children, units)`` (shared by all runs) or ``(runs, children, units)``; ``weights`` is
    ``(runs, children)``. Returns ``(runs, parents, units)``.
    """
    shifted = values + spec.shift if spec.shift else values
    present = ~np.isnan(shifted)
    if spec.method in POSITIVE_ONLY or (spec.method == "generalised" and spec.p <= 0):
        bad = present & (shifted <= 0)
        if bad.any():
            raise NonPositiveValuesError(
                NON_POSITIVE.format(
                    method=spec.method, count=int(bad.sum()), smallest=float(shifted[bad].min())
                )
            )
    f = _transform(shifted, present, spec)
    mask = present.astype(float)
    runs, parents = weights.shape[0], membership.shape[1]
    stacked = (weights[:, :, None] * membership[None]).transpose(0, 2, 1)  # (runs, parents, kids)
    if values.ndim == 2:
        flat = np.ascontiguousarray(stacked).reshape(runs * parents, membership.shape[0])
        num = (flat @ f).reshape(runs, parents, -1)
        den = (flat @ mask).reshape(runs, parents, -1)
    else:
        num = np.matmul(stacked, f)
        den = np.matmul(stacked, mask)
    out = _finish(num, den, spec) - spec.shift
    if spec.min_availability is not None:
        share = membership.T @ mask if values.ndim == 2 else np.matmul(membership.T, mask)
        share = share / membership.sum(axis=0)[:, None]
        out = np.where(share < spec.min_availability, np.nan, out)
    return out


@validate_params(
    {
        "x": [InstanceOf(np.ndarray, "a numpy array (units, indicators)")],
        "hierarchy": [InstanceOf(Hierarchy, "a Hierarchy")],
        "weights": [InstanceOf(np.ndarray, "a numpy array (runs, codes)")],
        "spec": [InstanceOf(AggregateSpec, "an AggregateSpec")],
    }
)
def aggregate_runs(
    x: np.ndarray, hierarchy: Hierarchy, weights: np.ndarray, spec: AggregateSpec
) -> np.ndarray:
    """Scores of every aggregate for each weight set: ``(runs, len(hierarchy.aggregates), units)``.

    ``x`` holds one run's normalised indicators ``(units, indicators)`` in
    ``hierarchy.indicators`` order; ``weights`` has one row per run over ``hierarchy.codes``.
    Equal to calling :func:`~civicmeter.indexing.tree.aggregate_tree` once per row of
    ``weights`` (there the aggregates are the last axis; here the units are, for speed).
    """
    position = {c: i for i, c in enumerate(hierarchy.codes)}
    runs = weights.shape[0]
    current: np.ndarray = np.ascontiguousarray(np.asarray(x, dtype=float).T)
    columns: dict[str, np.ndarray] = {}
    for level in range(2, hierarchy.n_levels + 1):
        children, parents, membership = hierarchy.membership(level)
        w = weights[:, [position[c] for c in children]]
        out = np.empty((runs, len(parents), current.shape[-1]))
        batches: dict[tuple, tuple[AggregateSpec, list[int]]] = {}
        for j, parent in enumerate(parents):
            node = spec.for_node(parent, level)
            batches.setdefault(node.method_key(), (node, []))[1].append(j)
        for node, cols in batches.values():
            if node.method in MEAN_METHODS:
                out[:, cols] = _mean_block(current, w, membership[:, cols], node)
            else:
                full = np.broadcast_to(current, (runs,) + current.shape[-2:])
                out[:, cols] = aggregate_level(
                    full.transpose(0, 2, 1), w, membership[:, cols], **node.options()
                ).transpose(0, 2, 1)
        current = out
        for j, parent in enumerate(parents):
            columns[parent] = out[:, j]
    return np.stack([columns[c] for c in hierarchy.aggregates], axis=1)
