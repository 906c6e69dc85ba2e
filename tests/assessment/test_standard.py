"""The standard as data: the shipped 38-criterion standard, a second (WWC-2018-style) standard
loaded with no code change, and every problem of a bad standard file named with its place."""

from pathlib import Path

import pytest
import yaml

from civicmeter.assessment import StandardError, load_shipped_standard, load_standard
from civicmeter.assessment.loader import SHIPPED_STANDARD
from civicmeter.instruments import load_instrument
from civicmeter.scoring import DATA_USE_RECIPE, load_scoring_recipe

SECOND = Path(__file__).parents[1] / "fixtures" / "assessment-wwc2018"


def second_standard():
    return load_standard(
        load_instrument(SECOND / "wwc2018.xlsx"),
        load_scoring_recipe(SECOND / "wwc2018.recipe.yaml"),
        SECOND / "wwc2018.standard.yaml",
    )


def test_shipped_standard_has_38_criteria_in_7_practices_with_texts_in_three_languages():
    standard = load_shipped_standard()
    assert [p.code for p in standard.practices] == ["DG", "LC", "OD", "PA", "BF", "EV", "CE"]
    assert len(standard.criteria) == 38
    dg2 = standard.criterion("DG2")
    assert (dg2.min_items, len(dg2.items), dg2.freshness.months) == (3, 4, 12)
    assert standard.criterion("od3").requires == ("OD1",)
    for criterion in standard.criteria:
        assert 1 <= criterion.min_items <= len(criterion.items)
        for lang in ("en", "es", "fr"):
            assert criterion.statement(lang) and not criterion.statement(lang).startswith(criterion.code)
            assert all(item.texts[lang] for item in criterion.items)
            assert criterion.evidence.texts[lang]


def test_a_second_standard_with_8_practices_loads_without_code_changes():
    standard = second_standard()
    assert len(standard.practices) == 8
    assert standard.id == "wwc2018-test"
    assert standard.criterion("DS1").freshness.months == 12
    assert standard.criterion("CP2").requires == ("CP1",)


def _write(tmp_path, change):
    content = yaml.safe_load(SHIPPED_STANDARD.read_text())
    change(content)
    path = tmp_path / "bad.standard.yaml"
    path.write_text(yaml.safe_dump(content, allow_unicode=True))
    return path


def _load(path):
    return load_standard(
        load_instrument(SHIPPED_STANDARD.with_name("data-use-assessment.xlsx")),
        load_scoring_recipe(DATA_USE_RECIPE),
        path,
    )


def test_every_problem_of_a_bad_standard_is_named_with_its_place(tmp_path):
    def spoil(content):
        del content["criteria"]["CE4"]
        content["criteria"]["XX9"] = content["criteria"]["CE3"]
        content["criteria"]["DG2"]["min"] = 5
        del content["criteria"]["DG3"]["items"][0]["fr"]
        content["criteria"]["DG4"]["evidence"]["kinds"] = ["fax"]
        content["criteria"]["DG1"]["freshness"]["months"] = 0
        content["criteria"]["DG3"]["evidence"]["records"] = 2

    with pytest.raises(StandardError) as caught:
        _load(_write(tmp_path, spoil))
    text = str(caught.value)
    assert set(caught.value.codes) == {
        "assessment.E003",
        "assessment.E005",
        "assessment.E006",
        "assessment.E007",
        "assessment.E009",
    }
    assert "key criteria.XX9" in text and "CE4 of the recipe has no entry" in text
    assert "key criteria.DG2.min" in text and "from 1 to the 4 items" in text
    assert "key criteria.DG3.items[0].fr" in text
    assert "key criteria.DG4.evidence.kinds" in text
    assert "key criteria.DG1.freshness.months" in text


def test_a_standard_for_another_instrument_is_refused(tmp_path):
    path = _write(tmp_path, lambda c: c.update(instrument="other_form"))
    with pytest.raises(StandardError, match=r"assessment.E003.*written for instrument 'other_form'"):
        _load(path)


def test_a_missing_file_names_the_fix(tmp_path):
    with pytest.raises(StandardError, match="assessment.E001.*does not exist"):
        _load(tmp_path / "nope.yaml")
