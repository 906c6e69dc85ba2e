"""Law: a valid answer set survives export -> import unchanged and re-exports byte-identically."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from civicmeter.instruments.answers import check_answer, visible_answers
from civicmeter.instruments.files import to_csv_bytes, to_xlsx_bytes
from civicmeter.instruments.tabular import CityAnswers, answers_to_frame, read_answers

TEXT = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc"), include_characters="\n\t"),
    max_size=20,
).map(str.strip)


def _answer(instrument, question):
    if question.is_select:
        names = list(instrument.choices(question).names)
        if question.type == "select_one":
            return st.sampled_from(names)
        return st.lists(st.sampled_from(names), unique=True, max_size=3).map(" ".join)
    if question.type == "integer":
        return st.integers(-5, 20000).map(str)
    if question.type == "url":
        return st.sampled_from(["https://example.org/a?b=1", "http://x.es", "not a url"])
    return TEXT


@st.composite
def answer_sets(draw, instrument):
    raw = {}
    for question in instrument.iter_questions(answerable_only=True):
        if draw(st.booleans()):
            raw[question.name] = draw(_answer(instrument, question))
    # Keep what the instrument accepts, as the web survey would have stored it.
    kept = {}
    for name, value in visible_answers(instrument, raw).items():
        question = instrument.question(name)
        cleaned, problem, _ = check_answer(instrument, question, value, raw, shown=True)
        if problem is None and cleaned:
            kept[name] = cleaned
    return visible_answers(instrument, kept)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_export_import_export(shipped, data) -> None:
    rows = [
        CityAnswers(f"city-{i}", data.draw(TEXT), data.draw(answer_sets(shipped))) for i in range(2)
    ]
    first = to_csv_bytes(answers_to_frame(shipped, rows))
    back, problems = read_answers(shipped, first)
    assert problems == []
    assert [dict(r.answers) for r in back] == [dict(r.answers) for r in rows]
    assert [r.city_name for r in back] == [r.city_name for r in rows]
    assert to_csv_bytes(answers_to_frame(shipped, back)) == first
    from_xlsx, problems = read_answers(shipped, to_xlsx_bytes(answers_to_frame(shipped, rows)))
    assert problems == [] and [dict(r.answers) for r in from_xlsx] == [
        dict(r.answers) for r in rows
    ]
