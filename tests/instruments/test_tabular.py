"""Answers tables: our export layout, round trips, KoboToolbox/ODK Central exports, bad files."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from civicmeter.instruments import ResponsesImportError
from civicmeter.instruments.files import (
    NOT_UTF8,
    neutralise,
    read_table,
    restore,
    to_csv_bytes,
    to_xlsx_bytes,
)
from civicmeter.instruments.tabular import (
    HIDDEN_ANSWER,
    UNKNOWN_COLUMN,
    CityAnswers,
    answers_to_frame,
    export_columns,
    frame_to_answers,
    read_answers,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"

BALTIMORE = CityAnswers(
    "baltimore-us",
    "Baltimore",
    {
        "population": "611648", "population_year": "2017", "mayor": "Catherine Pugh",
        "s1_strategy": "no", "s1_approach": "specific",
        "s1_policy_areas": "digital_governance transport",  # stored in list order on export
        "s1_act_data_analytics": "often", "s2_team": "yes", "s2_team_size": "10",
        "s2_roles": "project_manager other", "s2_roles_other": "Performance analyst",
        "spotlight": '=HYPERLINK("http://evil.example")', "s2_lead": "@mention, +1, -x",
    },
)  # fmt: skip
BILBAO = CityAnswers("bilbao-es", "Bilbao", {"mayor": "Juan María Aburto", "s2_team": "no"})


def test_export_layout(shipped) -> None:
    columns = export_columns(shipped)
    assert columns[:6] == ["city", "city_name", "status", "response_version", "population", "population_year"]
    assert "s1_activities/s1_act_data_analytics" in columns
    assert "s2_roles_other" in columns
    frame = answers_to_frame(shipped, [BALTIMORE, BILBAO])
    assert list(frame.columns) == columns
    row = frame.iloc[0]
    assert row["s1_policy_areas"] == "transport digital_governance"
    assert row["s1_activities/s1_act_data_analytics"] == "often"
    assert row["s1_strategy_text"] == ""


def test_export_drops_answers_to_hidden_questions(shipped) -> None:
    stale = CityAnswers("x", "X", {"s2_team": "no", "s2_team_size": "4"})
    assert answers_to_frame(shipped, [stale]).iloc[0]["s2_team_size"] == ""


def test_csv_round_trip_is_byte_identical(shipped) -> None:
    first = to_csv_bytes(answers_to_frame(shipped, [BALTIMORE, BILBAO]))
    assert b"'=HYPERLINK" in first and b"'@mention" in first
    rows, problems = read_answers(shipped, first)
    assert problems == []
    assert rows[0].answers["spotlight"] == BALTIMORE.answers["spotlight"]
    assert rows[1].answers["mayor"] == "Juan María Aburto"
    assert to_csv_bytes(answers_to_frame(shipped, rows)) == first


def test_xlsx_round_trip_is_byte_identical(shipped) -> None:
    first = to_xlsx_bytes(answers_to_frame(shipped, [BALTIMORE, BILBAO]))
    rows, problems = read_answers(shipped, first)
    assert problems == []
    assert rows[0].answers["spotlight"] == BALTIMORE.answers["spotlight"]
    assert rows[0].answers["s2_lead"] == "@mention, +1, -x"
    assert to_xlsx_bytes(answers_to_frame(shipped, rows)) == first


@given(st.text(max_size=12))
def test_neutralise_is_undone_by_restore(text) -> None:
    assert restore(neutralise(text)) == text
    if text[:1] and text[0] in "=+@\t\r":
        assert neutralise(text) == "'" + text


def test_negative_numbers_are_not_neutralised() -> None:
    assert neutralise("-5") == "-5"
    assert neutralise("-5 people") == "'-5 people"


def test_semicolon_and_bom_variants(shipped) -> None:
    frame = answers_to_frame(shipped, [BILBAO])
    semicolon = to_csv_bytes(frame, delimiter=";")
    assert read_table(semicolon).equals(read_table(to_csv_bytes(frame)))
    no_bom = to_csv_bytes(frame)[3:]
    assert read_table(no_bom).equals(read_table(to_csv_bytes(frame)))


def test_non_utf8_file_is_reported_with_the_fix(shipped) -> None:
    data = "city,city_name,mayor\nbilbao-es,Bilbao,Juan María Aburto\n".encode("cp1252")
    with pytest.raises(ResponsesImportError) as caught:
        read_answers(shipped, data)
    [problem] = caught.value.problems
    assert problem.code == "import.E001"
    assert problem.message == NOT_UTF8.format(guess="cp1252")
    rows, problems = read_answers(shipped, data, encoding="cp1252")
    assert problems == [] and rows[0].answers["mayor"] == "Juan María Aburto"


def test_cell_errors_name_row_column_and_fix(shipped) -> None:
    frame = pd.DataFrame(
        [
            ["a-us", "A", "maybe", "yes", "0", "", "x"],
            ["b-us", "B", "yes", "no", "12", "", ""],
            ["", "C", "", "", "", "", ""],
            ["a-us", "A again", "", "", "", "", ""],
            ["d-us", "D", "", "", "", "often,sometimes", ""],
        ],
        columns=["city", "city_name", "s1_strategy", "s2_team", "s2_team_size",
                 "s1_activities/s1_act_org_change", "favourite_colour"],
    )  # fmt: skip
    rows, problems = frame_to_answers(shipped, frame)
    assert [r.city for r in rows] == ["a-us", "b-us", "d-us"]
    assert [(p.code, p.row, p.column) for p in problems] == [
        ("import.E003", 1, "favourite_colour"),
        ("import.E004", 2, "s1_strategy"),
        ("import.E006", 2, "s2_team_size"),
        ("import.E009", 3, "s2_team_size"),
        ("import.E008", 4, "city"),
        ("import.E008", 5, "city"),
        ("import.E004", 6, "s1_activities/s1_act_org_change"),
    ]
    assert problems[0].message == UNKNOWN_COLUMN.format(
        column="favourite_colour", form_id="innovation_capacity", version="2020.1"
    )
    assert problems[1].message == "'maybe' is not one of the options; use one of: yes, no."
    assert problems[2].message == "Enter a whole number between 1 and 10,000"
    assert problems[3].message == HIDDEN_ANSWER.format(
        value="12", condition="selected(${s2_team}, 'yes')"
    )
    assert problems[5].message == "city 'a-us' already appears in row 2; keep one row per city"


def test_missing_city_column_is_fatal(shipped) -> None:
    with pytest.raises(ResponsesImportError, match=r"\[import.E002\] row 1: there is no 'city'"):
        frame_to_answers(shipped, pd.DataFrame({"s1_strategy": ["yes"]}))


def test_header_problems(shipped) -> None:
    with pytest.raises(ResponsesImportError, match=r"\[import.E011\] row 1, column 'city'"):
        read_table(b"city,city,mayor\na,b,c\n")
    with pytest.raises(ResponsesImportError, match=r"\[import.E010\]"):
        read_table(b"")


def test_kobotoolbox_export(shipped) -> None:
    path = FIXTURES / "kobo" / "innovation_capacity_kobo.csv"
    rows, problems = read_answers(shipped, path, city_column="_submitted_by")
    assert problems == []
    baltimore, bilbao = rows
    assert baltimore.city == "baltimore_us"
    assert baltimore.answers["s2_team_size"] == "10"
    assert baltimore.answers["s1_act_data_analytics"] == "often"
    assert baltimore.answers["s2_roles"] == "project_manager data_scientist designer other"
    assert baltimore.answers["s2_roles_other"] == "Performance analyst"
    assert baltimore.answers["spotlight"] == "=1+1 is not a formula here"
    assert bilbao.answers["mayor"] == "Juan María Aburto"
    assert "s2_team_size" not in bilbao.answers


def test_kobotoolbox_split_columns_alone(shipped) -> None:
    frame = read_table(FIXTURES / "kobo" / "innovation_capacity_kobo.csv")
    summary = [c for c in frame.columns if c == "s2/s2_roles"]
    rows, problems = frame_to_answers(
        shipped, frame.drop(columns=summary), city_column="_submitted_by"
    )
    assert problems == []
    assert rows[0].answers["s2_roles"] == "project_manager data_scientist designer other"
    frame.loc[0, "s2/s2_roles/designer"] = "yes"
    _, problems = frame_to_answers(
        shipped, frame.drop(columns=summary), city_column="_submitted_by"
    )
    assert [(p.code, p.row, p.column) for p in problems] == [
        ("import.E012", 2, "s2/s2_roles/designer")
    ]


def test_odk_central_export(shipped) -> None:
    path = FIXTURES / "odk" / "innovation_capacity_central.csv"
    rows, problems = read_answers(shipped, path, city_column="SubmitterName")
    assert problems == []
    assert [r.city for r in rows] == ["baltimore-us", "bilbao-es"]
    assert rows[0].answers["s1_policy_areas"] == "transport economic_development digital_governance"
    assert rows[0].answers["s4_open_data_url"] == "https://data.baltimorecity.gov"
