"""Recipe validation: every problem is reported at once, with its code, its key and the fix."""

from __future__ import annotations

import copy

import pytest
import yaml

from civicmeter.params import ParameterError
from civicmeter.scoring import (
    PSI_RECIPE,
    ScoringError,
    check_recipe_fits_instrument,
    load_scoring_recipe,
    scoring_recipe_from_dict,
)

BASE = yaml.safe_load(PSI_RECIPE.read_text(encoding="utf-8"))


def problems(content: dict) -> list[str]:
    with pytest.raises(ScoringError) as caught:
        scoring_recipe_from_dict(content, source="r.yaml")
    return [str(p) for p in caught.value.problems]


def edited(**changes) -> dict:
    content = copy.deepcopy(BASE)
    content.update(changes)
    return content


def test_the_shipped_recipe_round_trips_from_a_dict():
    recipe = scoring_recipe_from_dict(copy.deepcopy(BASE))
    assert recipe.max == 10 and len(recipe.items) == 16


def test_unknown_and_missing_top_keys():
    content = edited(colour="blue")
    del content["id"]
    assert problems(content) == [
        "[scoring.E002] r.yaml key colour: unknown key; allowed keys here are id, version, kind, title, "
        "description, basis, instrument, max, classes, tiers, uncertainty, components",
        "[scoring.E003] r.yaml key id: required key is missing; give a short id",
    ]


def test_bad_kind():
    assert problems(edited(kind="survey")) == [
        "[scoring.E004] r.yaml key kind: must be one of questionnaire, assessment, got 'survey'"
    ]


def test_item_problems_name_the_item():
    content = copy.deepcopy(BASE)
    items = content["components"][0]["items"]
    items[0]["in"] = ["yes"]  # two rules
    items[1]["points"] = 0  # points must be > 0
    items[2]["colour"] = "red"  # unknown key
    content["components"][1]["items"][2]["count_at_least"] = 0
    assert problems(content) == [
        "[scoring.E005] r.yaml key components.strategy.items.formal_strategy: give exactly one rule: one "
        "of equals, in, includes_any, count_at_least (found equals, in)",
        "[scoring.E004] r.yaml key components.strategy.items.formal_goals.points: must be a number > 0, "
        "got 0",
        "[scoring.E002] r.yaml key components.strategy.items.approach.colour: unknown key; allowed keys "
        "here are code, label, points, question, excluding, requires, equals, in, includes_any, "
        "count_at_least",
        "[scoring.E005] r.yaml key components.organisation.items.roles.count_at_least: count_at_least "
        "needs a whole number >= 1, got 0",
    ]


def test_duplicate_codes():
    content = copy.deepcopy(BASE)
    content["components"][1]["code"] = "strategy"
    content["components"][2]["items"][1]["code"] = "dedicated_funding"
    assert problems(content) == [
        "[scoring.E006] r.yaml key components.strategy: code 'strategy' is used twice; every component "
        "needs its own code",
        "[scoring.E006] r.yaml key components.funding.items.dedicated_funding: code 'dedicated_funding' "
        "is used twice; every item needs its own code",
    ]


def test_cap_and_max():
    content = edited(max=12)
    content["components"][3]["cap"] = 3
    assert problems(content) == [
        "[scoring.E007] r.yaml key components.data_use.cap: cap 3.0 must be > 0 and below the 2.5 points "
        "the items can earn; remove it or lower it",
        "[scoring.E008] r.yaml key max: max 12.0 differs from the 10.5 points the components can earn; "
        "write max: 10.5",
    ]


def test_classes_must_descend_to_zero():
    content = edited(classes=[{"code": "low", "min": 0}, {"code": "high", "min": 6}])
    assert problems(content) == [
        "[scoring.E009] r.yaml key classes: classes must be listed highest first with strictly "
        "decreasing minimums in [0, 10.0], the last at 0"
    ]


def test_prerequisites_must_name_ungated_criteria():
    content = {
        "id": "du",
        "version": "1",
        "kind": "assessment",
        "max": 3,
        "classes": [{"code": "all", "min": 0}],
        "components": [
            {
                "code": "OD",
                "items": [
                    {"code": "OD1"},
                    {"code": "OD2", "requires": ["OD1"]},
                    {"code": "OD3", "requires": ["OD2", "OD9"]},
                ],
            }
        ],
    }
    assert problems(content) == [
        "[scoring.E010] r.yaml key components.OD.items.OD3.requires: requires 'OD2', which itself requires "
        "another criterion; chain at most one level",
        "[scoring.E010] r.yaml key components.OD.items.OD3.requires: requires 'OD9', which is not a "
        "criterion of this recipe (or is the item itself)",
    ]


def test_uncertainty_spec():
    content = edited(
        uncertainty={"runs": 5, "inputs": {"weights": {"perturb": 1.5, "levels": [2]}}}
    )
    assert problems(content) == [
        "[scoring.E013] r.yaml key uncertainty.runs: uncertainty spec runs must be a whole number in "
        "[10, 100000], got 5",
        "[scoring.E013] r.yaml key uncertainty.inputs.weights.perturb: uncertainty spec perturb must be "
        "a number in (0, 1), got 1.5",
        "[scoring.E013] r.yaml key uncertainty.inputs.weights.levels: uncertainty spec levels must be "
        "[1]: the component weights are what is uncertain",
    ]


def test_rules_must_fit_the_instrument(instrument):
    content = copy.deepcopy(BASE)
    items = content["components"][0]["items"]
    items[0]["question"] = "s1_strategi"
    items[1]["equals"] = "maybe"
    items[2] = {"code": "approach", "question": "s1_approach", "count_at_least": 2, "points": 0.5}
    recipe = scoring_recipe_from_dict(content, source="r.yaml")
    with pytest.raises(ScoringError) as caught:
        check_recipe_fits_instrument(recipe, instrument)
    assert [str(p) for p in caught.value.problems] == [
        "[scoring.E011] r.yaml key components.strategy.items.formal_strategy.question: question "
        "'s1_strategi' is not in instrument 'innovation_capacity'; fix the code",
        "[scoring.E011] r.yaml key components.strategy.items.formal_goals.equals: 'maybe' is not an "
        "option of 's1_goals'; its options are yes, no, other",
        "[scoring.E011] r.yaml key components.strategy.items.approach.count_at_least: count_at_least "
        "needs a select_multiple question but 's1_approach' is select_one",
    ]


def test_recipe_for_another_instrument(instrument):
    recipe = scoring_recipe_from_dict(edited(instrument="other_form"), source="r.yaml")
    with pytest.raises(ScoringError) as caught:
        check_recipe_fits_instrument(recipe, instrument)
    assert str(caught.value) == (
        "[scoring.E011] r.yaml key instrument: the recipe is written for instrument 'other_form' but was "
        "given 'innovation_capacity'; use the recipe made for that instrument"
    )


def test_files(tmp_path):
    with pytest.raises(
        ScoringError,
        match=r"^\[scoring\.E001\] .*missing\.yaml: cannot read the scoring "
        r"recipe \(FileNotFoundError\); fix the path or the YAML syntax$",
    ):
        load_scoring_recipe(tmp_path / "missing.yaml")
    listed = tmp_path / "list.yaml"
    listed.write_text("- 1\n- 2\n")
    with pytest.raises(ScoringError, match="must be a YAML mapping"):
        load_scoring_recipe(listed)
    with pytest.raises(ParameterError, match="path"):
        load_scoring_recipe(3)


def test_the_file_hash_is_the_recipe_sha256():
    import hashlib

    assert (
        load_scoring_recipe(PSI_RECIPE).sha256
        == hashlib.sha256(PSI_RECIPE.read_bytes()).hexdigest()
    )
