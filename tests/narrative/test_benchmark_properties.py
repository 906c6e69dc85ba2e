"""Properties of benchmark statements over random waves and peer groups (hypothesis)."""

from hypothesis import given, settings
from hypothesis import strategies as st

from civicmeter.narrative import PeerGroup, benchmark_statements

STRATEGY = st.sampled_from(["yes", "no", ""])
DATA_ROLE = st.sampled_from(["significant", "somewhat", "not_significant", "dont_know", ""])
PARTNERS = st.lists(st.sampled_from(["private_sector", "philanthropy", "academia"]), unique=True).map(
    " ".join
)
CITY = st.fixed_dictionaries({"s1_strategy": STRATEGY, "s4_data_role": DATA_ROLE, "s4_partners": PARTNERS})


def _wave(draw_cities):
    return {f"c{k}": answers for k, answers in enumerate(draw_cities)}


@settings(max_examples=30)
@given(cities=st.lists(CITY, min_size=1, max_size=12), data=st.data())
def test_shares_counts_and_the_city_itself(instrument, cities, data):
    answers = _wave(cities)
    members = data.draw(st.sets(st.sampled_from(sorted(answers)), min_size=1))
    city = data.draw(st.sampled_from(sorted(members)))
    if not any(answers[city].values()):
        return
    found = benchmark_statements(instrument, answers, city, PeerGroup("all", frozenset(members)))
    assert found.surveyed == sum(1 for c in members if any(answers[c].values()))
    for statement in found.statements:
        assert 0 <= statement.share <= 1
        # The city is counted in its own numerator and denominator.
        assert 1 <= statement.count <= statement.n
        assert statement.n + statement.excluded == found.surveyed
    # Counts over the distinct answers add up to n: benchmark one city per answer.
    for question in ("s1_strategy", "s4_data_role"):
        usable = {c: answers[c][question] for c in members if answers[c][question] not in ("", "dont_know")}
        if city not in usable:
            continue
        total = 0
        for value in set(usable.values()):
            holder = next(c for c in sorted(usable) if usable[c] == value)
            other = benchmark_statements(instrument, answers, holder, PeerGroup("all", frozenset(members)))
            total += other.statement(question).count
        assert total == found.statement(question).n


@settings(max_examples=20)
@given(cities=st.lists(CITY, min_size=2, max_size=10))
def test_chose_and_did_not_choose_partition_the_peers(instrument, cities):
    answers = _wave(cities)
    group = PeerGroup("all", frozenset(answers))
    with_partners = [c for c in sorted(answers) if answers[c]["s4_partners"]]
    for option in ("academia", "philanthropy"):
        chose = [c for c in with_partners if option in answers[c]["s4_partners"].split()]
        did_not = [c for c in with_partners if c not in chose]
        counts = [
            benchmark_statements(instrument, answers, side[0], group).statement("s4_partners", option).count
            for side in (chose, did_not)
            if side
        ]
        assert sum(counts) == len(with_partners)
