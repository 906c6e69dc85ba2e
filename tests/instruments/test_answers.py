"""Answer logic used by the web survey: coercion, choices, constraints, relevance and progress."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from civicmeter.instruments import (
    available_choices,
    clean_answer,
    load_instrument,
    missing_required,
    section_progress,
    validate_response,
    visible,
    visible_answers,
)
from civicmeter.instruments.answers import MESSAGES, NOT_A_CHOICE, REQUIRED
from civicmeter.params import ParameterError


def test_integer_range_uses_the_workbook_message_in_each_language(shipped) -> None:
    team = {"s2_team": "yes"}
    assert clean_answer(shipped, "s2_team_size", " 10 ", team, "en") == ("10", None)
    assert clean_answer(shipped, "s2_team_size", "007", team, "en") == ("7", None)
    assert clean_answer(shipped, "s2_team_size", "0", team, "en") == (
        "0", "Enter a whole number between 1 and 10,000"
    )  # fmt: skip
    assert clean_answer(shipped, "s2_team_size", "10001", team, "fr") == (
        "10001", "Saisissez un nombre entier entre 1 et 10 000"
    )  # fmt: skip
    assert clean_answer(shipped, "s2_team_size", "ten", team, "es") == (
        "ten", "Introduzca un número entero (solo cifras), no 'ten'."
    )  # fmt: skip


def test_required_only_when_shown(shipped) -> None:
    required = MESSAGES["en"][REQUIRED]
    assert clean_answer(shipped, "s2_team_size", "", {"s2_team": "yes"}) == ("", required)
    assert clean_answer(shipped, "s2_team_size", "", {"s2_team": "no"}) == ("", None)
    assert clean_answer(shipped, "s1_lacking", [], {}) == ("", None)  # optional


def test_select_values(shipped) -> None:
    assert clean_answer(shipped, "s1_strategy", "yes", {}) == ("yes", None)
    value, error = clean_answer(shipped, "s1_strategy", "Yes", {})
    assert error == MESSAGES["en"][NOT_A_CHOICE].format(value="Yes", options="yes, no")
    # select_multiple: a list of ticks, stored space-separated in choice-list order
    assert clean_answer(shipped, "s1_terms", ["experimentation", "technology"], {}) == (
        "technology experimentation", None
    )  # fmt: skip
    three = "technology data_analytics experimentation"
    assert clean_answer(shipped, "s1_terms", three, {})[1] == "Choose at most two terms"
    assert clean_answer(shipped, "s4_partners", ["none", "academia"], {}, "es")[1] == (
        "'Ningún socio tiene un papel importante' no puede combinarse con otras respuestas"
    )


def test_url_questions(shipped) -> None:
    strategy = {"s1_strategy": "yes"}
    assert clean_answer(shipped, "s1_strategy_url", "https://x.org/plan", strategy) == (
        "https://x.org/plan", None
    )  # fmt: skip
    assert clean_answer(shipped, "s1_strategy_url", "x.org", strategy)[1] == (
        "Enter a full web address starting with http:// or https://"
    )


def test_other_specify_appears_only_with_other(shipped) -> None:
    assert "s2_roles_other" not in visible(shipped, {"s2_team": "yes", "s2_roles": "designer"})
    assert "s2_roles_other" in visible(shipped, {"s2_team": "yes", "s2_roles": "designer other"})


def test_skip_logic_of_the_shipped_instrument(shipped) -> None:
    nothing = visible(shipped, {})
    for hidden in ("s1_strategy_text", "s1_strategy_url", "s2_team_size", "s3_sources_now",
                   "s1_policy_areas", "s4_open_data_url", "s5_methods"):  # fmt: skip
        assert hidden not in nothing
    shown = visible(shipped, {"s1_strategy": "yes", "s2_team": "yes", "s3_dedicated": "yes",
                              "s1_approach": "both", "s5_eval_practice": "ad_hoc"})  # fmt: skip
    assert {"s1_strategy_text", "s1_strategy_url", "s2_team_size", "s3_sources_now",
            "s1_policy_areas", "s5_methods"} <= shown  # fmt: skip


def test_hidden_answers_are_ignored_downstream(small) -> None:
    # grid is relevant on team = yes; size too. A stale size must not count once team = no.
    answers = {"team": "no", "size": "5", "grid_a": "yes"}
    assert visible_answers(small, answers) == {"team": "no"}
    assert "grid_a" not in visible(small, answers)
    assert missing_required(small, answers) == []


def test_progress_and_missing(small) -> None:
    answers = {"team": "yes", "size": "5"}
    [progress] = section_progress(small, answers)
    assert (progress.answered, progress.visible, progress.required, progress.required_answered) == (
        2, 7, 3, 2
    )  # fmt: skip
    assert not progress.complete
    assert missing_required(small, answers) == ["grid_a"]
    assert section_progress(small, {**answers, "grid_a": "no"})[0].complete


def test_validate_response_reports_every_problem(small) -> None:
    problems = validate_response(small, {"team": "yes", "size": "0", "colours": "red blue other",
                                         "bogus": "1"})  # fmt: skip
    assert [(p.code, p.column) for p in problems] == [
        ("import.E003", "bogus"),
        ("import.E006", "size"),
        ("import.E006", "colours"),
        ("import.E007", "colours_other"),
        ("import.E007", "grid_a"),
    ]
    assert problems[1].message == "1 to 10000"


def test_choice_filter(workbook) -> None:
    header = ["type", "name", "label", "choice_filter"]
    survey = [
        ["begin_group", "sec", "Section", ""],
        ["select_one region", "region", "Region", ""],
        ["select_one city", "city", "City", "region = ${region}"],
        ["end_group", "", "", ""],
    ]
    choices = [
        ["list_name", "name", "label", "region"],
        ["region", "north", "North", ""],
        ["region", "south", "South", ""],
        ["city", "a", "A", "north"],
        ["city", "b", "B", "south"],
    ]
    instrument = load_instrument(workbook(survey, choices, survey_header=header))
    names = [c.name for c in available_choices(instrument, "city", {"region": "south"})]
    assert names == ["b"]
    assert clean_answer(instrument, "city", "a", {"region": "south"})[1] == (
        MESSAGES["en"][NOT_A_CHOICE].format(value="a", options="b")
    )
    assert [c.name for c in available_choices(instrument, "region", {})] == ["north", "south"]


def test_parameter_errors(shipped) -> None:
    with pytest.raises(ParameterError, match="the 'answers' parameter of visible"):
        visible(shipped, None)
    with pytest.raises(KeyError):
        clean_answer(shipped, "nope", "x", {})


@given(st.lists(st.sampled_from(["red", "blue", "other"]), unique=True))
def test_select_multiple_is_stored_canonically(small, ticks) -> None:
    value, error = clean_answer(small, "colours", list(reversed(ticks)), {})
    assert value.split() == [c for c in ("red", "blue", "other") if c in ticks]
    assert (error is None) == (len(ticks) <= 2)
