"""Loading the shipped instrument and refusing workbooks outside the supported subset."""

from __future__ import annotations

import pytest

from civicmeter.instruments import InstrumentError, load_instrument
from civicmeter.instruments.loader import OUTSIDE_SECTION, UNSUPPORTED_TYPE
from civicmeter.params import ParameterError

BLANK = ["", "", "", "", "", "", "", ""]


def problems_of(data: bytes) -> list[tuple[str, str | None, int | None, str | None]]:
    with pytest.raises(InstrumentError) as caught:
        load_instrument(data)
    return [(p.code, p.sheet, p.row, p.column) for p in caught.value.problems]


# ---------------------------------------------------------------- the shipped workbook


def test_shipped_instrument_settings(shipped, shipped_path) -> None:
    assert shipped.form_id == "innovation_capacity"
    assert shipped.version == "2020.1"
    assert shipped.languages == ("en", "es", "fr")
    assert shipped.default_language == "en"
    assert shipped.language_names == {
        "en": "English (en)", "es": "Español (es)", "fr": "Français (fr)"
    }  # fmt: skip
    assert [s.name for s in shipped.sections] == ["profile", "s1", "s2", "s3", "s4", "s5"]
    assert len(shipped.sha256) == 64
    assert shipped.sha256 == load_instrument(shipped_path.read_bytes()).sha256


def test_shipped_instrument_keeps_the_survey_codes(shipped) -> None:
    codes = {
        "s1_strategy", "s1_strategy_text", "s1_goals", "s1_objectives", "s1_approach",
        "s1_policy_areas", "s1_terms", "s1_lacking", "s1_success_factors", "s2_team",
        "s2_team_size", "s2_team_location", "s2_team_age", "s2_roles", "s2_integration",
        "s2_training", "s2_lead", "s3_dedicated", "s3_sources_now", "s3_sources_future",
        "s3_budget_plan", "s3_invest_now", "s3_invest_future", "s4_data_role", "s4_partners",
        "s4_open_data", "s4_data_strategy", "s4_budget_alignment", "s5_goal_metrics",
        "s5_eval_tools", "s5_eval_practice", "s5_outcomes", "s5_methods",
    }  # fmt: skip
    names = {q.name for q in shipped.iter_questions()}
    assert codes <= names
    matrices = {g.name: g for s in shipped.sections for g in s.groups}
    assert set(matrices) == {"s1_activities", "s1_importance", "s4_sufficiency", "s4_challenges"}
    assert all(g.is_matrix for g in matrices.values())
    assert len(matrices["s4_sufficiency"].questions) == len(
        shipped.choice_lists["policy_areas"].choices
    )
    assert shipped.question("s1_act_data_analytics").path == ("s1", "s1_activities")


def test_shipped_instrument_rules(shipped) -> None:
    size = shipped.question("s2_team_size")
    assert (size.type, size.required, size.relevant) == (
        "integer",
        True,
        "selected(${s2_team}, 'yes')",
    )
    assert size.constraint == ". >= 1 and . <= 10000"
    assert shipped.question("s1_terms").constraint == "count-selected(.) <= 2"
    assert shipped.question("s3_sources_now").relevant == "selected(${s3_dedicated}, 'yes')"
    assert shipped.question("s1_strategy_text").relevant == "selected(${s1_strategy}, 'yes')"
    assert {q.name for q in shipped.iter_questions() if q.type == "url"} == {
        "website", "s1_strategy_url", "s4_open_data_url"
    }  # fmt: skip
    for name in ("s1_goals", "s2_team_location", "s2_roles", "s3_budget_plan", "s5_eval_tools",
                 "s5_outcomes"):  # fmt: skip
        assert "other" in shipped.choices(name).names
        assert shipped.question(f"{name}_other").relevant == f"selected(${{{name}}}, 'other')"


def test_every_label_hint_and_message_is_translated(shipped) -> None:
    for question in shipped.iter_questions():
        assert set(question.labels) == {"en", "es", "fr"}, question.name
        assert set(question.hints) in (set(), {"en", "es", "fr"}), question.name
        if question.constraint:
            assert set(question.constraint_messages) == {"en", "es", "fr"}, question.name
    for choice_list in shipped.choice_lists.values():
        for choice in choice_list.choices:
            assert set(choice.labels) == {"en", "es", "fr"}, (choice_list.name, choice.name)


def test_translation_falls_back_to_the_default_language(shipped) -> None:
    assert shipped.label("s2_team", "fr").startswith("La ville dispose")
    assert shipped.label("s2_team", "es-MX").startswith("¿Tiene la ciudad")
    assert shipped.label("s2_team", "de") == shipped.label("s2_team", "en")
    assert shipped.choice_label("yes_no", "yes", "es") == "Sí"


def test_lookup_of_unknown_names(shipped) -> None:
    with pytest.raises(KeyError, match="no question named 'nope'"):
        shipped.question("nope")
    assert not shipped.has_question("nope")


# ---------------------------------------------------------------- refusals, with places


def test_small_workbook_loads(small) -> None:
    assert [q.name for q in small.iter_questions()] == [
        "team", "size", "colours", "colours_other", "site", "share", "grid_a", "grid_b"
    ]  # fmt: skip
    assert small.question("site").type == "url"
    assert small.section("sec").groups[0].is_matrix


def test_unsupported_type_names_sheet_row_and_column(workbook, with_row) -> None:
    data = workbook(with_row(["geopoint", "where", "Where", "Dónde", *BLANK[:5]]))
    with pytest.raises(InstrumentError) as caught:
        load_instrument(data)
    [problem] = caught.value.problems
    assert (problem.code, problem.sheet, problem.row, problem.column) == (
        "instrument.E004", "survey", 4, "type"
    )  # fmt: skip
    assert problem.message == UNSUPPORTED_TYPE.format(type="geopoint")
    assert "[instrument.E004] sheet 'survey', row 4, column 'type'" in str(caught.value)


def test_unsupported_function_and_bad_syntax_are_reported_together(workbook, with_row) -> None:
    survey = with_row(["integer", "n", "N", "N", "", "today() > 1", ". >", "", ""])
    assert problems_of(workbook(survey)) == [
        ("instrument.E006", "survey", 4, "relevant"),
        ("instrument.E005", "survey", 4, "constraint"),
    ]


def test_unknown_reference_is_ours_not_pyxforms(workbook, with_row) -> None:
    survey = with_row(["integer", "n", "N", "N", "", "${nope} = 1", "", "", ""])
    assert problems_of(workbook(survey)) == [("instrument.E007", "survey", 4, "relevant")]


def test_pyxform_rejection_keeps_its_row(workbook, with_row) -> None:
    survey = with_row(["integer", "team", "Dup", "Dup", *BLANK[:5]])
    with pytest.raises(InstrumentError) as caught:
        load_instrument(workbook(survey))
    [problem] = caught.value.problems
    assert (problem.code, problem.sheet, problem.row) == ("instrument.E003", "survey", 4)
    assert "must be unique" in problem.message


def test_question_outside_a_section(workbook, survey_rows) -> None:
    survey = [["text", "loose", "Loose", "Suelta", *BLANK[:5]], *survey_rows]
    with pytest.raises(InstrumentError) as caught:
        load_instrument(workbook(survey))
    [problem] = caught.value.problems
    assert (problem.code, problem.row, problem.column) == ("instrument.E008", 2, "name")
    assert problem.message == OUTSIDE_SECTION.format(name="loose")


def test_kobo_metadata_rows_are_accepted_outside_sections(workbook, survey_rows) -> None:
    survey = [["start", "start", *BLANK[:7]], ["end", "end", *BLANK[:7]], *survey_rows]
    instrument = load_instrument(workbook(survey))
    assert not instrument.has_question("start")


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (["begin_repeat", "r", "R", "R", *BLANK[:5]], ("instrument.E004", 4, "type")),
        (["select_one nolist", "z", "Z", "Z", *BLANK[:5]], ("instrument.E010", 4, "type")),
        (["integer", "n", "N", "N", "maybe", "", "", "", ""], ("instrument.E012", 4, "required")),
        (
            ["integer", "n", "N", "N", "", "", "regex(., '[a-')", "", ""],
            ("instrument.E005", 4, "constraint"),
        ),
        (
            ["integer", "n", "N", "N", "", "bare = 1", "", "", ""],
            ("instrument.E005", 4, "relevant"),
        ),
    ],
)
def test_subset_checks(row: list[str], expected: tuple, workbook, with_row) -> None:
    found = problems_of(workbook(with_row(row)))
    assert (found[-1][0], found[-1][2], found[-1][3]) == expected


def test_groups_nested_too_deep(workbook, survey_rows) -> None:
    survey = (
        survey_rows[:8]
        + [
            ["begin_group", "deep", "Deep", "Deep", *BLANK[:5]],
            ["integer", "d", "D", "D", *BLANK[:5]],
            ["end_group", *[""] * 8],
        ]
        + survey_rows[8:]
    )
    assert ("instrument.E011", "survey", 10, "type") in problems_of(workbook(survey))


def test_missing_settings_and_sheets(workbook) -> None:
    assert problems_of(workbook(settings=[["form_title"], ["Small"]])) == [
        ("instrument.E009", "settings", None, None),
        ("instrument.E009", "settings", None, None),
    ]
    assert ("instrument.E002", None, None, None) in problems_of(workbook(choices=[]))


def test_not_a_workbook(tmp_path) -> None:
    assert problems_of(b"type,name\ntext,x\n") == [("instrument.E001", None, None, None)]
    with pytest.raises(InstrumentError, match=r"\[instrument.E001\] cannot read the file"):
        load_instrument(tmp_path / "missing.xlsx")


def test_bad_argument_type() -> None:
    with pytest.raises(ParameterError, match="the 'source' parameter of load_instrument"):
        load_instrument(42)
