"""The one YAML schema reader: every methodology file format reports unreadable files the same way.

Index recipes, scoring recipes and sensitivity specs read files through
``civicmeter.yaml_schema.read_yaml_mapping``; each keeps its own ``E001`` message, and any
``OSError`` (not only a missing file) becomes that message instead of a traceback.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from civicmeter.indexing.errors import ProblemCollector, RecipeError
from civicmeter.indexing.recipe import load_recipe, recipe_from_dict
from civicmeter.indexing.sensitivity_spec import SensitivitySpecError, load_sensitivity_spec
from civicmeter.indexing.tables import read_index_data
from civicmeter.scoring.errors import ScoringError
from civicmeter.scoring.recipe import load_scoring_recipe
from civicmeter.yaml_schema import MappingReader, content_sha256

ROOT = Path(__file__).resolve().parent.parent
ASEM = ROOT / "tests" / "fixtures" / "asem"
ASEM_RECIPE = ROOT / "src" / "civicmeter" / "content" / "recipes" / "examples" / "asem.yaml"


def test_a_directory_is_a_recipe_problem_not_a_traceback(tmp_path):
    with pytest.raises(RecipeError) as info:
        load_recipe(tmp_path)
    assert str(info.value) == (
        f"[recipe.E001] {tmp_path}: cannot read the recipe file (IsADirectoryError); "
        "check the path and its permissions"
    )


def test_recipe_file_messages_are_kept(tmp_path):
    with pytest.raises(RecipeError) as info:
        load_recipe(tmp_path / "missing.yaml")
    assert str(info.value) == (
        f"[recipe.E001] {tmp_path / 'missing.yaml'}: recipe file not found; check the path"
    )
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(b"name: \xff\n")
    with pytest.raises(RecipeError) as info:
        load_recipe(bad)
    message = info.value.problems[0].message
    assert message.startswith("not valid UTF-8 YAML (") and message.endswith("); fix the syntax")
    bad.write_text("- a list\n", encoding="utf-8")
    with pytest.raises(RecipeError) as info:
        load_recipe(bad)
    assert info.value.problems[0].message == (
        "a recipe must be a YAML mapping of step names to options"
    )


def test_a_directory_is_a_scoring_and_a_spec_problem(tmp_path, asem_data_and_recipe):
    with pytest.raises(ScoringError) as info:
        load_scoring_recipe(tmp_path)
    assert str(info.value) == (
        f"[scoring.E001] {tmp_path}: cannot read the scoring recipe (IsADirectoryError); "
        "fix the path or the YAML syntax"
    )
    data, recipe = asem_data_and_recipe
    with pytest.raises(SensitivitySpecError) as info:
        load_sensitivity_spec(tmp_path, recipe, data)
    assert str(info.value) == (
        f"[sensitivity.E001] {tmp_path}: cannot read the sensitivity spec (IsADirectoryError); "
        "fix the path or the YAML syntax"
    )


@pytest.fixture(scope="module")
def asem_data_and_recipe():
    return read_index_data(ASEM / "ASEM_iData.csv", ASEM / "ASEM_iMeta.csv"), load_recipe(ASEM_RECIPE)


def test_file_sha256_is_of_the_bytes_and_dict_sha256_of_the_canonical_yaml():
    assert load_recipe(ASEM_RECIPE).sha256 == hashlib.sha256(ASEM_RECIPE.read_bytes()).hexdigest()
    content = {"normalise": "rank", "aggregate": "geometric"}
    assert recipe_from_dict(content).sha256 == content_sha256(content)
    assert content_sha256(content) == content_sha256(dict(reversed(content.items())))


def test_not_a_number_is_refused_as_a_weight():
    with pytest.raises(RecipeError) as info:
        recipe_from_dict({"weight_sets": {"w": {"A": float("nan")}}}, source="r.yaml")
    assert str(info.value) == (
        "[recipe.E003] r.yaml key weight_sets.w.A: weight must be a number >= 0, got nan"
    )


class _Demo(MappingReader):
    UNKNOWN_CODE = "demo.E002"
    NOT_MAPPING_CODE = "demo.E003"


def test_the_reader_records_every_problem_with_its_key_path():
    problems = ProblemCollector(RecipeError)
    root = _Demo({"a": 1, "b": [1]}, "f.yaml", "", problems)
    root.only(("a",))
    inner = root.nested(root.content["b"], "b")
    assert not inner.is_mapping and inner.content == {}
    assert [(p.code, p.place, p.message) for p in problems.problems] == [
        ("demo.E002", "f.yaml key b", "unknown key; allowed keys here are a"),
        ("demo.E003", "f.yaml key b", "must be a mapping, got [1]"),
    ]
