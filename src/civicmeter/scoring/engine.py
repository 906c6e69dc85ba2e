"""Hand component points to the composite-indicator engine and read the index back.

The framework is two levels: the recipe's components are the engine's indicators and the index is
their one aggregate. Each indicator is the component's *share* of its maximum (points / max) with
the component maximum as its weight; normalisation is ``none`` and aggregation the weighted
arithmetic mean, so the engine returns total points / total maximum, which times the recipe's
maximum is exactly the plain sum of component points (rounded to :data:`DECIMALS` to drop float
noise). Why go through the engine for a sum: the same framework then serves the audit and the
uncertainty tools, and a programme can change the aggregation in one place.

The tables are built directly rather than with :func:`~civicmeter.indexing.read_index_data`: that
reader refuses constant indicators (``index.E008``), a sound rule for building an index from data
but not for scoring, where every city of a small wave may share a component score.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from civicmeter.indexing import Hierarchy, IndexData, Recipe, recipe_from_dict, run_pipeline
from civicmeter.scoring.recipe import DECIMALS, ScoringRecipe

INDEX_CODE = "Index"


def index_framework(recipe: ScoringRecipe) -> Hierarchy:
    """The engine's view of a recipe: components (weighted by their maxima) under the index."""
    codes = tuple(c.code for c in recipe.components) + (INDEX_CODE,)
    levels = {c.code: 1 for c in recipe.components} | {INDEX_CODE: 2}
    parents = {c.code: INDEX_CODE for c in recipe.components} | {INDEX_CODE: None}
    weights = {c.code: c.max for c in recipe.components} | {INDEX_CODE: 1.0}
    names = {c.code: c.name for c in recipe.components} | {INDEX_CODE: recipe.title or recipe.id}
    return Hierarchy(codes, levels, parents, weights, {c: 1 for c in codes}, names)


def _meta(hierarchy: Hierarchy) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "Level": hierarchy.levels[c],
                "iCode": c,
                "iName": hierarchy.names[c],
                "Direction": 1,
                "Weight": hierarchy.weights[c],
                "Parent": hierarchy.parents[c] or np.nan,
                "Type": "Indicator" if hierarchy.levels[c] == 1 else "Aggregate",
            }
            for c in hierarchy.codes
        ]
    )


def component_shares(recipe: ScoringRecipe, points: pd.DataFrame) -> pd.DataFrame:
    """Component points (cities x components) as shares of each component's maximum."""
    maxima = pd.Series({c.code: c.max for c in recipe.components})
    return points[maxima.index] / maxima


def index_data(recipe: ScoringRecipe, points: pd.DataFrame) -> IndexData:
    """The engine's input: one unit per city (``uCode`` = the city key), component shares."""
    hierarchy = index_framework(recipe)
    table = component_shares(recipe, points).reset_index(drop=True)
    table.insert(0, "uCode", [str(city) for city in points.index])
    table.insert(1, "uName", table["uCode"])
    return IndexData(
        data=table, meta=_meta(hierarchy), hierarchy=hierarchy, groups=(), denominators=()
    )


def engine_recipe(recipe: ScoringRecipe) -> Recipe:
    """No normalisation, weighted arithmetic mean with the framework's (maximum-points) weights."""
    return recipe_from_dict(
        {
            "name": recipe.id,
            "version": recipe.version,
            "normalise": "none",
            "aggregate": "arithmetic",
            "weights": "original",
        },
        source=recipe.source,
    )


def index_points(recipe: ScoringRecipe, points: pd.DataFrame) -> pd.Series:
    """The index of every city (rows of ``points``, columns = component codes), via the engine."""
    result = run_pipeline(index_data(recipe, points), engine_recipe(recipe))
    index = result.scores[INDEX_CODE].to_numpy(dtype=float) * recipe.max
    return pd.Series(np.round(index, DECIMALS), index=points.index, name="index")
