"""A new file under a registered version is the same questionnaire only if it just adds texts."""

from __future__ import annotations

from civicmeter.instruments import load_instrument
from civicmeter.instruments.compat import translation_only_difference
from civicmeter.testing import SURVEY_FILE, edited_survey, without_translated_titles, workbook_cell


def test_adding_translated_titles_is_the_same_questionnaire():
    before = load_instrument(edited_survey(without_translated_titles))
    assert set(before.title) == {"en"}
    assert translation_only_difference(before, load_instrument(SURVEY_FILE)) is None


def test_a_reworded_label_is_a_different_questionnaire():
    def reword(book):
        workbook_cell(book, "survey", "s2_team", "label::English (en)").value = "Is there an innovation unit?"

    found = translation_only_difference(load_instrument(SURVEY_FILE), load_instrument(edited_survey(reword)))
    assert found == "question s2_team: the labels text in 'en' changed"


def test_a_changed_check_is_a_different_questionnaire():
    def loosen(book):
        workbook_cell(book, "survey", "s2_team_size", "constraint").value = ". >= 1 and . <= 20000"

    found = translation_only_difference(load_instrument(SURVEY_FILE), load_instrument(edited_survey(loosen)))
    assert found == "question s2_team_size: constraint changed"
