"""Scoring: answers -> indicators -> the composite-indicator engine -> index, classes, tiers, ranks.

Pure Python (no Django). Recipes are YAML files under ``civicmeter/content/recipes/``::

    from civicmeter.scoring import SHIPPED_RECIPES, load_scoring_recipe, score_responses
    recipe = load_scoring_recipe(SHIPPED_RECIPES / "psi-capacity.yaml")
    table = score_responses(instrument, {"baltimore-us": answers}, recipe)
    print(table["baltimore-us"].explain())
"""

from pathlib import Path

from civicmeter.scoring.assessment import assessment_criteria, recipe_criteria
from civicmeter.scoring.engine import index_framework
from civicmeter.scoring.errors import ScoringError
from civicmeter.scoring.intervals import rank_intervals
from civicmeter.scoring.recipe import (
    Band,
    Component,
    Item,
    Rule,
    ScoringRecipe,
    Uncertainty,
    load_scoring_recipe,
    scoring_recipe_from_dict,
)
from civicmeter.scoring.results import ComponentScore, ScoredCity, ScoreTable
from civicmeter.scoring.rules import Contribution, check_recipe_fits_instrument
from civicmeter.scoring.score import score_assessments, score_responses

SHIPPED_RECIPES = Path(__file__).resolve().parent.parent / "content" / "recipes"
PSI_RECIPE = SHIPPED_RECIPES / "psi-capacity.yaml"
DATA_USE_RECIPE = SHIPPED_RECIPES / "data-use.yaml"

__all__ = [
    "DATA_USE_RECIPE",
    "PSI_RECIPE",
    "SHIPPED_RECIPES",
    "Band",
    "ScoredCity",
    "Component",
    "ComponentScore",
    "Contribution",
    "Item",
    "Rule",
    "ScoreTable",
    "ScoringError",
    "ScoringRecipe",
    "Uncertainty",
    "assessment_criteria",
    "check_recipe_fits_instrument",
    "index_framework",
    "load_scoring_recipe",
    "rank_intervals",
    "recipe_criteria",
    "score_assessments",
    "score_responses",
    "scoring_recipe_from_dict",
]
