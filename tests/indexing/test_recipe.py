"""Recipes: invalid files fail before any computation, naming every bad key; provenance is
recorded."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from civicmeter.indexing import (
    RecipeError,
    check_recipe_fits,
    load_recipe,
    recipe_from_dict,
    run_pipeline,
)

ASEM_RECIPE = (
    Path(__file__).resolve().parents[2] / "src/civicmeter/content/recipes/examples/asem.yaml"
)


def codes_and_places(content: dict) -> list[tuple[str, str]]:
    with pytest.raises(RecipeError) as info:
        recipe_from_dict(content, source="r.yaml")
    return [(p.code, p.place) for p in info.value.problems]


def test_example_recipe_loads_with_file_hash():
    recipe = load_recipe(ASEM_RECIPE)
    assert recipe.sha256 == hashlib.sha256(ASEM_RECIPE.read_bytes()).hexdigest()
    assert recipe.impute.method == "mean_group" and recipe.impute.group == "EurAsia_group"
    assert recipe.treat.enabled and recipe.treat.winsorise_max == 5
    assert recipe.normalise.low == 0 and recipe.normalise.high == 100
    assert recipe.provenance["recipe_version"] == "1.0"


def test_all_problems_reported_with_key_paths():
    found = codes_and_places(
        {
            "denominate": "yes",
            "impute": {"method": "mean_group"},
            "treat": {"winsorise_max": -1, "fallback": "boxcox"},
            "normalise": {"method": "minmax", "range": [100, 0]},
            "aggregate": {
                "method": "arithmetic",
                "levels": {"x": {"method": "geometric"}},
                "colour": 1,
            },
            "weights": "mystery",
            "unknown_step": {},
        }
    )
    assert ("recipe.E003", "r.yaml key denominate") in found
    assert ("recipe.E003", "r.yaml key impute.group") in found
    assert ("recipe.E003", "r.yaml key treat.winsorise_max") in found
    assert ("recipe.E003", "r.yaml key treat.fallback") in found
    assert ("recipe.E003", "r.yaml key normalise.range") in found
    assert ("recipe.E003", "r.yaml key aggregate.levels.x") in found
    assert ("recipe.E002", "r.yaml key aggregate.colour") in found
    assert ("recipe.E007", "r.yaml key weights") in found
    assert ("recipe.E002", "r.yaml key unknown_step") in found


def test_unknown_key_message_lists_allowed_keys():
    with pytest.raises(RecipeError) as info:
        recipe_from_dict({"screen": {"threshold": 0.9}}, source="r.yaml")
    assert (
        str(info.value) == "[recipe.E002] r.yaml key screen.threshold: unknown key; "
        "allowed keys here are min_availability"
    )


def test_shorthand_and_treat_none():
    recipe = recipe_from_dict({"normalise": "rank", "aggregate": "geometric", "treat": "none"})
    assert recipe.normalise.method == "rank" and recipe.aggregate.method == "geometric"
    assert not recipe.treat.enabled


def test_unparseable_file(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("normalise: [unclosed\n")
    with pytest.raises(RecipeError, match=r"recipe\.E001"):
        load_recipe(path)


def test_missing_group_column_fails_before_computing(asem_data):
    recipe = recipe_from_dict(
        {"impute": {"method": "mean_group", "group": "Continent_group"}}, source="r.yaml"
    )
    with pytest.raises(RecipeError) as info:
        run_pipeline(asem_data, recipe)
    assert info.value.codes == ("recipe.E004",)
    assert "EurAsia_group" in str(info.value)


def test_geometric_over_zero_based_normalisation_is_refused(asem_data):
    recipe = recipe_from_dict(
        {
            "normalise": {"method": "minmax", "range": [0, 100]},
            "aggregate": {"method": "geometric"},
        },
        source="r.yaml",
    )
    with pytest.raises(RecipeError) as info:
        check_recipe_fits(recipe, asem_data)
    assert set(info.value.codes) == {"recipe.E005"}
    assert "r.yaml key aggregate.method" in str(info.value)


def test_geometric_is_allowed_on_positive_range_or_with_shift(asem_data):
    positive = recipe_from_dict(
        {"normalise": {"range": [1, 100]}, "aggregate": "geometric", "treat": {}}
    )
    result = run_pipeline(asem_data, positive)
    assert result.scores.notna().all().all()
    shifted = recipe_from_dict({"aggregate": {"method": "geometric", "shift": 1}})
    check_recipe_fits(shifted, asem_data)


def test_level_and_node_overrides_are_checked_against_the_framework(asem_data):
    recipe = recipe_from_dict(
        {
            "aggregate": {
                "levels": {7: {"method": "harmonic"}},
                "nodes": {"Nope": {"method": "arithmetic"}},
            }
        },
        source="r.yaml",
    )
    with pytest.raises(RecipeError) as info:
        check_recipe_fits(recipe, asem_data)
    assert info.value.codes == ("recipe.E006", "recipe.E006")


def test_reference_unit_and_weight_set_codes_must_exist(asem_data):
    recipe = recipe_from_dict(
        {
            "normalise": {"method": "dist2ref", "unit": "ATLANTIS"},
            "weight_sets": {"heavy": {"NotACode": 2}},
            "weights": "heavy",
        },
        source="r.yaml",
    )
    with pytest.raises(RecipeError) as info:
        check_recipe_fits(recipe, asem_data)
    assert set(info.value.codes) == {"recipe.E006", "recipe.E007"}
