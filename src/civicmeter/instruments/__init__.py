"""Questionnaires as XLSForm workbooks: load and validate them, run their skip logic and checks
on the server, and move answers in and out of tables and ODK/KoboToolbox formats.

Pure Python (no Django): the web survey, the CLI, the importers and notebooks all call these same
functions, so an answer is accepted or refused identically everywhere.
"""

from civicmeter.instruments.answers import (
    SectionProgress,
    available_choices,
    clean_answer,
    missing_required,
    section_progress,
    validate_response,
    visible,
    visible_answers,
)
from civicmeter.instruments.errors import InstrumentError, Problem, ResponsesImportError
from civicmeter.instruments.loader import load_instrument
from civicmeter.instruments.model import (
    Choice,
    ChoiceList,
    Group,
    Instrument,
    InstrumentForm,
    Question,
    Section,
)

__all__ = [
    "Choice",
    "ChoiceList",
    "Group",
    "Instrument",
    "InstrumentError",
    "InstrumentForm",
    "Problem",
    "Question",
    "ResponsesImportError",
    "Section",
    "SectionProgress",
    "available_choices",
    "clean_answer",
    "load_instrument",
    "missing_required",
    "section_progress",
    "validate_response",
    "visible",
    "visible_answers",
]
