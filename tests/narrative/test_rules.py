"""Loading rules files: the shipped one, and every problem reported with its rule and its fix."""

import pytest
import yaml

from civicmeter.narrative import SHIPPED_RULES, NarrativeError, load_rules


def test_the_shipped_rules(rules):
    assert [r.number for r in rules.recommendations] == list(range(1, 11))
    assert {r.layer for r in rules.recommendations} == {"meta_capacity", "component", "tool"}
    assert all(r.first_actions and r.triggers for r in rules.recommendations)
    assert rules.provenance["rules_source"] == str(SHIPPED_RULES)


def _load(tmp_path, instrument, recipes, change):
    content = yaml.safe_load(SHIPPED_RULES.read_text(encoding="utf-8"))
    change(content)
    path = tmp_path / "rules.yaml"
    path.write_text(yaml.safe_dump(content), encoding="utf-8")
    with pytest.raises(NarrativeError) as info:
        load_rules(path, instrument, recipes)
    return path, info.value


def _trigger(content, number, trigger_id):
    recommendation = next(r for r in content["recommendations"] if r["number"] == number)
    return next(t for t in recommendation["triggers"] if t["id"] == trigger_id)


def test_unknown_question(tmp_path, instrument, recipes):
    path, error = _load(
        tmp_path, instrument, recipes, lambda c: _trigger(c, 3, "no_strategy").update(question="s1_stratgy")
    )
    assert str(error) == (
        f"[narrative.E005] {path} key recommendations.3.triggers.no_strategy.question: question 's1_stratgy' "
        "is not in instrument 'innovation_capacity'; use a question name of the instrument"
    )


def test_unknown_choice(tmp_path, instrument, recipes):
    path, error = _load(
        tmp_path, instrument, recipes, lambda c: _trigger(c, 6, "evaluation").update({"in": ["adhoc"]})
    )
    assert str(error) == (
        f"[narrative.E006] {path} key recommendations.6.triggers.evaluation.in: 'adhoc' is not an option of "
        "'s5_eval_practice'; its options are not_evaluated, ad_hoc, systematic"
    )


def test_bad_operator(tmp_path, instrument, recipes):
    def change(content):
        trigger = _trigger(content, 3, "no_strategy")
        trigger["is"] = trigger.pop("equals")

    path, error = _load(tmp_path, instrument, recipes, change)
    assert [p.code for p in error.problems] == ["narrative.E002", "narrative.E007"]
    assert str(error.problems[1]) == (
        f"[narrative.E007] {path} key recommendations.3.triggers.no_strategy: "
        "give exactly one operator: one of equals, in, includes_any, includes_none, count_below, "
        "criteria_unmet (found none)"
    )


def test_operator_that_cannot_read_the_question(tmp_path, instrument, recipes):
    def change(content):
        trigger = _trigger(content, 4, "few_roles")
        trigger["question"] = "s2_team"

    path, error = _load(tmp_path, instrument, recipes, change)
    assert str(error) == (
        f"[narrative.E007] {path} key recommendations.4.triggers.few_roles.count_below: count_below needs a "
        "select_multiple question, but 's2_team' is select_one; use one of equals, in"
    )


def test_unknown_criterion_component_and_duplicates(tmp_path, instrument, recipes):
    def change(content):
        _trigger(content, 7, "governance_criteria")["criteria_unmet"] = ["DG99"]
        content["recommendations"][0]["component"] = "leadership"
        content["recommendations"][0]["triggers"].append(dict(content["recommendations"][0]["triggers"][0]))
        content["recommendations"][1]["number"] = 1

    _, error = _load(tmp_path, instrument, recipes, change)
    assert error.codes == ("narrative.E010", "narrative.E009", "narrative.E009", "narrative.E008")
    messages = [p.message for p in error.problems]
    assert messages[0].startswith(
        "component 'leadership' is not a component of the recipes given (strategy, "
    )
    assert messages[1] == "trigger 'leadership' is used twice; give every trigger its own code"
    assert (
        messages[2] == "recommendation number 1 is used twice; give every recommendation number its own code"
    )
    assert messages[3].startswith("criterion 'DG99' is not in recipe 'data-use'; its criteria are BF1, BF2")


def test_a_reason_with_a_placeholder_the_code_cannot_fill(tmp_path, instrument, recipes):
    _, error = _load(
        tmp_path, instrument, recipes, lambda c: _trigger(c, 3, "no_strategy").update(reason="no {strategy}")
    )
    assert error.problems[0].message == (
        "uses {strategy}, which this text cannot fill; it may use {answer}, {count}, {criteria}"
    )


def test_missing_keys_and_another_instrument(tmp_path, instrument, recipes):
    def change(content):
        del content["recommendations"][2]["first_actions"]
        del _trigger(content, 3, "no_strategy")["peers"]
        content["instrument"] = "data_use_assessment"

    _, error = _load(tmp_path, instrument, recipes, change)
    places = [p.place.split(" key ")[1] for p in error.problems]
    assert places == [
        "instrument",
        "recommendations.3.first_actions",
        "recommendations.3.triggers.no_strategy.peers",
    ]


def test_an_unreadable_rules_file(tmp_path, instrument, recipes):
    path = tmp_path / "rules.yaml"
    path.write_text("recommendations: [", encoding="utf-8")
    with pytest.raises(NarrativeError) as info:
        load_rules(path, instrument, recipes)
    assert info.value.codes == ("narrative.E001",)
    assert "fix the path or the YAML syntax" in str(info.value)
