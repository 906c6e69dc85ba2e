"""Answers as a table, one row per city, and back: our export layout, KoboToolbox, ODK Central.

Our layout: ``city`` (the city's code or slug) and ``city_name``, then one column per answerable
question in workbook order, named after the question, except matrix rows which are named
``group/question`` so a spreadsheet groups them visually. ``select_multiple`` answers are
space-separated choice names, other-specify texts are ordinary columns.

Reading also accepts the layouts survey platforms export, mapped onto the same questions:

* KoboToolbox: headers with the full group path (``s1/s1_strategy``; ``.`` as separator too),
  ``select_multiple`` additionally split into 0/1 columns ``q/choice``, metadata columns such as
  ``_id``, ``_uuid``, ``_submission_time``, ``start``, ``end``;
* ODK Central: headers joined with ``-`` (``s1-s1_strategy``), metadata ``meta-instanceID``,
  ``KEY``, ``SubmissionDate``, ``SubmitterName``...

Metadata columns are ignored. Every cell problem is reported at once with its row and column.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from civicmeter.instruments.answers import CODES, CONSTRAINT, check_answer, message, visible
from civicmeter.instruments.errors import Problem, ProblemList, ResponsesImportError
from civicmeter.instruments.files import read_table
from civicmeter.instruments.model import InstrumentForm, Question
from civicmeter.params import NONE, InstanceOf, validate_params

CITY = "city"
CITY_NAME = "city_name"
#: The response's status when exported; informative only, ignored on import.
STATUS = "status"
#: The response's version when exported: an import refuses to overwrite answers changed since.
VERSION = "response_version"
#: Present only in an export written with choice labels for reading; such a file is not imported.
LABELS = "labels_language"

NO_CITY_COLUMN = (
    "there is no '{column}' column; add one holding each city's code (for example baltimore-us), "
    "or name the column that identifies cities"
)
UNKNOWN_COLUMN = (
    "column '{column}' is not a question of instrument {form_id} {version}; rename it to a "
    "question name or remove it"
)
NO_CITY = "the row has no city; fill in the '{column}' column"
DUPLICATE_CITY = "city '{city}' already appears in row {first}; keep one row per city"
HIDDEN_ANSWER = (
    "the answer {value!r} is given although the question does not apply here (its condition "
    "{condition} is false for this row); clear the cell or correct the answer it depends on"
)
BAD_FLAG = "{value!r} is not 0 or 1; a split choice column holds 1 when the choice is ticked"
LABELS_FILE = (
    "this file was exported with choice labels in '{lang}' for reading, not for import (labels "
    "change with translations and can repeat); export the responses again without labels, edit "
    "that file and import it"
)
BAD_VERSION = (
    "{value!r} is not a response version; keep the number the export wrote, or clear the cell to "
    "import without the check for answers changed since the export"
)

#: Metadata columns survey platforms add; never answers.
META_COLUMNS = frozenset(
    {
        "start", "end", "today", "deviceid", "username", "phonenumber", "simserial",
        "subscriberid", "email", "audit", "instanceID", "KEY", "SubmissionDate", "SubmitterID",
        "SubmitterName", "AttachmentsPresent", "AttachmentsExpected", "Status", "ReviewState",
        "DeviceID", "Edits", "FormVersion",
    }
)  # fmt: skip
_META_PREFIXES = ("_", "meta/", "meta-", "meta.", "formhub/", "formhub-", "formhub.")
_SEPARATORS = ("/", "-", ".")
_TICKED = {"1", "1.0", "true", "True", "TRUE"}
_UNTICKED = {"", "0", "0.0", "false", "False", "FALSE"}


@dataclass(frozen=True)
class CityAnswers:
    """One city's answers: ``answers`` maps question names to stored strings.

    ``columns`` names the questions the file has a column for (empty cells included): an import
    changes only those, so a file with a few columns never clears the answers it does not carry.
    ``version`` is the response's version at export (``None`` when the file does not say), and
    ``status`` its status then; both are written on export, only the version is used on import.
    """

    city: str
    city_name: str = ""
    answers: Mapping[str, str] = field(default_factory=dict)
    columns: frozenset[str] = frozenset()
    status: str = ""
    version: int | None = None


def column_name(question: Question) -> str:
    """The export column of a question: its name, or ``group/name`` for a matrix row."""
    return f"{question.group}/{question.name}" if question.group else question.name


@validate_params({"instrument": [InstanceOf(InstrumentForm, "an InstrumentForm")]})
def export_columns(instrument: InstrumentForm) -> list[str]:
    return [CITY, CITY_NAME, STATUS, VERSION] + [
        column_name(q) for q in instrument.iter_questions(answerable_only=True)
    ]


@validate_params(
    {
        "instrument": [InstanceOf(InstrumentForm, "an InstrumentForm")],
        "rows": [InstanceOf(Iterable, "an iterable of CityAnswers")],
        "labels": [InstanceOf(str, "a language code of the instrument such as 'es'"), NONE],
    }
)
def answers_to_frame(
    instrument: InstrumentForm, rows: Iterable[CityAnswers], *, labels: str | None = None
) -> pd.DataFrame:
    """Our export layout; answers to hidden questions are left out, values stored canonically
    (choices in list order, integers without leading zeros) so re-exports are identical.

    ``labels`` (a language of the instrument) writes choice labels in that language instead of
    choice names, for reading, and adds a :data:`LABELS` column so the file is not imported.
    """
    questions = list(instrument.iter_questions(answerable_only=True))
    records = []
    for row in rows:
        shown = visible(instrument, row.answers)
        record = [row.city, row.city_name, row.status, "" if row.version is None else row.version]
        for question in questions:
            raw = row.answers.get(question.name, "") if question.name in shown else ""
            value, _, _ = check_answer(instrument, question, raw, row.answers, shown=False)
            record.append(_label(instrument, question, value, labels) if labels else value)
        records.append(record + ([labels] if labels else []))
    columns = export_columns(instrument) + ([LABELS] if labels else [])
    return pd.DataFrame(records, columns=columns, dtype=object)


def _label(instrument: InstrumentForm, question: Question, value: str, lang: str) -> str:
    if not question.is_select or not value:
        return value
    return "; ".join(instrument.choice_label(question.list_name, name, lang) for name in value.split())


@validate_params({"instrument": [InstanceOf(InstrumentForm, "an InstrumentForm")]})
def numeric_columns(instrument: InstrumentForm) -> set[str]:
    """Export columns holding numbers (written as numeric cells in XLSX)."""
    numbers = {column_name(q) for q in instrument.iter_questions(answerable_only=True)
               if q.type in ("integer", "decimal")}  # fmt: skip
    return numbers | {VERSION}


def _header_map(
    instrument: InstrumentForm,
) -> tuple[dict[str, Question], dict[str, tuple[Question, str]]]:
    """Accepted headers -> question, and split-choice headers -> (question, choice)."""
    direct: dict[str, Question] = {}
    split: dict[str, tuple[Question, str]] = {}
    for question in instrument.iter_questions(answerable_only=True):
        spellings = {question.name, column_name(question)}
        spellings |= {sep.join((*question.path, question.name)) for sep in _SEPARATORS}
        for spelling in spellings:
            direct[spelling] = question
        if question.type == "select_multiple":
            for choice in instrument.choices(question).names:
                for spelling in spellings:
                    for sep in _SEPARATORS:
                        split[f"{spelling}{sep}{choice}"] = (question, choice)
    return direct, split


def is_meta_column(header: str) -> bool:
    return header in META_COLUMNS or header.startswith(_META_PREFIXES)


@validate_params(
    {
        "instrument": [InstanceOf(InstrumentForm, "an InstrumentForm")],
        "frame": [InstanceOf(pd.DataFrame, "a pandas DataFrame")],
        "city_column": [InstanceOf(str, "a column name")],
        "stored": [InstanceOf(Mapping, "a mapping of city cell to stored answers"), NONE],
    }
)
def frame_to_answers(
    instrument: InstrumentForm,
    frame: pd.DataFrame,
    *,
    city_column: str = CITY,
    stored: Mapping[str, Mapping[str, str]] | None = None,
) -> tuple[list[CityAnswers], list[Problem]]:
    """Read a table of answers (our layout, KoboToolbox or ODK Central exports).

    Returns the rows that could be read and every problem found, each with ``row`` (spreadsheet
    row, header = 1), ``column`` and a message naming the fix. A missing city column is fatal
    (:class:`ResponsesImportError`); callers must not store anything while problems remain.
    ``city_column`` names another identifying column, e.g. KoboToolbox's ``_submitted_by`` when
    each city submits from its own account. ``stored`` maps a city cell to the answers already
    stored for that city: a file without a question's column is checked (conditions, constraints)
    against the stored answer, as the import will leave it.
    """
    headers = [str(c) for c in frame.columns]
    if LABELS in headers:
        lang = next((str(v) for v in frame[LABELS] if str(v)), "?")
        problem = Problem("import.E019", LABELS_FILE.format(lang=lang), row=1, column=LABELS)
        raise ResponsesImportError([problem])
    if city_column not in headers:
        raise ResponsesImportError(
            [Problem("import.E002", NO_CITY_COLUMN.format(column=city_column), row=1)]
        )
    direct, split = _header_map(instrument)
    problems = ProblemList([
        Problem("import.E003", UNKNOWN_COLUMN.format(
            column=h, form_id=instrument.form_id, version=instrument.version), row=1, column=h)
        for h in headers
        if h not in (city_column, CITY_NAME, STATUS, VERSION) and h not in direct and h not in split
        and not is_meta_column(h)
    ])  # fmt: skip
    combined = {direct[h].name for h in headers if h in direct}
    results: list[CityAnswers] = []
    first_row: dict[str, int] = {}
    for index, values in enumerate(frame.itertuples(index=False)):
        number = index + 2
        cells = {
            h: ("" if pd.isna(v) else str(v)).strip() for h, v in zip(headers, values, strict=True)
        }
        raw: dict[str, str] = {}
        where: dict[str, str] = {}
        ticked: dict[str, list[str]] = {}
        for header, value in cells.items():
            if header in direct:
                raw[direct[header].name] = value
                where[direct[header].name] = header
            elif header in split and split[header][0].name not in combined:
                question, choice = split[header]
                where.setdefault(question.name, header)
                if value in _TICKED:
                    ticked.setdefault(question.name, []).append(choice)
                elif value not in _UNTICKED:
                    problems.append(Problem("import.E012", BAD_FLAG.format(value=value),
                                            row=number, column=header))  # fmt: skip
        raw.update({name: " ".join(choices) for name, choices in ticked.items()})
        city = cells[city_column]
        if not city:
            problems.append(Problem("import.E008", NO_CITY.format(column=city_column),
                                    row=number, column=city_column))  # fmt: skip
            continue
        if city in first_row:
            problems.append(Problem("import.E008", DUPLICATE_CITY.format(
                city=city, first=first_row[city]), row=number, column=city_column))  # fmt: skip
            continue
        first_row[city] = number
        base = (stored or {}).get(city, {})
        answers, row_problems = _clean_row(instrument, raw, where, number, base)
        version, version_problem = _version(cells.get(VERSION, ""), number)
        problems += row_problems + version_problem
        results.append(
            CityAnswers(city, cells.get(CITY_NAME, ""), answers, frozenset(where), version=version)
        )
    return results, problems


def _version(cell: str, number: int) -> tuple[int | None, list[Problem]]:
    if not cell:
        return None, []
    if cell.isdigit():
        return int(cell), []
    return None, [Problem("import.E013", BAD_VERSION.format(value=cell), row=number, column=VERSION)]


def _clean_row(
    instrument: InstrumentForm,
    raw: dict[str, str],
    where: dict[str, str],
    number: int,
    base: Mapping[str, str],
) -> tuple[dict[str, str], list[Problem]]:
    context = {**{name: value for name, value in base.items() if name not in raw}, **raw}
    shown = visible(instrument, context)
    effective = {name: value for name, value in context.items() if name in shown}
    answers: dict[str, str] = {}
    problems: list[Problem] = []
    for question in instrument.iter_questions(answerable_only=True):
        value = raw.get(question.name, "")
        if not value:
            continue
        column = where[question.name]
        if question.name not in shown:
            text = HIDDEN_ANSWER.format(value=value, condition=_condition(instrument, question))
            problems.append(Problem("import.E009", text, row=number, column=column))
            continue
        cleaned, kind, params = check_answer(instrument, question, value, effective, shown=False)
        if kind is None:
            answers[question.name] = cleaned
            continue
        text = (
            instrument.text(question.constraint_messages)
            if kind == CONSTRAINT and question.constraint_messages
            else message(kind, **params)
        )
        problems.append(Problem(CODES[kind], text, row=number, column=column))
    return answers, problems


def _condition(instrument: InstrumentForm, question: Question) -> str:
    """The relevance that hides a question: its own, or its block's or section's."""
    if question.relevant:
        return question.relevant
    if question.group and instrument.group(question.group).relevant:
        return str(instrument.group(question.group).relevant)
    return str(instrument.section(question.section).relevant)


@validate_params(
    {
        "instrument": [InstanceOf(InstrumentForm, "an InstrumentForm")],
        "source": [InstanceOf((str, Path, bytes), "a path or the file bytes")],
        "encoding": [InstanceOf(str, "an encoding name such as 'cp1252'"), NONE],
        "city_column": [InstanceOf(str, "a column name")],
    }
)
def read_answers(
    instrument: InstrumentForm,
    source: str | Path | bytes,
    *,
    encoding: str | None = None,
    city_column: str = CITY,
) -> tuple[list[CityAnswers], list[Problem]]:
    """:func:`~civicmeter.instruments.files.read_table` then :func:`frame_to_answers`."""
    return frame_to_answers(instrument, read_table(source, encoding), city_column=city_column)
