"""The survey title in every language: ``translated_title::<language>`` on the settings sheet."""

from __future__ import annotations

import io

import openpyxl

from civicmeter.instruments import load_instrument
from civicmeter.instruments.checks import pyxform_problems
from civicmeter.testing import SURVEY_FILE


def _with_titles(titles: dict[str, str]) -> bytes:
    book = openpyxl.load_workbook(SURVEY_FILE)
    settings = book["settings"]
    headers = [c.value for c in settings[1]]
    for header, text in titles.items():
        column = headers.index(header) + 1 if header in headers else settings.max_column + 1
        settings.cell(1, column, header)
        settings.cell(2, column, text)
        headers = [c.value for c in settings[1]]
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_the_shipped_survey_has_its_title_in_each_of_its_languages():
    instrument = load_instrument(SURVEY_FILE)
    assert set(instrument.title) == set(instrument.languages) == {"en", "es", "fr"}
    assert instrument.text(instrument.title, "es") == "Capacidad de innovación en las ciudades"
    assert instrument.text(instrument.title, "fr") == "Capacité d'innovation des villes"


def test_translated_titles_pass_pyxform_and_a_missing_one_falls_back_to_form_title():
    data = _with_titles({"translated_title::Deutsch (de)": "Innovationsfähigkeit der Städte"})
    assert pyxform_problems(data) == []
    instrument = load_instrument(data)
    assert instrument.text(instrument.title, "de") == "Innovationsfähigkeit der Städte"
    assert instrument.text(instrument.title, "en") == "Innovation capacity in cities"
