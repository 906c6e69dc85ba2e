"""Properties of the PSI recipe on any answers the questionnaire allows (hypothesis)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from civicmeter.instruments import load_instrument
from civicmeter.scoring import PSI_RECIPE, SHIPPED_RECIPES, load_scoring_recipe, score_responses

INSTRUMENT = load_instrument(SHIPPED_RECIPES.parent / "instruments" / "innovation-capacity.xlsx")
RECIPE = load_scoring_recipe(PSI_RECIPE)
SCORED = sorted({i.question for i in RECIPE.items})


def _answer(question: str):
    q = INSTRUMENT.question(question)
    options = INSTRUMENT.choices(q).names
    if q.type == "select_multiple":
        return st.lists(st.sampled_from(options), min_size=1, unique=True).map(" ".join)
    return st.sampled_from(options)


ANSWERS = st.fixed_dictionaries({}, optional={q: _answer(q) for q in SCORED})
CITIES = st.dictionaries(
    st.text("abcdefgh", min_size=1, max_size=4), ANSWERS, min_size=1, max_size=8
)


@settings(max_examples=60, deadline=None)
@given(CITIES)
def test_index_and_components_stay_on_their_scales(responses):
    table = score_responses(INSTRUMENT, responses, RECIPE)
    for row in table.rows:
        assert 0 <= row.index <= 10
        assert all(0 <= c.points <= 2 for c in row.components)
        assert row.index == sum(
            c.points for c in row.components
        )  # the engine's total is the plain sum
        assert row.score_class == ("high" if row.index >= 6 else "low")
        assert row.rank == 1 + sum(other.index > row.index for other in table.rows)
        assert row.rank_p5 <= row.rank_median <= row.rank_p95


@settings(max_examples=80, deadline=None)
@given(ANSWERS, st.sampled_from(SCORED), st.data())
def test_adding_an_answer_never_lowers_the_score(answers, question, data):
    if question in answers:
        answers = {k: v for k, v in answers.items() if k != question}
    more = {**answers, question: data.draw(_answer(question))}
    table = score_responses(INSTRUMENT, {"before": answers, "after": more}, RECIPE)
    assert table["after"].index >= table["before"].index
