"""The rules of the standard: "at least N of M", evidence kinds, freshness windows with a frozen
clock, prerequisites, tier bands and gates, the roadmap order and the review cycle."""

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from civicmeter.assessment import (
    Claim,
    EvidenceItem,
    IllegalTransition,
    check_claims,
    load_shipped_standard,
    next_state,
    roadmap,
    verdict,
)
from civicmeter.assessment.freshness import months_before, within
from civicmeter.assessment.workflow import TRANSITIONS

from .test_standard import second_standard

STANDARD = load_shipped_standard()
SECOND = second_standard()
TODAY = date(2026, 12, 1)  # the frozen clock
CODES = [c.code for c in STANDARD.criteria]


def doc(dated=None):
    return EvidenceItem("document", dated)


def kinds(check):
    return [s.kind for s in check.shortfalls]


def test_n_of_m_three_of_four_items_with_a_fresh_dated_inventory():
    two = Claim("DG2", frozenset({"method", "recent"}), (doc(date(2026, 6, 1)),))
    three = Claim("DG2", frozenset({"method", "recent", "coverage"}), (doc(date(2026, 6, 1)),))
    assert kinds(check_claims(STANDARD, {"DG2": two}, today=TODAY)["DG2"]) == ["items"]
    assert check_claims(STANDARD, {"DG2": three}, today=TODAY)["DG2"].would_meet
    assert check_claims(STANDARD, {"DG2": two}, today=TODAY)["DG2"].missing_items == 1


def test_unknown_item_codes_never_count_towards_the_rule():
    claim = Claim("DG2", frozenset({"method", "made-up", "other"}), (doc(date(2026, 6, 1)),))
    assert check_claims(STANDARD, {"DG2": claim}, today=TODAY)["DG2"].shortfalls[0].facts == {
        "have": 1,
        "need": 3,
    }


def test_evidence_must_be_of_a_kind_the_criterion_accepts():
    claim = Claim("OD3", frozenset({"portal", "formats"}), (doc(),))  # OD3 wants a link
    check = check_claims(STANDARD, {"OD3": claim}, today=TODAY)["OD3"]
    assert "evidence" in kinds(check)


def test_freshness_window_with_a_frozen_clock():
    items = frozenset({"named", "written", "quarterly"})
    fresh = Claim("DG1", items, (doc(date(2026, 9, 1)), doc(date(2026, 11, 20))))
    stale = Claim("DG1", items, (doc(date(2026, 3, 1)), doc(date(2026, 11, 20))))
    assert check_claims(STANDARD, {"DG1": fresh}, today=TODAY)["DG1"].would_meet
    shortfall = check_claims(STANDARD, {"DG1": stale}, today=TODAY)["DG1"].shortfalls
    assert [s.kind for s in shortfall] == ["records"]
    assert shortfall[0].facts == {"have": 1, "need": 2, "since": "2026-08-01"}
    # the same claim, a year earlier, was fresh
    assert check_claims(STANDARD, {"DG1": stale}, today=date(2026, 4, 1))["DG1"].would_meet is False
    assert check_claims(STANDARD, {"DG1": fresh}, today=date(2026, 12, 31))["DG1"].would_meet


def test_a_date_in_the_future_is_named():
    claim = Claim("BF3", frozenset({"shifted"}), (doc(date(2027, 1, 5)),))
    check = check_claims(STANDARD, {"BF3": claim}, today=TODAY)["BF3"]
    assert "future" in kinds(check) and "records" in kinds(check)
    assert "2027-01-05" in str(check.shortfalls[kinds(check).index("future")])


def test_months_before_clamps_to_the_end_of_shorter_months():
    assert months_before(date(2026, 3, 31), 1) == date(2026, 2, 28)
    assert months_before(date(2026, 1, 15), 12) == date(2025, 1, 15)


@given(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31)),
    st.integers(1, 60),
    st.integers(0, 4000),
)
def test_within_window_is_exactly_the_dates_from_the_cut_off_to_today(today, months, back):
    from datetime import timedelta

    dated = today - timedelta(days=back)
    assert within(dated, today, months) == (dated >= months_before(today, months))
    assert not within(today + timedelta(days=1), today, months)


def test_a_prerequisite_not_met_is_named_on_the_dependent_criterion():
    od2 = Claim("OD2", frozenset({"guides"}), (EvidenceItem("link"),))
    check = check_claims(STANDARD, {"OD2": od2}, today=TODAY)["OD2"]
    assert kinds(check) == ["prerequisite"] and check.shortfalls[0].facts == {"codes": "OD1"}
    od1 = Claim("OD1", frozenset({"codified", "public"}), (doc(),))
    assert check_claims(STANDARD, {"OD1": od1, "OD2": od2}, today=TODAY)["OD2"].would_meet


def test_verdict_counts_a_dependent_criterion_only_with_its_prerequisite():
    assert verdict(STANDARD, {"OD2", "OD3"}).index == 0
    assert verdict(STANDARD, {"OD1", "OD2", "OD3"}).index == 3


def test_tier_bands_at_the_default_shares():
    def tier_of(n):
        return verdict(STANDARD, [c.code for c in STANDARD.criteria if not c.requires][:n]).tier

    free = [c.code for c in STANDARD.criteria if not c.requires]
    assert len(free) == 29
    everything = verdict(STANDARD, CODES)
    assert (everything.index, everything.tier, everything.score_class) == (38, "platinum", "high")
    assert tier_of(19) == ""  # 19/38 = 50 %
    assert tier_of(20) == "silver"  # 52.6 %
    assert tier_of(26) == "gold"  # 68.4 %
    assert verdict(STANDARD, CODES[:22]).score_class == "low"


def test_tier_gates_of_the_second_standard():
    firsts = [p.criteria[0].code for p in SECOND.practices]
    seconds = [p.criteria[1].code for p in SECOND.practices]
    seven_practices = firsts[:7] + seconds[:7]  # 14/16 = 87.5 %, nothing in CP
    assert verdict(SECOND, seven_practices).tier == "gold"  # platinum needs a point in every practice
    assert verdict(SECOND, firsts + seconds[:6]).tier == "platinum"  # 14/16 in all eight
    five_practices = firsts[:4] + seconds[:4] + firsts[4:5]  # 9/16 = 56 %
    assert verdict(SECOND, five_practices).tier == ""  # silver needs work in six practices
    six_practices = firsts[:3] + seconds[:3] + firsts[3:6]  # 9/16 in six
    assert verdict(SECOND, six_practices).tier == "silver"
    assert SECOND.recipe.tier(0.9) == "platinum"  # without component points, no gate is checked


@settings(max_examples=60, deadline=None)
@given(st.sets(st.sampled_from(CODES)), st.sampled_from(CODES))
def test_accepting_one_more_criterion_never_lowers_index_or_tier(accepted, extra):
    order = ["", "silver", "gold", "platinum"]
    before, after = verdict(STANDARD, accepted), verdict(STANDARD, accepted | {extra})
    assert 0 <= before.index <= after.index <= 38
    assert order.index(before.tier) <= order.index(after.tier)
    assert sum(p.met for p in after.practices) == after.index


def test_roadmap_puts_prerequisites_first_then_nearest_wins_with_peers():
    claims = {
        "DG2": Claim("DG2", frozenset({"method", "recent"})),  # 1 item missing
        "LC6": Claim("LC6", frozenset({"named"})),  # 1 item missing
    }
    peers = {"boston-us": {"DG2", "OD1", "OD2"}, "seattle-us": {"OD2"}}
    steps = roadmap(STANDARD, {"DG1"}, claims, peers)
    codes = [s.criterion.code for s in steps]
    assert "DG1" not in codes and len(codes) == 37
    assert codes[:4] == ["EV1", "OD1", "PA1", "BF1"]  # what others wait for, nearest (1 item) first
    assert codes[4:6] == ["DG2", "LC6"]  # nearest wins
    od2 = steps[codes.index("OD2")]
    assert od2.blocked_by == ("OD1",) and od2.peers == ("boston-us",)  # seattle's OD2 does not count
    assert steps[1].unlocks == ("OD2", "OD3", "OD4")
    assert [i.code for i in steps[4].unticked] == ["coverage", "published"]


@settings(max_examples=40, deadline=None)
@given(st.sets(st.sampled_from(CODES)))
def test_roadmap_lists_exactly_the_criteria_that_do_not_count(accepted):
    steps = roadmap(STANDARD, accepted)
    counted = verdict(STANDARD, accepted).counted
    assert {s.criterion.code for s in steps} == set(CODES) - counted
    seen_dependent = False
    for step in steps:  # no prerequisite after a criterion that is not one
        is_prerequisite = step.criterion.code in STANDARD.prerequisites
        assert not (is_prerequisite and seen_dependent)
        seen_dependent |= not is_prerequisite


def test_review_cycle_legal_path():
    state = next_state("draft", "submit")
    state = next_state(state, "decide")
    state = next_state(state, "return", open_requests=["dg1"])
    assert state == "returned"
    with pytest.raises(IllegalTransition) as caught:
        next_state(state, "submit", open_requests=["dg1"], unanswered=["dg1"])
    assert caught.value.reason == "unanswered" and caught.value.criteria == ("dg1",)
    state = next_state(state, "submit", open_requests=["dg1"], unanswered=[])
    state = next_state(state, "decide")
    assert next_state(state, "validate") == "validated"


@pytest.mark.parametrize(
    ("state", "action", "kwargs", "reason"),
    [
        ("draft", "decide", {}, "state"),
        ("returned", "decide", {}, "state"),
        ("draft", "validate", {}, "state"),
        ("submitted", "submit", {}, "state"),
        ("validated", "submit", {}, "state"),
        ("submitted", "return", {}, "no_request"),
        ("submitted", "validate", {"open_requests": ["od1"]}, "open_requests"),
    ],
)
def test_illegal_transitions_are_refused(state, action, kwargs, reason):
    with pytest.raises(IllegalTransition) as caught:
        next_state(state, action, **kwargs)
    assert caught.value.reason == reason


@given(st.lists(st.sampled_from(["submit", "decide", "return", "validate"]), max_size=12))
def test_only_listed_transitions_ever_change_state(actions):
    state = "draft"
    for action in actions:
        try:
            new = next_state(state, action, open_requests=["x"] if action == "return" else [])
        except IllegalTransition:
            continue
        assert TRANSITIONS[(state, action)] == new
        state = new


CRITERIA = {c.code: c for c in STANDARD.criteria}
evidence_items = st.builds(
    EvidenceItem,
    st.sampled_from(["document", "link"]),
    st.one_of(st.none(), st.dates(min_value=date(2023, 1, 1), max_value=date(2026, 11, 30))),
)


@settings(max_examples=80, deadline=None)
@given(st.sampled_from(sorted(CRITERIA)), st.data())
def test_more_ticks_or_more_evidence_never_make_a_claim_fall_shorter(code, data):
    criterion = CRITERIA[code]
    codes = [i.code for i in criterion.items]
    items = data.draw(st.frozensets(st.sampled_from(codes)))
    more_items = items | data.draw(st.frozensets(st.sampled_from(codes)))
    evidence = tuple(data.draw(st.lists(evidence_items, max_size=3)))
    more_evidence = evidence + tuple(data.draw(st.lists(evidence_items, max_size=2)))
    before = check_claims(STANDARD, {code: Claim(code, items, evidence)}, today=TODAY)[code]
    after = check_claims(STANDARD, {code: Claim(code, more_items, more_evidence)}, today=TODAY)[code]
    assert {s.kind for s in after.shortfalls} <= {s.kind for s in before.shortfalls}
    assert after.missing_items <= before.missing_items
    assert before.would_meet <= after.would_meet
