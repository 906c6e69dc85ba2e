"""The evaluator: reasons with peer shares, the priority formula and order, examples, provenance."""

import pytest

from civicmeter.narrative import (
    Evidence,
    NarrativeError,
    PeerGroup,
    RecommendationSettings,
    component_shares,
    recommend,
)
from civicmeter.scoring import score_responses


def _answers(strategy, funding, team="yes"):
    return {"s1_strategy": strategy, "s3_dedicated": funding, "s2_team": team}


@pytest.fixture
def wave():
    """A city without a strategy or dedicated funding, four peers mostly with both."""
    answers = {
        "x": _answers("no", "no"),
        "p1": _answers("yes", "yes"),
        "p2": _answers("yes", "yes"),
        "p3": _answers("yes", "no"),
        "p4": _answers("no", "yes"),
    }
    scores = {
        "x": {"strategy": 0.0, "funding": 0.25},
        "p1": {"strategy": 1.0, "funding": 1.0},
        "p2": {"strategy": 0.75, "funding": 0.75},
        "p3": {"strategy": 0.5, "funding": 0.5},
        "p4": {"strategy": 0.25, "funding": 1.0},
    }
    return Evidence(answers, scores)


def test_reasons_say_what_the_city_lacks_and_how_many_peers_have_it(rules, instrument, wave):
    result = recommend(rules, instrument, "x", PeerGroup("all", frozenset(wave.answers)), wave)
    strategy = next(t for t in result.items if t.number == 3)
    (reason,) = strategy.reasons
    assert reason.text == "no formal strategy, while 75% of peers have one"
    assert (reason.trigger, reason.peer_share, reason.peer_n) == ("no_strategy", 0.75, 4)


def test_priority_is_the_gap_to_the_peer_median_times_the_share_that_closes_it(rules, instrument, wave):
    result = recommend(rules, instrument, "x", PeerGroup("all", frozenset(wave.answers)), wave)
    by_number = {t.number: t for t in result.items}
    # strategy: peer median of (1, .75, .5, .25) = .625, city 0 -> gap .625; 3 of 4 peers have one.
    assert (by_number[3].gap, by_number[3].closing, by_number[3].priority) == (0.625, 0.75, 0.46875)
    # funding: peer median of (1, .75, .5, 1) = .875, city .25 -> gap .625; 3 of 4 peers have it.
    assert (by_number[5].gap, by_number[5].closing, by_number[5].priority) == (0.625, 0.75, 0.46875)
    # Equal priority and closing: more reasons first, then the lower number.
    assert [t.number for t in result.items] == [3, 5]


def test_a_larger_gap_closed_by_fewer_peers_can_still_come_first(rules, instrument, wave):
    scores = {city: dict(values) for city, values in wave.scores.items()}
    scores["x"]["funding"] = 0.75  # gap .125 -> priority .09375, below strategy's .46875
    evidence = Evidence(wave.answers, scores)
    result = recommend(rules, instrument, "x", PeerGroup("all", frozenset(wave.answers)), evidence)
    assert [(t.number, t.priority) for t in result.items] == [(3, 0.46875), (5, 0.09375)]


def test_a_city_above_its_peers_median_gets_priority_zero_and_no_score_comes_last(rules, instrument, wave):
    scores = {city: dict(values) for city, values in wave.scores.items()}
    scores["x"]["strategy"] = 1.0
    del scores["x"]["funding"]
    result = recommend(
        rules, instrument, "x", PeerGroup("all", frozenset(wave.answers)), Evidence(wave.answers, scores)
    )
    assert [(t.number, t.gap, t.priority) for t in result.items] == [(3, 0.0, 0.0), (5, None, None)]
    assert result.notes[-1] == "no score (for the city or its peers) on funding: no priority there"


def test_peer_examples_are_tagged_cases_and_strong_programme_cities(rules, instrument, wave, cases):
    settings = RecommendationSettings(examples=2, strong_share=0.75)
    result = recommend(
        rules, instrument, "x", PeerGroup("all", frozenset(["x", "p3"])), wave, cases, settings
    )
    strategy = next(t for t in result.items if t.number == 3)
    assert [c.id for c in strategy.cases] == ["las-vegas-plans-before-budget", "boston-cityscore-contracts"]
    # Strong cities come from the whole programme, not only the peer group.
    assert strategy.strong_cities == (("p1", 1.0), ("p2", 0.75))
    assert strategy.first_actions[0].startswith("Agree what innovation means")


def test_provenance_and_notes(rules, instrument, wave, cases):
    result = recommend(rules, instrument, "x", PeerGroup("all", frozenset(wave.answers)), wave, cases)
    assert result.provenance["rules"] == "default-recommendations"
    assert result.provenance["rules_version"] == rules.version
    assert result.provenance["rules_sha256"] == rules.sha256 and len(rules.sha256) == 64
    assert result.provenance["peers"] == "4"
    assert result.provenance["cases_sha256"] == next(iter(cases.files.values()))
    assert result.notes[0] == "x has no reviewed data-use assessment: criteria triggers were not checked"
    assert result.top(1) == result.items[:1]
    assert "3. Adopt a formal, public innovation strategy" in result.explain()


def test_peers_without_a_comparable_answer_are_said(rules, instrument):
    evidence = Evidence({"x": _answers("no", "yes"), "p": {"s2_team": "yes"}})
    result = recommend(rules, instrument, "x", PeerGroup("all", frozenset(["x", "p"])), evidence)
    (reason,) = next(t for t in result.items if t.number == 3).reasons
    assert reason.text == "no formal strategy (no peer has a comparable answer)"
    assert (reason.peer_share, reason.peer_n) == (None, 0)


def test_the_reason_quotes_the_citys_own_answer(rules, instrument):
    answers = {"x": {"s1_act_risk_taking": "never"}, "p": {"s1_act_risk_taking": "often"}}
    result = recommend(rules, instrument, "x", PeerGroup("all", frozenset(answers)), Evidence(answers))
    (reason,) = next(t for t in result.items if t.number == 2).reasons
    assert (
        reason.text
        == 'taking risks and testing new ideas "Never", while 100% of peers do it at least sometimes'
    )


def test_refusals(rules, instrument, wave):
    with pytest.raises(NarrativeError) as info:
        recommend(rules, instrument, "x", PeerGroup("all", frozenset(["p1"])), wave)
    assert info.value.codes == ("narrative.E016",)
    with pytest.raises(NarrativeError) as info:
        recommend(rules, instrument, "nobody", PeerGroup("all", frozenset(["nobody", "p1"])), wave)
    assert info.value.codes == ("narrative.E017",)


def test_component_shares_from_score_tables(instrument, recipes, rules):
    answers = {"x": _answers("no", "no"), "p": _answers("yes", "yes")}
    table = score_responses(instrument, answers, recipes[0])
    shares = component_shares((table,))
    assert shares["x"]["strategy"] == 0.0
    assert shares["p"]["strategy"] == 0.5  # formal strategy earns 1 of the component's 2 points
    result = recommend(
        rules, instrument, "x", PeerGroup("all", frozenset(answers)), Evidence(answers, shares)
    )
    assert next(t for t in result.items if t.number == 3).gap == 0.5


def test_settings_are_checked_when_made():
    from civicmeter.params import ParameterError

    with pytest.raises(ParameterError) as info:
        RecommendationSettings(strong_share=1.5)
    assert str(info.value) == (
        "the 'strong_share' parameter of RecommendationSettings must be a number in [0, 1]; got 1.5"
    )


def test_the_result_as_a_table(rules, instrument, wave, cases):
    result = recommend(rules, instrument, "x", PeerGroup("all", frozenset(wave.answers)), wave, cases)
    frame = result.to_frame()
    assert list(frame["number"]) == [3, 5]
    assert frame.loc[0, "reasons"] == "no formal strategy, while 75% of peers have one"
    assert frame.loc[0, "priority"] == 0.46875
    assert frame.loc[0, "strong"] == "p1 p2"
    assert frame.loc[1, "cases"] == "cornella-citilab-funding"
