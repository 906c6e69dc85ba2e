"""Sensitivity spec validation: every problem found before any run, with its key and exact text."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from civicmeter.indexing.recipe import load_recipe
from civicmeter.indexing.sensitivity_spec import (
    BAD_LEVELS,
    BAD_PERTURB,
    BAD_SEED,
    BAD_WINSORISE,
    CONFLICT,
    NO_INPUTS,
    NO_STEP,
    NO_VALUES,
    NON_POSITIVE,
    NOT_MAPPING,
    UNKNOWN_KEY,
    DiscreteInput,
    SensitivitySpecError,
    WeightNoise,
    load_sensitivity_spec,
    sensitivity_spec_from_dict,
)
from civicmeter.indexing.specs import TreatSpec
from civicmeter.indexing.tables import read_index_data

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "asem"
RECIPE = ROOT / "src" / "civicmeter" / "content" / "recipes" / "examples" / "asem.yaml"


@pytest.fixture(scope="module")
def asem():
    data = read_index_data(FIXTURES / "ASEM_iData.csv", FIXTURES / "ASEM_iMeta.csv")
    return data, load_recipe(RECIPE)


def problems(content, recipe, data):
    with pytest.raises(SensitivitySpecError) as info:
        sensitivity_spec_from_dict(content, recipe, data, source="sa.yaml")
    return [(p.code, p.place, p.message) for p in info.value.problems]


def test_valid_spec_is_parsed_in_pipeline_order(asem):
    data, recipe = asem
    spec = sensitivity_spec_from_dict(
        {
            "seed": 3,
            "inputs": {
                "aggregate": {"values": [{"method": "arithmetic"}, {"method": "geometric"}]},
                "weights": {"perturb": 0.25, "levels": [2, 3]},
                "normalise": {"values": [{"method": "minmax", "range": [1, 100]}, "rank"]},
                "winsorise_max": {"values": [1, 2, 3, 4, 5]},
                "impute": {"values": [{"method": "mean"}, {"method": "median"}]},
            },
        },
        recipe,
        data,
    )
    assert spec.names == ("impute", "winsorise_max", "normalise", "weights", "aggregate")
    assert spec.seed == 3
    winsor = spec.get("winsorise_max")
    assert isinstance(winsor, DiscreteInput) and winsor.values[2] == replace(
        recipe.treat, winsorise_max=3
    )
    weights = spec.get("weights")
    assert isinstance(weights, WeightNoise) and len(weights.codes) == 10 and weights.width == 10
    assert [winsor.choose(u) for u in (0.0, 0.199, 0.2, 0.999)] == [0, 0, 1, 4]


def test_geometric_over_zscore_without_shift_is_refused(asem):
    data, recipe = asem
    content = {
        "inputs": {
            "normalise": {
                "values": [
                    {"method": "minmax", "range": [1, 100]},
                    {"method": "zscore", "mean": 10, "sd": 2},
                ]
            },
            "aggregate": {"values": [{"method": "arithmetic"}, {"method": "geometric"}]},
        }
    }
    assert problems(content, recipe, data) == [
        (
            "sensitivity.E007",
            "sa.yaml key inputs.aggregate.values[1]",
            NON_POSITIVE.format(
                aggregate="geometric",
                normalise="zscore normalisation (inputs.normalise.values[1])",
            ),
        )
    ]
    assert NON_POSITIVE.format(aggregate="geometric", normalise="x") == (
        "geometric aggregation needs values > 0 but x can give values <= 0; give the aggregate "
        "alternative a shift (e.g. shift: 1) or normalise onto a positive range such as minmax "
        "with range [1, 100]"
    )


def test_geometric_alternative_over_the_recipes_normalisation(asem):
    data, recipe = asem  # the recipe normalises onto [0, 100]: zero is possible
    content = {"inputs": {"aggregate": {"values": [{"method": "harmonic"}]}}}
    assert problems(content, recipe, data) == [
        (
            "sensitivity.E007",
            "sa.yaml key inputs.aggregate.values[0]",
            NON_POSITIVE.format(
                aggregate="harmonic", normalise="minmax normalisation (the recipe)"
            ),
        )
    ]


def test_step_missing_from_the_recipe(asem):
    data, recipe = asem
    no_treat = replace(recipe, treat=TreatSpec(enabled=False))
    content = {"inputs": {"winsorise_max": {"values": [1, 2]}}}
    assert problems(content, no_treat, data) == [
        ("sensitivity.E003", "sa.yaml key inputs.winsorise_max", NO_STEP.format(step="treat"))
    ]
    assert NO_STEP.format(step="treat") == (
        "the recipe has no treat step, so there is nothing to vary; add the step to the recipe"
    )


def test_every_problem_is_reported_at_once(asem):
    data, recipe = asem
    content = {
        "seed": -1,
        "runs": 5,
        "inputs": {
            "denominate": {"values": [True]},
            "winsorise_max": {"values": [2, "many"]},
            "treat": {"values": [{"winsorise_max": 3}]},
            "normalise": {"values": []},
            "weights": {"perturb": 1.5, "levels": [4]},
            "aggregate": {"values": [{"method": "median"}], "weight": 1},
        },
    }
    found = problems(content, recipe, data)
    inputs = "impute, treat, winsorise_max, normalise, weights, aggregate"
    assert ("sensitivity.E008", "sa.yaml key seed", BAD_SEED.format(value=-1)) in found
    assert (
        "sensitivity.E002",
        "sa.yaml key runs",
        UNKNOWN_KEY.format(allowed="seed, inputs"),
    ) in found
    assert (
        "sensitivity.E002",
        "sa.yaml key inputs.denominate",
        UNKNOWN_KEY.format(allowed=inputs),
    ) in found
    assert (
        "sensitivity.E005",
        "sa.yaml key inputs.winsorise_max.values[1]",
        BAD_WINSORISE.format(value="many"),
    ) in found
    assert ("sensitivity.E004", "sa.yaml key inputs.normalise.values", NO_VALUES) in found
    assert (
        "sensitivity.E006",
        "sa.yaml key inputs.weights.perturb",
        BAD_PERTURB.format(value=1.5),
    ) in found
    assert (
        "sensitivity.E006",
        "sa.yaml key inputs.weights.levels",
        BAD_LEVELS.format(top=3, value=[4]),
    ) in found
    assert (
        "sensitivity.E002",
        "sa.yaml key inputs.aggregate.weight",
        UNKNOWN_KEY.format(allowed="values"),
    ) in found
    assert ("sensitivity.E010", "sa.yaml key inputs.winsorise_max", CONFLICT) in found
    bad_method = [p for p in found if p[1] == "sa.yaml key inputs.aggregate.values[0].method"]
    assert bad_method and bad_method[0][0] == "sensitivity.E005"
    assert len(found) == 10


def test_alternative_that_does_not_fit_the_data(asem):
    data, recipe = asem
    content = {"inputs": {"impute": {"values": [{"method": "mean_group", "group": "Continent"}]}}}
    ((code, place, message),) = problems(content, recipe, data)
    assert code == "sensitivity.E005"
    assert place == "sa.yaml key inputs.impute.values[0] (impute.group)"
    assert message.startswith("group column 'Continent' is not in iData")


def test_no_inputs(asem):
    data, recipe = asem
    assert problems({"seed": 1}, recipe, data) == [
        ("sensitivity.E009", "sa.yaml key inputs", NO_INPUTS)
    ]


def test_spec_files(asem, tmp_path):
    data, recipe = asem
    path = tmp_path / "sa.yaml"
    path.write_text("seed: 4\ninputs:\n  weights: {perturb: 0.2}\n", encoding="utf-8")
    spec = load_sensitivity_spec(path, recipe, data)
    assert spec.seed == 4 and spec.get("weights").levels == (1, 2, 3) and len(spec.sha256) == 64
    path.write_text("- a list\n", encoding="utf-8")
    with pytest.raises(SensitivitySpecError) as info:
        load_sensitivity_spec(path, recipe, data)
    assert info.value.problems[0].message == NOT_MAPPING
    with pytest.raises(SensitivitySpecError, match=r"\[sensitivity.E001\]"):
        load_sensitivity_spec(tmp_path / "missing.yaml", recipe, data)
