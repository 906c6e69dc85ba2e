"""Every text answer has a length limit: the instrument default or the question's own (item 8)."""

from __future__ import annotations

from civicmeter.instruments import clean_answer, load_instrument
from civicmeter.instruments.answers import DEFAULT_TEXT_LIMIT, text_limit
from civicmeter.instruments.tabular import frame_to_answers

from .conftest import SMALL_SURVEY, workbook_bytes


def with_constraint(constraint: str) -> bytes:
    survey = [list(row) for row in SMALL_SURVEY]
    survey.insert(-1, ["text", "story", "Story", "Historia", "no", "", constraint, "", ""])
    return workbook_bytes(survey)


def test_the_default_limit_applies_to_every_text_question(shipped) -> None:
    assert DEFAULT_TEXT_LIMIT == 5000
    assert text_limit(shipped.question("mayor")) == 5000
    value, error = clean_answer(shipped, "mayor", "x" * 5001, {})
    assert error == "Keep this answer to 5,000 characters at most (it has 5,001)."
    assert clean_answer(shipped, "mayor", "x" * 5000, {}) == ("x" * 5000, None)
    _, error = clean_answer(shipped, "mayor", "x" * 5001, {}, "es")
    assert "5000" in error


def test_a_question_may_set_its_own_limit_in_its_constraint() -> None:
    instrument = load_instrument(with_constraint("string-length(.) <= 20"))
    assert text_limit(instrument.question("story")) == 20
    assert clean_answer(instrument, "story", "y" * 21, {})[1].startswith("Keep this answer to 20 characters")
    roomy = load_instrument(with_constraint("string-length( . ) < 20001"))
    assert text_limit(roomy.question("story")) == 20000
    assert clean_answer(roomy, "story", "y" * 19_000, {})[1] is None


def test_imports_enforce_the_limit_with_the_place(shipped) -> None:
    import pandas as pd

    frame = pd.DataFrame([["bilbao-es", "z" * 5001]], columns=["city", "mayor"], dtype=object)
    _, problems = frame_to_answers(shipped, frame)
    [problem] = problems
    assert (problem.code, problem.row, problem.column) == ("import.E015", 2, "mayor")
