"""Weights: the iMeta weights, equal weights, named weight sets, or weights derived from PCA.

A weight is relative to its siblings (children of the same parent); aggregation renormalises, so
multiplying all children of a parent by the same factor changes nothing. Effective weights (each
code's share of the index) come from :meth:`Hierarchy.effective_weights`.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from civicmeter.indexing.hierarchy import Hierarchy
from civicmeter.params import InstanceOf, validate_params


@validate_params({"hierarchy": [InstanceOf(Hierarchy, "a Hierarchy")]})
def equal_weights(hierarchy: Hierarchy) -> dict[str, float]:
    """Weight 1 for every code: each parent is the plain mean of its children."""
    return {code: 1.0 for code in hierarchy.codes}


@validate_params(
    {
        "hierarchy": [InstanceOf(Hierarchy, "a Hierarchy")],
        "overrides": [InstanceOf(Mapping, "a mapping of iCode to weight")],
    }
)
def weight_set(hierarchy: Hierarchy, overrides: Mapping[str, float]) -> dict[str, float]:
    """The iMeta weights with the codes in ``overrides`` replaced (a named weight set)."""
    weights = dict(hierarchy.weights)
    weights.update({code: float(w) for code, w in overrides.items()})
    return weights


@validate_params(
    {
        "hierarchy": [InstanceOf(Hierarchy, "a Hierarchy")],
        "scores": [
            InstanceOf(pd.DataFrame, "a pandas DataFrame with indicator and aggregate columns")
        ],
    }
)
def pca_weights(hierarchy: Hierarchy, scores: pd.DataFrame) -> dict[str, float]:
    """Weights from the first principal component of each parent's children.

    For every aggregate, the children's correlation matrix (units with complete data) is decomposed
    and each child's weight is its squared loading on the first component, which sums to one within
    the group (OECD/JRC Handbook 2008, section 6.1: squared factor loadings scaled to unity).
    Children that lack scores (aggregates not yet computed) keep their iMeta weight, as do
    single-child groups.
    """
    weights = dict(hierarchy.weights)
    for parent in hierarchy.aggregates:
        children = [c for c in hierarchy.children(parent) if c in scores.columns]
        if len(children) < 2:
            continue
        block = scores[children].dropna()
        if len(block) <= len(children):
            continue
        corr = np.corrcoef(block.to_numpy(dtype=float), rowvar=False)
        if not np.all(np.isfinite(corr)):
            continue
        _, vectors = np.linalg.eigh(corr)
        loadings = vectors[:, -1]
        for code, loading in zip(children, loadings**2 / np.sum(loadings**2), strict=True):
            weights[code] = float(loading)
    return weights
