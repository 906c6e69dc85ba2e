"""The composite-indicator engine: COINr-compatible tables, steps, recipes and the pipeline.

Pure Python (numpy, pandas, scipy); never imports Django. Typical use::

    from civicmeter.indexing import load_recipe, read_index_data, run_pipeline
    data = read_index_data("iData.csv", "iMeta.csv")
    result = run_pipeline(data, load_recipe("recipe.yaml"))
    result.results_table()
"""

from civicmeter.indexing.aggregate import (
    aggregate_level,
    benefit_of_the_doubt,
    copeland,
    mazziotta_pareto,
)
from civicmeter.indexing.denominate import denominate
from civicmeter.indexing.errors import IndexDataError, IndexInputError, Problem, RecipeError
from civicmeter.indexing.fit import check_recipe_fits
from civicmeter.indexing.hierarchy import Hierarchy
from civicmeter.indexing.impute import impute
from civicmeter.indexing.normalise import normalise_array, rank_min
from civicmeter.indexing.pipeline import normalise_frame, run_pipeline
from civicmeter.indexing.recipe import Recipe, load_recipe, recipe_from_dict
from civicmeter.indexing.results import STAGES, IndexResult, rank_descending
from civicmeter.indexing.screen import screen_units
from civicmeter.indexing.specs import (
    AggregateSpec,
    ImputeSpec,
    NormaliseSpec,
    ScreenSpec,
    TreatSpec,
)
from civicmeter.indexing.stats import kurtosis, skewness
from civicmeter.indexing.tables import IndexData, read_index_data
from civicmeter.indexing.treat import treat_outliers
from civicmeter.indexing.tree import aggregate_tree
from civicmeter.indexing.weights import equal_weights, pca_weights, weight_set

__all__ = [
    "STAGES",
    "AggregateSpec",
    "Hierarchy",
    "ImputeSpec",
    "IndexData",
    "IndexDataError",
    "IndexInputError",
    "IndexResult",
    "NormaliseSpec",
    "Problem",
    "Recipe",
    "RecipeError",
    "ScreenSpec",
    "TreatSpec",
    "aggregate_level",
    "aggregate_tree",
    "benefit_of_the_doubt",
    "check_recipe_fits",
    "copeland",
    "denominate",
    "equal_weights",
    "impute",
    "kurtosis",
    "load_recipe",
    "mazziotta_pareto",
    "normalise_array",
    "normalise_frame",
    "pca_weights",
    "rank_descending",
    "rank_min",
    "read_index_data",
    "recipe_from_dict",
    "run_pipeline",
    "screen_units",
    "skewness",
    "treat_outliers",
    "weight_set",
]
