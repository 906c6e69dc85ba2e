"""Aggregate a whole framework, level by level, for one run or a stack of runs at once.

Scores flow upward: level 2 from the normalised indicators, level 3 from level 2, and so on. Within
a level, parents that share the same method are computed together by one call to
:func:`~civicmeter.indexing.aggregate.aggregate_level`; a per-level or per-node override only splits
off the parents it names.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from civicmeter.indexing.aggregate import NonPositiveValuesError, aggregate_level
from civicmeter.indexing.hierarchy import Hierarchy
from civicmeter.indexing.specs import AggregateSpec
from civicmeter.params import NONE, InstanceOf, validate_params

#: Weighted arithmetic mean at every level, COINr's default.
DEFAULT_SPEC = AggregateSpec()


def weight_array(
    hierarchy: Hierarchy, weights: Mapping[str, float] | np.ndarray | None
) -> np.ndarray:
    """Weights as an array over ``hierarchy.codes`` (last axis); leading axes index runs."""
    if weights is None:
        weights = hierarchy.weights
    if isinstance(weights, np.ndarray):
        if weights.shape[-1] != len(hierarchy.codes):
            raise ValueError(
                f"weights must have {len(hierarchy.codes)} entries on the last axis (one per code)"
            )
        return weights.astype(float)
    return np.array([float(weights.get(c, hierarchy.weights[c])) for c in hierarchy.codes])


@validate_params(
    {
        "x": [InstanceOf(np.ndarray, "a numpy array (..., units, indicators)")],
        "hierarchy": [InstanceOf(Hierarchy, "a Hierarchy")],
        "weights": [
            InstanceOf(
                (Mapping, np.ndarray), "a mapping of iCode to weight or an array over codes"
            ),
            NONE,
        ],
        "spec": [InstanceOf(AggregateSpec, "an AggregateSpec")],
    }
)
def aggregate_tree(
    x: np.ndarray,
    hierarchy: Hierarchy,
    *,
    weights: Mapping[str, float] | np.ndarray | None = None,
    spec: AggregateSpec = DEFAULT_SPEC,
) -> np.ndarray:
    """Scores of every aggregate, shaped ``(..., units, len(hierarchy.aggregates))``.

    ``x`` holds the normalised indicators in ``hierarchy.indicators`` order. ``weights`` may be an
    array ``(..., len(hierarchy.codes))`` to give each run its own weights.
    """
    w_all = weight_array(hierarchy, weights)
    position = {c: i for i, c in enumerate(hierarchy.codes)}
    scores = {1: np.asarray(x, dtype=float)}
    columns: dict[str, np.ndarray] = {}
    for level in range(2, hierarchy.n_levels + 1):
        children, parents, membership = hierarchy.membership(level)
        w = w_all[..., [position[c] for c in children]]
        out = np.empty(scores[level - 1].shape[:-1] + (len(parents),))
        batches: dict[tuple, list[int]] = {}
        node_specs: dict[tuple, AggregateSpec] = {}
        for j, parent in enumerate(parents):
            node_spec = spec.for_node(parent, level)
            batches.setdefault(node_spec.method_key(), []).append(j)
            node_specs[node_spec.method_key()] = node_spec
        for key, cols in batches.items():
            s = node_specs[key]
            try:
                out[..., cols] = aggregate_level(
                    scores[level - 1], w, membership[:, cols], **s.options()
                )
            except NonPositiveValuesError as exc:
                names = ", ".join(parents[j] for j in cols)
                raise NonPositiveValuesError(f"aggregating {names} (level {level}): {exc}") from exc
        scores[level] = out
        for j, parent in enumerate(parents):
            columns[parent] = out[..., j]
    return np.stack([columns[c] for c in hierarchy.aggregates], axis=-1)
