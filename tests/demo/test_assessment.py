"""Synthetic data-use assessments for the demo: tiers follow cited levels, prerequisites hold."""

from __future__ import annotations

import statistics

import pytest

from civicmeter.demo.assessment import (
    ACCEPTED,
    Criterion,
    criteria_from,
    synthetic_assessment,
    wwc_levels,
)
from civicmeter.scoring import DATA_USE_RECIPE, load_scoring_recipe, score_assessments


@pytest.fixture(scope="module")
def recipe():
    return load_scoring_recipe(DATA_USE_RECIPE)


@pytest.fixture(scope="module")
def criteria(recipe):
    return criteria_from({i.code.lower(): [r.lower() for r in i.requires] for i in recipe.items})


def tier(recipe, draw) -> str:
    table = score_assessments({"x": {c.upper() for c in draw.accepted}}, recipe)
    return table.rows[0].tier


@pytest.mark.parametrize("level", ["platinum", "gold", "silver", "honor_roll", None])
def test_every_draw_lands_in_its_band_with_prerequisites_met(recipe, criteria, level):
    expected = {"platinum": "platinum", "gold": "gold", "silver": "silver"}.get(level, "")
    for seed in range(40):
        draw = synthetic_assessment(criteria, city_slug="x-us", seed=seed, level=level)
        assert tier(recipe, draw) == expected
        for c in criteria:
            if c.name in draw.accepted:
                assert set(c.requires) <= draw.accepted
                assert draw.answers[c.name] == "met"


def test_uncited_cities_average_near_the_launch_calibration(criteria):
    shares = [
        len(synthetic_assessment(criteria, city_slug="x-us", seed=s).accepted) / len(criteria)
        for s in range(400)
    ]
    assert 0.35 < statistics.mean(shares) < 0.42
    assert max(shares) < 0.51


def test_claims_exceed_acceptances_and_history_precedes_the_final_outcome(criteria):
    draw = synthetic_assessment(criteria, city_slug="x-us", seed=7, level="gold")
    claimed = {c for c, v in draw.answers.items() if v == "met"}
    assert draw.accepted < claimed
    assert draw.answers[f"{sorted(draw.accepted)[0]}_evidence"].endswith("(synthetic)")
    finals = {c for c, outcome, round_ in draw.reviews if round_ == 2 and outcome == ACCEPTED}
    assert finals == draw.accepted


def test_draws_repeat_with_the_seed(criteria):
    one = synthetic_assessment(criteria, city_slug="x-us", seed=3)
    assert one == synthetic_assessment(criteria, city_slug="x-us", seed=3)


def test_the_cited_levels_name_their_sources():
    facts = wwc_levels()
    assert facts["cities"]["los-angeles-us"]["level"] == "gold"
    for slug, cited in facts["cities"].items():
        assert cited["source"] in facts["sources"], slug
        assert cited["level"] in facts["calibration"]["bands"], slug


def test_a_criterion_is_a_name_and_its_prerequisites():
    assert criteria_from({"od1": [], "od2": ["od1"]}) == (Criterion("od1"), Criterion("od2", ("od1",)))
