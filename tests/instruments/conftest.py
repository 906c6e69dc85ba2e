"""Shared fixtures: the shipped instrument and a builder for small workbooks written in tests."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import Workbook

from civicmeter.instruments import InstrumentForm, load_instrument

SHIPPED = (
    Path(__file__).resolve().parents[2]
    / "src/civicmeter/content/instruments/innovation-capacity.xlsx"
)

SURVEY_HEADER = [
    "type",
    "name",
    "label::English (en)",
    "label::Español (es)",
    "required",
    "relevant",
    "constraint",
    "constraint_message::English (en)",
    "appearance",
]

#: A minimal valid instrument: one section with every supported kind of question.
SMALL_SURVEY = [
    ["begin_group", "sec", "Section", "Sección", "", "", "", "", ""],
    ["select_one yn", "team", "Team?", "¿Equipo?", "yes", "", "", "", ""],
    [
        "integer",
        "size",
        "Size",
        "Tamaño",
        "yes",
        "${team} = 'yes'",
        ". >= 1 and . <= 10000",
        "1 to 10000",
        "",
    ],
    [
        "select_multiple colours",
        "colours",
        "Colours",
        "Colores",
        "no",
        "",
        "count-selected(.) <= 2",
        "Two at most",
        "",
    ],
    [
        "text",
        "colours_other",
        "Other colour",
        "Otro color",
        "yes",
        "selected(${colours}, 'other')",
        "",
        "",
        "",
    ],
    [
        "text",
        "site",
        "Website",
        "Sitio",
        "no",
        "",
        "regex(., '^https?://[^ ]+$')",
        "A web address",
        "",
    ],
    ["decimal", "share", "Share", "Parte", "no", "", "", "", ""],
    ["begin_group", "grid", "Grid", "Tabla", "", "${team} = 'yes'", "", "", "table-list"],
    ["select_one yn", "grid_a", "A", "A", "yes", "", "", "", ""],
    ["select_one yn", "grid_b", "B", "B", "no", "", "", "", ""],
    ["end_group", "", "", "", "", "", "", "", ""],
    ["end_group", "", "", "", "", "", "", "", ""],
]
SMALL_CHOICES = [
    ["list_name", "name", "label::English (en)", "label::Español (es)"],
    ["yn", "yes", "Yes", "Sí"],
    ["yn", "no", "No", "No"],
    ["colours", "red", "Red", "Rojo"],
    ["colours", "blue", "Blue", "Azul"],
    ["colours", "other", "Other", "Otro"],
]
SMALL_SETTINGS = [
    ["form_title", "form_id", "version", "default_language"],
    ["Small", "small", "1", "English (en)"],
]


def workbook_bytes(
    survey: list[list[str]] | None = None,
    choices: list[list[str]] | None = None,
    settings: list[list[str]] | None = None,
    survey_header: list[str] | None = None,
) -> bytes:
    """An .xlsx in memory; ``None`` sheets take the small valid defaults, ``[]`` omits the sheet."""
    book = Workbook()
    book.remove(book.active)
    sheets = {
        "survey": [survey_header or SURVEY_HEADER] + (SMALL_SURVEY if survey is None else survey),
        "choices": SMALL_CHOICES if choices is None else choices,
        "settings": SMALL_SETTINGS if settings is None else settings,
    }
    for name, rows in sheets.items():
        if name != "survey" and rows == []:
            continue
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append([cell if cell != "" else None for cell in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.fixture(scope="session")
def shipped() -> InstrumentForm:
    return load_instrument(SHIPPED)


@pytest.fixture(scope="session")
def small() -> InstrumentForm:
    return load_instrument(workbook_bytes())


@pytest.fixture(scope="session")
def shipped_path() -> Path:
    return SHIPPED


@pytest.fixture
def workbook():
    """``workbook(survey=None, choices=None, settings=None)``: .xlsx bytes, see workbook_bytes."""
    return workbook_bytes


@pytest.fixture
def survey_rows() -> list[list[str]]:
    """A fresh copy of the small valid survey sheet body."""
    return [list(row) for row in SMALL_SURVEY]


@pytest.fixture
def with_row(survey_rows):
    """``with_row(row, at=2)``: the small survey with ``row`` inserted (spreadsheet row at + 2)."""

    def insert(row: list[str], at: int = 2) -> list[list[str]]:
        return survey_rows[:at] + [row] + survey_rows[at:]

    return insert
