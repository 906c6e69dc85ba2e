"""The data-use recipe: one point per reviewed criterion, prerequisite gating, classes and tiers."""

from __future__ import annotations

import pytest

from civicmeter.scoring import ScoringError, score_assessments


@pytest.fixture(scope="module")
def codes(data_use):
    return [i.code for i in data_use.items]


def test_the_recipe_has_38_criteria_in_7_practices(data_use):
    assert [(c.code, len(c.items)) for c in data_use.components] == [
        ("DG", 9),
        ("LC", 6),
        ("OD", 4),
        ("PA", 5),
        ("BF", 6),
        ("EV", 4),
        ("CE", 4),
    ]
    assert data_use.max == 38
    gates = {i.code: i.requires for i in data_use.items if i.requires}
    assert gates == {
        "OD2": ("OD1",),
        "OD3": ("OD1",),
        "OD4": ("OD1",),
        "PA2": ("PA1",),
        "PA3": ("PA1",),
        "PA4": ("PA1",),
        "BF2": ("BF1",),
        "EV2": ("EV1",),
        "EV3": ("EV1",),
    }
    assert [(t.code, t.minimum) for t in data_use.tiers] == [
        ("platinum", 0.85),
        ("gold", 0.68),
        ("silver", 0.51),
    ]


def test_prerequisites_gate_their_dependants(data_use):
    table = score_assessments(
        {"c": {"OD2", "OD3", "PA1", "PA2", "BF2", "EV1", "EV3", "EV4"}}, data_use
    )
    row = table["c"]
    practice = {c.code: c.points for c in row.components}
    assert practice == {"DG": 0, "LC": 0, "OD": 0, "PA": 2, "BF": 0, "EV": 3, "CE": 0}
    assert row.index == 5
    reasons = {c.item: c.reason for c in row.contributions}
    assert reasons["OD2"] == "met after review, but scores nothing until OD1 is met"
    assert reasons["PA2"] == "met after review"
    assert reasons["OD1"] == "not met"
    assert row.component("EV").share == 0.75


@pytest.mark.parametrize(
    ("met", "tier", "klass"),
    [
        (19, "", "low"),
        (20, "silver", "low"),
        (22, "silver", "low"),
        (23, "silver", "high"),
        (25, "silver", "high"),
        (26, "gold", "high"),
        (32, "gold", "high"),
        (33, "platinum", "high"),
        (38, "platinum", "high"),
        (0, "", "low"),
    ],
)
def test_tier_bands_and_classes(data_use, codes, met, tier, klass):
    row = score_assessments({"c": set(codes[:met])}, data_use)[
        "c"
    ]  # recipe order: gates come first
    assert (row.index, row.tier, row.score_class) == (met, tier, klass)


def test_tier_bands_are_configuration(data_use, codes):
    from dataclasses import replace

    from civicmeter.scoring import Band

    wwc_2018 = replace(
        data_use,
        tiers=(
            Band("platinum", "Platinum", 0.84),
            Band("gold", "Gold", 0.67),
            Band("silver", "Silver", 0.51),
        ),
    )
    assert score_assessments({"c": set(codes[:32])}, wwc_2018)["c"].tier == "platinum"


def test_unknown_criteria_are_refused(data_use):
    with pytest.raises(ScoringError) as caught:
        score_assessments({"boston-us": {"DG1", "XX9", "OD7"}}, data_use)
    assert str(caught.value) == (
        "[scoring.E014] criteria for city boston-us: names criteria the recipe does not have: OD7, XX9; "
        "fix the criterion codes"
    )


def test_a_questionnaire_recipe_is_refused(psi):
    with pytest.raises(ScoringError, match=r"scoring\.E012.*use score_responses for it"):
        score_assessments({"c": set()}, psi)


def test_an_assessment_recipe_is_refused_for_answers(instrument, data_use):
    from civicmeter.scoring import score_responses

    with pytest.raises(ScoringError, match=r"scoring\.E012.*use score_assessments for it"):
        score_responses(instrument, {"c": {}}, data_use)
