"""One test per shipped trigger rule: a city it fires for and a city it does not fire for."""

import pytest

from civicmeter.narrative import Evidence, PeerGroup, recommend

#: Answers under which every question the rules read is asked (team and funding exist).
BASE = {"s2_team": "yes", "s3_dedicated": "yes", "s1_strategy": "yes"}
ALL_CRITERIA = frozenset({"EV1", "EV3", "DG1", "LC5", "OD1", "CE1", "LC3", "DG3", "DG5", "DG6", "DG2", "DG4"})

#: (recommendation, trigger id, answers or met criteria that fire it, ones that do not).
CASES = [
    (
        1,
        "leadership",
        {"s1_imp_mayor_leadership": "important"},
        {"s1_imp_mayor_leadership": "very_important"},
    ),
    (1, "residents", {"s1_act_resident_engagement": "never"}, {"s1_act_resident_engagement": "sometimes"}),
    (1, "training", {"s2_training": "no"}, {"s2_training": "occasionally"}),
    (2, "culture_lacking", {"s1_lacking": "funding culture"}, {"s1_lacking": "funding"}),
    (2, "risk_taking", {"s1_act_risk_taking": "rarely"}, {"s1_act_risk_taking": "often"}),
    (2, "team_alone", {"s2_integration": "on_its_own"}, {"s2_integration": "some_departments"}),
    (3, "no_strategy", {"s1_strategy": "no"}, {"s1_strategy": "yes"}),
    (3, "no_goals", {"s1_goals": "no"}, {"s1_goals": "other", "s1_goals_other": "in draft"}),
    (3, "no_goal_metrics", {"s5_goal_metrics": "no"}, {"s5_goal_metrics": "yes"}),
    (4, "no_team", {"s2_team": "no"}, {"s2_team": "yes"}),
    (4, "team_alone", {"s2_integration": "on_its_own"}, {"s2_integration": "embedded"}),
    (4, "few_roles", {"s2_roles": "designer engineer"}, {"s2_roles": "designer engineer project_manager"}),
    (5, "no_funding", {"s3_dedicated": "no"}, {"s3_dedicated": "yes"}),
    (5, "budget_unclear", {"s3_budget_plan": "dont_know"}, {"s3_budget_plan": "maintain"}),
    (5, "single_source", {"s3_sources_now": "municipal"}, {"s3_sources_now": "municipal national"}),
    (6, "data_role", {"s4_data_role": "not_significant"}, {"s4_data_role": "dont_know"}),
    (6, "evaluation", {"s5_eval_practice": "ad_hoc"}, {"s5_eval_practice": "systematic"}),
    (6, "budget_alignment", {"s4_budget_alignment": "no"}, {"s4_budget_alignment": "partly"}),
    (6, "evaluation_criteria", frozenset({"EV1"}), frozenset({"EV1", "EV3"})),
    (7, "no_data_strategy", {"s4_data_strategy": "neither"}, {"s4_data_strategy": "cdo"}),
    (7, "governance_criteria", frozenset(), frozenset({"DG1"})),
    (7, "data_leader_criteria", frozenset({"DG1"}), frozenset({"LC5"})),
    (
        8,
        "staff_capacity",
        {"s4_chal_staff_capacity": "very_challenging"},
        {"s4_chal_staff_capacity": "challenging"},
    ),
    (8, "infrastructure", {"s4_chal_infrastructure": "very_challenging"}, {"s4_chal_infrastructure": "na"}),
    (8, "no_open_data", {"s4_open_data": "no"}, {"s4_open_data": "yes"}),
    (8, "open_data_criteria", frozenset({"CE1"}), frozenset({"OD1"})),
    (8, "engagement_criteria", frozenset({"OD1"}), frozenset({"CE1"})),
    (8, "training_criteria", frozenset({"OD1"}), frozenset({"LC3"})),
    (9, "sharing_challenge", {"s4_chal_sharing": "very_challenging"}, {"s4_chal_sharing": "not_challenge"}),
    (9, "sharing_criteria", frozenset({"DG5"}), frozenset({"DG3"})),
    (9, "privacy_security_criteria", frozenset({"DG5"}), frozenset({"DG5", "DG6"})),
    (10, "inventory_quality_criteria", frozenset({"DG2"}), frozenset({"DG2", "DG4"})),
    (
        10,
        "incompatible_data",
        {"s4_chal_compatibility": "very_challenging"},
        {"s4_chal_compatibility": "challenging"},
    ),
]


def test_the_table_covers_every_shipped_trigger(rules):
    shipped = {(r.number, t.id) for r in rules.recommendations for t in r.triggers}
    assert {(number, trigger) for number, trigger, _, _ in CASES} == shipped


def _fired(rules, instrument, number, evidence_of_city):
    if isinstance(evidence_of_city, frozenset):
        answers, criteria = dict(BASE), {"city": evidence_of_city}
    else:
        answers, criteria = {**BASE, **evidence_of_city}, {}
    evidence = Evidence({"city": answers, "peer": dict(BASE)}, criteria=criteria)
    result = recommend(rules, instrument, "city", PeerGroup("all", frozenset(["city", "peer"])), evidence)
    return {r.trigger for item in result.items if item.number == number for r in item.reasons}


@pytest.mark.parametrize(
    ("number", "trigger", "fires", "quiet"), CASES, ids=[f"R{c[0]}-{c[1]}" for c in CASES]
)
def test_trigger(rules, instrument, number, trigger, fires, quiet):
    assert trigger in _fired(rules, instrument, number, fires)
    assert trigger not in _fired(rules, instrument, number, quiet)
