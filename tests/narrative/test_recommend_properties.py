"""Peer shares and closing shares of recommendations agree with a direct count (hypothesis)."""

from hypothesis import given, settings
from hypothesis import strategies as st

from civicmeter.narrative import Evidence, PeerGroup, recommend

ANSWER = st.sampled_from(["yes", "no", ""])
CITY = st.fixed_dictionaries({"s1_strategy": ANSWER, "s1_goals": ANSWER, "s2_team": st.just("yes")})


@settings(max_examples=40)
@given(cities=st.lists(CITY, min_size=2, max_size=12))
def test_strategy_reasons_and_closing_match_a_direct_count(rules, instrument, cities):
    answers = {f"c{k}": a for k, a in enumerate(cities)}
    evidence = Evidence(answers)
    group = PeerGroup("all", frozenset(answers))
    for city, own in answers.items():
        result = recommend(rules, instrument, city, group, evidence)
        item = next((t for t in result.items if t.number == 3), None)
        fired = [q for q in ("s1_strategy", "s1_goals") if own[q] == "no"]
        assert (item is not None) == bool(fired)
        if item is None:
            continue
        others = [a for c, a in answers.items() if c != city]
        for question, reason in zip(fired, item.reasons, strict=True):
            usable = [a[question] for a in others if a[question]]
            expected = sum(v == "yes" for v in usable) / len(usable) if usable else None
            assert reason.peer_share == expected
            assert reason.peer_n == len(usable)
        relevant = [a for a in others if any(a[q] for q in fired)]
        closed = [a for a in relevant if not any(a[q] == "no" for q in fired)]
        assert item.closing == (len(closed) / len(relevant) if relevant else None)
