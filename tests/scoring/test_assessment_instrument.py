"""The shipped data-use assessment workbook: loads, and stays aligned with the data-use recipe."""

from __future__ import annotations

import dataclasses

import pytest

from civicmeter import instruments
from civicmeter.instruments import load_instrument
from civicmeter.scoring import (
    SHIPPED_RECIPES,
    Component,
    ScoringError,
    assessment_criteria,
    recipe_criteria,
)

ASSESSMENT_FILE = SHIPPED_RECIPES.parent / "instruments" / "data-use-assessment.xlsx"


@pytest.fixture(scope="module")
def assessment():
    return load_instrument(ASSESSMENT_FILE)


def test_the_workbook_loads_with_one_section_per_practice_in_three_languages(assessment):
    assert (assessment.form_id, assessment.version) == ("data_use_assessment", "2020.1")
    assert [s.name for s in assessment.sections] == ["dg", "lc", "od", "pa", "bf", "ev", "ce"]
    assert set(assessment.language_names) == {"en", "es", "fr"}
    assert assessment.label("od1", "es").startswith("OD1. Una política pública")
    assert assessment.choice_label("met_not_met", "not_met", "fr") == "Non rempli"


def test_every_recipe_criterion_has_a_question_with_a_claim_and_optional_evidence(assessment, data_use):
    mapping = recipe_criteria(assessment, data_use)
    assert len(mapping) == 38 == len(assessment_criteria(assessment))
    assert mapping == {item.code.lower(): item.code for item in data_use.items}
    evidence = assessment.question("dg2_evidence")
    assert (evidence.type, evidence.required) == ("text", False)
    claims = {c: "not_met" for c in mapping}
    assert instruments.validate_response(assessment, claims) == []
    shown = instruments.visible_answers(assessment, {**claims, "dg2_evidence": "x"})
    assert "dg2_evidence" not in shown


def test_a_recipe_criterion_without_a_question_is_refused(assessment, data_use):
    extra = dataclasses.replace(data_use.components[0].items[0], code="DG10")
    first = data_use.components[0]
    components = (Component(first.code, first.name, (*first.items, extra)), *data_use.components[1:])
    with pytest.raises(ScoringError) as caught:
        recipe_criteria(assessment, dataclasses.replace(data_use, components=components))
    assert [p.code for p in caught.value.problems] == ["scoring.E011"]
    assert "dg10" in str(caught.value.problems[0])


def test_a_questionnaire_recipe_is_refused(assessment, psi):
    with pytest.raises(ScoringError) as caught:
        recipe_criteria(assessment, psi)
    assert [p.code for p in caught.value.problems] == ["scoring.E012"]
