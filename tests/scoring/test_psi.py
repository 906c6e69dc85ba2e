"""The shipped PSI capacity recipe on hand-computed cities: every rule, the cap and skip logic."""

from __future__ import annotations

import pytest

from civicmeter.scoring import score_responses, scoring_recipe_from_dict
from civicmeter.testing import PSI_FULL_ANSWERS, PSI_MIXED_ANSWERS

FULL = PSI_FULL_ANSWERS
MIXED = PSI_MIXED_ANSWERS


def components(row) -> dict[str, float]:
    return {c.code: c.points for c in row.components}


def test_the_recipe_is_the_default_table_of_indexes_md(psi):
    table = {
        c.code: [(i.question, i.rule.kind, i.rule.value, i.points) for i in c.items] for c in psi.components
    }
    assert table == {
        "strategy": [
            ("s1_strategy", "equals", "yes", 1),
            ("s1_goals", "equals", "yes", 0.5),
            ("s1_approach", "in", ("holistic", "both"), 0.5),
        ],
        "organisation": [
            ("s2_team", "equals", "yes", 1),
            ("s2_integration", "equals", "embedded", 0.5),
            ("s2_roles", "count_at_least", 3, 0.5),
        ],
        "funding": [
            ("s3_dedicated", "equals", "yes", 1),
            ("s3_budget_plan", "in", ("increase", "maintain"), 0.5),
            ("s3_sources_now", "count_at_least", 2, 0.5),
        ],
        "data_use": [
            ("s4_data_role", "equals", "significant", 1),
            ("s4_data_role", "equals", "somewhat", 0.5),
            ("s4_open_data", "equals", "yes", 0.5),
            ("s4_data_strategy", "includes_any", ("data_strategy", "cdo"), 0.5),
        ],
        "evaluation": [
            ("s5_goal_metrics", "equals", "yes", 1),
            ("s5_eval_tools", "equals", "yes", 0.5),
            ("s5_eval_practice", "equals", "systematic", 0.5),
        ],
    }
    assert [c.max for c in psi.components] == [2, 2, 2, 2, 2]
    assert psi.max == 10
    assert (psi.id, psi.version, psi.instrument) == ("psi-capacity", "1.0", "innovation_capacity")
    assert [(b.code, b.minimum) for b in psi.classes] == [("high", 6), ("low", 0)]
    assert "did not publish" in psi.basis


def test_full_marks(instrument, psi):
    row = score_responses(instrument, {"full": FULL}, psi)["full"]
    assert (row.index, row.score_class, row.share, row.rank) == (10, "high", 1, 1)
    assert components(row) == dict.fromkeys(
        ["strategy", "organisation", "funding", "data_use", "evaluation"], 2
    )
    assert all(c.points == c.available for c in row.contributions if c.item != "data_role_somewhat")


def test_a_hand_computed_mixed_city(instrument, psi):
    row = score_responses(instrument, {"mixed": MIXED}, psi)["mixed"]
    assert components(row) == {
        "strategy": 0.5,
        "organisation": 1,
        "funding": 0.5,
        "data_use": 0.5,
        "evaluation": 1,
    }
    assert (row.index, row.score_class) == (3.5, "low")
    reasons = {c.item: (c.points, c.reason) for c in row.contributions}
    assert reasons["formal_strategy"] == (0, 'answered "no" to s1_strategy (needs "yes")')
    assert reasons["approach"] == (0.5, 'answered "both" to s1_approach')
    assert reasons["roles"] == (0, "2 option(s) chosen in s2_roles (needs at least 3)")
    assert reasons["budget_plan"] == (0.5, 'answered "maintain" to s3_budget_plan')
    assert reasons["funding_sources"] == (
        0,
        "s3_sources_now not asked (skipped because of an earlier answer)",
    )
    assert reasons["data_role_somewhat"] == (0.5, 'answered "somewhat" to s4_data_role')
    assert reasons["data_strategy"] == (0, "s4_data_strategy includes none of data_strategy, cdo")
    assert reasons["eval_tools"] == (0, 'answered "other" to s5_eval_tools (needs "yes")')


@pytest.mark.parametrize(
    ("question", "value", "item", "points"),
    [
        ("s1_approach", "holistic", "approach", 0.5),
        ("s1_approach", "specific", "approach", 0),
        ("s2_roles", "designer engineer other", "roles", 0.5),
        ("s2_roles", "designer engineer", "roles", 0),
        ("s3_budget_plan", "dont_know", "budget_plan", 0),
        ("s3_sources_now", "municipal", "funding_sources", 0),
        ("s4_data_strategy", "cdo", "data_strategy", 0.5),
        ("s4_data_strategy", "data_strategy", "data_strategy", 0.5),
        ("s4_data_role", "not_significant", "data_role_significant", 0),
        ("s5_eval_practice", "ad_hoc", "systematic_evaluation", 0),
    ],
)
def test_each_rule(instrument, psi, question, value, item, points):
    row = score_responses(instrument, {"c": {**FULL, question: value}}, psi)["c"]
    assert next(c.points for c in row.contributions if c.item == item) == points


def test_answers_to_skipped_questions_never_score(instrument, psi):
    stale = {
        **FULL,
        "s2_team": "no",
        "s3_dedicated": "no",
    }  # roles, integration, sources left behind
    row = score_responses(instrument, {"c": stale}, psi)["c"]
    assert components(row)["organisation"] == 0
    assert components(row)["funding"] == 0.5
    skipped = {c.item: c.reason for c in row.contributions if c.reason.endswith("earlier answer)")}
    assert skipped == {
        "embedded": "s2_integration not asked (skipped because of an earlier answer)",
        "roles": "s2_roles not asked (skipped because of an earlier answer)",
        "funding_sources": "s3_sources_now not asked (skipped because of an earlier answer)",
    }


def test_unanswered_questions_score_nothing_and_say_so(instrument, psi):
    row = score_responses(instrument, {"empty": {}}, psi)["empty"]
    assert row.index == 0
    assert next(c.reason for c in row.contributions if c.item == "formal_goals") == "s1_goals not answered"


def test_the_cap_holds_a_component_to_its_maximum(instrument, psi):
    content = {
        "id": "capped",
        "version": "1",
        "kind": "questionnaire",
        "instrument": "innovation_capacity",
        "max": 1,
        "classes": [{"code": "any", "min": 0}],
        "components": [
            {
                "code": "data",
                "cap": 1,
                "items": [
                    {
                        "code": "role",
                        "question": "s4_data_role",
                        "equals": "significant",
                        "points": 1,
                    },
                    {"code": "open", "question": "s4_open_data", "equals": "yes", "points": 0.5},
                ],
            }
        ],
    }
    recipe = scoring_recipe_from_dict(content)
    table = score_responses(instrument, {"a": FULL, "b": {"s4_open_data": "yes"}}, recipe)
    capped = table["a"].component("data")
    assert (capped.points, capped.raw, capped.capped, table["a"].index) == (1, 1.5, True, 1)
    assert "capped from 1.5" in table["a"].explain()
    assert table["b"].index == 0.5


def test_ranks_descend_and_ties_share_the_minimum(instrument, psi):
    table = score_responses(instrument, {"full": FULL, "mixed": MIXED, "twin": MIXED, "empty": {}}, psi)
    assert [(r.city, r.rank) for r in table.rows] == [
        ("full", 1),
        ("mixed", 2),
        ("twin", 2),
        ("empty", 4),
    ]
    assert table["mixed"].rank_p5 == table["twin"].rank_p5
    assert table.class_shares() == {"high": 0.25, "low": 0.75}
    assert list(table.to_frame().columns) == [
        "city",
        "index",
        "class",
        "share",
        "tier",
        "rank",
        "rank_p5",
        "rank_median",
        "rank_p95",
        "strategy",
        "organisation",
        "funding",
        "data_use",
        "evaluation",
    ]
    assert table.provenance.recipe_version == f"psi-capacity 1.0 (sha256 {psi.sha256})"
    assert table.provenance.instrument_version.startswith("innovation_capacity ")
    assert table.notes == ("only 4 cities: ranks and rank intervals say little at this size",)


def test_no_cities_gives_an_empty_table(instrument, psi):
    table = score_responses(instrument, {}, psi)
    assert table.n == 0 and table.notes == ("no cities to score",)


def test_summary_frame_gives_each_city_its_index_and_rank_interval(instrument, psi):
    table = score_responses(instrument, {"full": FULL, "mixed": MIXED, "empty": {}}, psi)
    frame = table.summary_frame()
    assert list(frame.index) == ["full", "mixed", "empty"] and frame.index.name == "city"
    for row in table.rows:
        shown = frame.loc[row.city]
        assert (shown["estimate"], shown["rank"], shown["class"]) == (row.index, row.rank, row.score_class)
        assert (shown["rank_p5"], shown["rank_p95"]) == (row.rank_p5, row.rank_p95)
    assert frame[["se", "ci_lower", "ci_upper"]].isna().all().all() and (frame["n"] == 1).all()
    assert frame["reason"].str.contains("bound the rank, not the score").all()
