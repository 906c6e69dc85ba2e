"""Imputation of missing indicator values, with COINr's ``i_*`` conventions.

* ``mean`` / ``median``: the indicator's mean or median over all units.
* ``mean_group`` / ``median_group``: the mean or median of the unit's group (a ``*_group`` column);
  units with no group are left missing, as COINr's ``skip_f_na`` does.
* ``mean_row`` / ``median_row``: the unit's own mean (median) over the other indicators of the same
  aggregation group at ``group_level``, computed after a temporary min-max scaling to [0, 1] (with
  directions applied) and mapped back to the indicator's scale (COINr ``impute_by = "row"``,
  ``normalise_first = TRUE``).
* ``latest``: for panels, the unit's most recent earlier value of the indicator (COINr
  ``impute_panel``, ``imp_type = "latest"``).

Values that cannot be imputed (e.g. a group with no data) stay missing; later steps handle them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from civicmeter.indexing.hierarchy import Hierarchy
from civicmeter.params import NONE, InstanceOf, Interval, Options, validate_params

METHODS = (
    "none",
    "mean",
    "median",
    "mean_group",
    "median_group",
    "mean_row",
    "median_row",
    "latest",
)
GROUP_METHODS = ("mean_group", "median_group")
ROW_METHODS = ("mean_row", "median_row")


def _fill_columns(values: pd.DataFrame, statistic: str) -> pd.DataFrame:
    fill = values.mean() if statistic == "mean" else values.median()
    return _fill_from(values, np.broadcast_to(fill.to_numpy(), values.shape))


def _fill_groups(values: pd.DataFrame, groups: pd.Series, statistic: str) -> pd.DataFrame:
    labels = groups.reindex(values.index)
    centre = values.groupby(labels, dropna=True).transform(statistic)
    return _fill_from(values, centre.reindex(values.index).to_numpy(dtype=float))


def _fill_from(values: pd.DataFrame, replacement: np.ndarray) -> pd.DataFrame:
    current = values.to_numpy(dtype=float)
    filled = np.where(np.isnan(current), replacement, current)
    return pd.DataFrame(filled, index=values.index, columns=values.columns)


def _fill_rows(
    values: pd.DataFrame, hierarchy: Hierarchy, group_level: int, statistic: str
) -> pd.DataFrame:
    directions = np.array([hierarchy.directions[c] for c in values.columns], dtype=float)
    signed = values * directions
    lo, hi = signed.min(), signed.max()
    scaled = (signed - lo) / (hi - lo)
    lineage = hierarchy.lineage().set_index("Level1")[f"Level{group_level}"]
    filled = scaled.copy()
    for _, codes in lineage.reindex(values.columns).groupby(lineage.reindex(values.columns)):
        block = scaled[list(codes.index)]
        centre = block.mean(axis=1) if statistic == "mean" else block.median(axis=1)
        filled[list(codes.index)] = block.apply(lambda column, centre=centre: column.fillna(centre))
    restored = (filled * (hi - lo) + lo) * directions
    return values.where(values.notna(), restored)


def _fill_latest(values: pd.DataFrame, history: pd.DataFrame) -> pd.DataFrame:
    ordered = history.sort_values("Time")
    latest = ordered.groupby("uCode")[list(values.columns)].agg(
        lambda s: s.dropna().iloc[-1] if s.notna().any() else np.nan
    )
    return values.fillna(latest.reindex(values.index))


@validate_params(
    {
        "values": [InstanceOf(pd.DataFrame, "a pandas DataFrame of indicator values")],
        "method": [Options(METHODS)],
        "groups": [InstanceOf(pd.Series, "a pandas Series of group labels by uCode"), NONE],
        "hierarchy": [InstanceOf(Hierarchy, "a Hierarchy"), NONE],
        "group_level": [Interval(int, 2, None)],
        "history": [InstanceOf(pd.DataFrame, "a panel DataFrame with uCode and Time"), NONE],
    }
)
def impute(
    values: pd.DataFrame,
    *,
    method: str,
    groups: pd.Series | None = None,
    hierarchy: Hierarchy | None = None,
    group_level: int = 2,
    history: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Impute missing ``values`` (units x indicators, indexed by uCode) with ``method``.

    ``groups`` is needed by the group methods, ``hierarchy`` by the row methods and ``history``
    (earlier time points of the same units) by ``latest``; a missing one raises ``ValueError``.
    """
    values = values.astype(float)
    if method == "none" or not values.isna().any().any():
        return values.copy()
    if method in ("mean", "median"):
        return _fill_columns(values, method)
    if method in GROUP_METHODS:
        if groups is None:
            raise ValueError(f"impute method {method!r} needs the group labels")
        return _fill_groups(values, groups, method.split("_")[0])
    if method in ROW_METHODS:
        if hierarchy is None:
            raise ValueError(f"impute method {method!r} needs the hierarchy")
        return _fill_rows(values, hierarchy, group_level, method.split("_")[0])
    if history is None:
        raise ValueError("impute method 'latest' needs the panel history")
    return _fill_latest(values, history)
