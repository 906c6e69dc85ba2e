"""Statistics of an index's structure: correlations, Cronbach's alpha and PCA per aggregate.

Why: an aggregate is only defensible when its children pull in the same direction and share one
dominant dimension. Each function takes ``scores`` (units in rows, one column per indicator and
aggregate code, already oriented by Direction, e.g. the normalised and aggregated data) and the
framework's :class:`~civicmeter.indexing.hierarchy.Hierarchy`, and follows the matching COINr
function:
``get_corr`` / ``get_corr_flags`` (pairwise-complete correlations), ``get_cronbach`` (alpha from
the pairwise-complete covariance matrix) and ``get_PCA`` (complete cases, centred and scaled).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from civicmeter.indexing.hierarchy import Hierarchy
from civicmeter.params import InstanceOf, Interval, validate_params

COLLINEAR = "collinear"
NEGATIVE_WITH_SIBLING = "negative_with_sibling"
NEGATIVE_WITH_PARENT = "negative_with_parent"


def _ancestors(hierarchy: Hierarchy, code: str) -> list[str]:
    chain = []
    parent = hierarchy.parents.get(code)
    while parent is not None:
        chain.append(parent)
        parent = hierarchy.parents.get(parent)
    return chain


def _children_in(hierarchy: Hierarchy, aggregate: str, scores: pd.DataFrame) -> list[str]:
    return [c for c in hierarchy.children(aggregate) if c in scores]


def _pairwise(x: pd.Series, y: pd.Series) -> tuple[float, float, int]:
    """Pearson and Spearman correlation on the rows where both are present, and that count."""
    both = x.notna() & y.notna()
    n = int(both.sum())
    if n < 3 or x[both].nunique() < 2 or y[both].nunique() < 2:
        return float("nan"), float("nan"), n
    a, b = x[both].astype(float), y[both].astype(float)
    return float(a.corr(b)), float(a.rank().corr(b.rank())), n


@validate_params(
    {
        "scores": [InstanceOf(pd.DataFrame, "a pandas DataFrame of scores by code")],
        "hierarchy": [InstanceOf(Hierarchy, "a Hierarchy")],
    }
)
def structure_correlations(scores: pd.DataFrame, hierarchy: Hierarchy) -> pd.DataFrame:
    """Long table of correlations within and across levels.

    For every code present in ``scores``: with each sibling (``relation = "sibling"``, each pair
    once), with its parent (``"parent"``) and with every higher ancestor up to the index
    (``"ancestor"``). Spearman is Pearson on average ranks, as R's ``cor(method = "spearman")``.
    """
    rows = []
    for aggregate in hierarchy.aggregates:
        kids = _children_in(hierarchy, aggregate, scores)
        for i, a in enumerate(kids):
            for b in kids[i + 1 :]:
                rows.append((a, b, aggregate, "sibling", *_pairwise(scores[a], scores[b])))
    for code in scores.columns:
        for k, ancestor in enumerate(_ancestors(hierarchy, str(code))):
            if ancestor in scores:
                relation = "parent" if k == 0 else "ancestor"
                pair = _pairwise(scores[code], scores[ancestor])
                rows.append((code, ancestor, hierarchy.parents[code], relation, *pair))
    table = pd.DataFrame(
        rows, columns=["iCode", "other", "aggregate", "relation", "pearson", "spearman", "n"]
    )
    table.insert(1, "level", table["iCode"].map(hierarchy.levels))
    table.insert(3, "other_level", table["other"].map(hierarchy.levels))
    return table


@validate_params(
    {
        "correlations": [InstanceOf(pd.DataFrame, "a table from structure_correlations")],
        "t_collinear": [Interval(float, 0, 1)],
        "t_negative": [Interval(float, -1, 0)],
    }
)
def correlation_flags(
    correlations: pd.DataFrame, *, t_collinear: float = 0.9, t_negative: float = -0.4
) -> pd.DataFrame:
    """Flags from Pearson correlations inside an aggregate: ``iCode, flag, detail``.

    ``collinear``: |r| > ``t_collinear`` with a sibling (COINr's ``get_corr_flags`` default 0.9),
    so one of the two is nearly redundant. ``negative_with_sibling``: r < ``t_negative`` with a
    sibling (the threshold of COINr's vignette). ``negative_with_parent``: r < 0 with the
    aggregate it feeds, so raising the indicator tends to lower its own aggregate. Sibling flags
    name both codes.
    """
    flags = []
    siblings = correlations[correlations["relation"] == "sibling"]
    for r in siblings.itertuples(index=False):
        if abs(r.pearson) > t_collinear:
            detail = f"r = {r.pearson:.3f} with {r.other} in {r.aggregate}"
            flags.append((r.iCode, COLLINEAR, detail))
            flags.append(
                (r.other, COLLINEAR, f"r = {r.pearson:.3f} with {r.iCode} in {r.aggregate}")
            )
        if r.pearson < t_negative:
            flags.append((r.iCode, NEGATIVE_WITH_SIBLING, f"r = {r.pearson:.3f} with {r.other}"))
            flags.append((r.other, NEGATIVE_WITH_SIBLING, f"r = {r.pearson:.3f} with {r.iCode}"))
    parents = correlations[correlations["relation"] == "parent"]
    for r in parents.itertuples(index=False):
        if r.pearson < 0:
            flags.append((r.iCode, NEGATIVE_WITH_PARENT, f"r = {r.pearson:.3f} with {r.other}"))
    return pd.DataFrame(flags, columns=["iCode", "flag", "detail"])


@validate_params({"data": [InstanceOf(pd.DataFrame, "a pandas DataFrame, one column per item")]})
def cronbach_alpha(data: pd.DataFrame) -> float:
    """Cronbach's alpha of the columns of ``data`` from the pairwise-complete covariance matrix.

    alpha = k^2 * mean(off-diagonal covariances) / sum(all covariances), which equals the textbook
    k / (k - 1) * (1 - sum(var_i) / var(total)) when no value is missing (COINr's
    ``get_cronbach``).
    """
    k = data.shape[1]
    if k < 2:
        return float("nan")
    cov = data.astype(float).cov().to_numpy()
    total = np.nansum(cov)
    off_mean = (total - np.nansum(np.diag(cov))) / (k * (k - 1))
    return float(k**2 * off_mean / total) if total else float("nan")


@validate_params(
    {
        "scores": [InstanceOf(pd.DataFrame, "a pandas DataFrame of scores by code")],
        "hierarchy": [InstanceOf(Hierarchy, "a Hierarchy")],
    }
)
def cronbach_by_aggregate(scores: pd.DataFrame, hierarchy: Hierarchy) -> pd.DataFrame:
    """Cronbach's alpha of each aggregate's children: ``aggregate, level, k, n, alpha``."""
    rows = []
    for aggregate in hierarchy.aggregates:
        kids = _children_in(hierarchy, aggregate, scores)
        block = scores[kids]
        n = int(block.notna().all(axis=1).sum())
        rows.append((aggregate, hierarchy.levels[aggregate], len(kids), n, cronbach_alpha(block)))
    return pd.DataFrame(rows, columns=["aggregate", "level", "k", "n", "alpha"])


@validate_params(
    {
        "scores": [InstanceOf(pd.DataFrame, "a pandas DataFrame of scores by code")],
        "hierarchy": [InstanceOf(Hierarchy, "a Hierarchy")],
    }
)
def pca_by_aggregate(scores: pd.DataFrame, hierarchy: Hierarchy) -> pd.DataFrame:
    """First principal component of each aggregate's children, one row per child.

    Columns ``aggregate, level, k, n, variance_explained, iCode, loading``. As COINr's ``get_PCA``:
    rows with any missing child are dropped and the children are centred and scaled (PCA of the
    correlation matrix). ``variance_explained`` is PC1's share of the total variance. A component's
    sign is arbitrary; we orient PC1 so its loadings sum to a positive number, so "aligned with the
    aggregate" reads as positive.
    """
    rows = []
    for aggregate in hierarchy.aggregates:
        kids = _children_in(hierarchy, aggregate, scores)
        block = scores[kids].dropna().astype(float)
        n, k = block.shape
        spread = block.std(ddof=1)
        if k < 2 or n < 3 or (spread == 0).any():
            share, loadings = float("nan"), np.full(k, np.nan)
        else:
            corr = np.corrcoef(((block - block.mean()) / spread).to_numpy(), rowvar=False)
            values, vectors = np.linalg.eigh(corr)
            share = float(values[-1] / values.sum())
            loadings = vectors[:, -1] * (1 if vectors[:, -1].sum() >= 0 else -1)
        level = hierarchy.levels[aggregate]
        rows.extend(
            (aggregate, level, k, n, share, c, float(w))
            for c, w in zip(kids, loadings, strict=True)
        )
    return pd.DataFrame(
        rows, columns=["aggregate", "level", "k", "n", "variance_explained", "iCode", "loading"]
    )
