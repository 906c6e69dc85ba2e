"""Load an XLSForm workbook into an :class:`~civicmeter.instruments.model.InstrumentForm`, or say
why not.

The supported subset is what the web survey can render and the server can check exactly as ODK
Collect would: sections as top-level groups, one level of blocks (matrices) inside a section, the
question types in :data:`~civicmeter.instruments.model.QUESTION_TYPES`, literal ``required``, and
expressions in the subset of :mod:`~civicmeter.instruments.expressions`. Metadata rows (``start``,
``end``, ``today``...) that KoboToolbox adds are accepted and ignored. Every problem in the file is
collected before anything is raised.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from civicmeter.instruments.checks import check_expression, is_url_constraint, pyxform_problems
from civicmeter.instruments.errors import InstrumentError, Problem
from civicmeter.instruments.model import (
    QUESTION_TYPES,
    Choice,
    ChoiceList,
    Group,
    InstrumentForm,
    Question,
    Section,
)
from civicmeter.instruments.workbook import Row, Sheet, language_code, read_workbook
from civicmeter.params import InstanceOf, validate_params

CANNOT_READ = "cannot read the file: {reason}"
MISSING_SHEET = "the workbook has no '{sheet}' sheet; an XLSForm needs survey, choices and settings"
UNSUPPORTED_TYPE = (
    "question type '{type}' is not supported; use text, integer, decimal, date, note, "
    "select_one LIST, select_multiple LIST, begin_group or end_group"
)
OUTSIDE_SECTION = (
    "question '{name}' is not inside a group; put every question in a top-level group "
    "(begin_group ... end_group), which becomes a survey section"
)
MISSING_SETTING = (
    "the settings sheet has no '{setting}' value; add a '{setting}' column with a value"
)
UNKNOWN_LIST = (
    "choice list '{list_name}' is not on the choices sheet; add its choices or fix the name"
)
TOO_DEEP = (
    "group '{name}' is nested more than one level inside a section; flatten it so that "
    "sections contain only questions and single-level blocks"
)
BAD_REQUIRED = "'required' must be yes or no (conditional required is not supported); got {value!r}"

#: KoboToolbox/ODK metadata rows: recorded by devices, never shown or imported.
META_TYPES = frozenset(
    {
        "start",
        "end",
        "today",
        "deviceid",
        "username",
        "phonenumber",
        "simserial",
        "subscriberid",
        "email",
        "audit",
        "start-geopoint",
    }
)
_TYPE_ALIASES = {
    "string": "text",
    "int": "integer",
    "begin group": "begin_group",
    "end group": "end_group",
    "select one": "select_one",
    "select all that apply": "select_multiple",
}
#: Types a workbook may use: ours minus ``url``, which the loader derives from a constraint.
_WORKBOOK_TYPES = QUESTION_TYPES - {"url"}
_YES = {"yes", "true", "true()", "1"}
#: The settings column holding the form title in other languages (``translated_title::Español (es)``).
TRANSLATED_TITLE = "translated_title"
_NO = {"", "no", "false", "false()", "0"}


def read_bytes(source: str | Path | bytes) -> bytes:
    """The workbook bytes; a path that cannot be read becomes ``instrument.E001``."""
    if isinstance(source, bytes):
        return source
    try:
        return Path(source).read_bytes()
    except OSError as exc:
        problem = Problem("instrument.E001", CANNOT_READ.format(reason=exc.strerror or exc))
        raise InstrumentError([problem], source=str(source)) from exc


@validate_params({"source": [InstanceOf((str, Path, bytes), "a path or the workbook bytes")]})
def load_instrument(source: str | Path | bytes) -> InstrumentForm:
    """Load and validate an XLSForm workbook (a path or its bytes).

    Raises :class:`InstrumentError` listing every problem (pyxform's and ours), each with its code,
    sheet, row and column.
    """
    data = read_bytes(source)
    label = None if isinstance(source, bytes) else str(source)
    try:
        sheets = read_workbook(data)
    except InstrumentError as exc:
        raise InstrumentError(exc.problems, source=label) from exc
    builder = _Builder(sheets)
    instrument = builder.build(hashlib.sha256(data).hexdigest())
    ours = {(p.sheet, p.row) for p in builder.problems}
    # pyxform and our checks often see the same cell (an unknown ${name}): keep our precise one.
    problems = [p for p in pyxform_problems(data) if (p.sheet, p.row) not in ours]
    problems += builder.problems
    if problems:
        raise InstrumentError(problems, source=label)
    return instrument


def _normalise_type(raw: str) -> tuple[str, str | None]:
    """``"select one  colours"`` -> ``("select_one", "colours")``; list names keep their case."""
    text = " ".join(raw.split())
    lowered = text.lower()
    for alias, canonical in _TYPE_ALIASES.items():
        if lowered == alias or lowered.startswith(alias + " "):
            text = canonical + text[len(alias) :]
            lowered = text.lower()
            break
    head, _, rest = text.partition(" ")
    if head.lower() in ("select_one", "select_multiple"):
        if rest and " " not in rest:
            return head.lower(), rest
        return lowered, None  # "select_one list or_other" and similar: not in our subset
    return lowered, None


def _parameters(text: str) -> dict[str, str]:
    pairs = (item.partition("=") for item in text.replace(";", " ").split())
    return {key.strip(): value.strip() for key, _, value in pairs if key.strip()}


class _Builder:
    """Walks the sheets once, building the model and collecting problems as it goes."""

    def __init__(self, sheets: dict[str, Sheet]):
        self.sheets = sheets
        self.problems: list[Problem] = []
        self.default_language = "default"

    def build(self, sha256: str) -> InstrumentForm:
        survey = self._sheet("survey")
        choices = self._sheet("choices")
        settings = self.sheets.get("settings")
        setting_row = settings.rows[0] if settings and settings.rows else None

        def setting(name: str) -> str:
            return settings.value(setting_row, name) if settings and setting_row else ""

        default_name = setting("default_language") or self._first_language(survey)
        self.default_language = language_code(default_name) if default_name else "default"
        form_id, version = setting("form_id"), setting("version")
        for name, value in (("form_id", form_id), ("version", version)):
            if not value:
                self.problems.append(
                    Problem(
                        "instrument.E009", MISSING_SETTING.format(setting=name), sheet="settings"
                    )
                )
        lists = self._choice_lists(choices)
        sections = self._sections(survey, lists)
        languages = self._languages(default_name, survey, choices)
        title = {self.default_language: setting("form_title") or form_id}
        if settings and setting_row:
            title |= self._translated_titles(settings, setting_row)
        return InstrumentForm(
            form_id=form_id,
            version=version,
            title=title,
            languages=tuple(languages),
            default_language=self.default_language,
            language_names=languages,
            sections=sections,
            choice_lists=lists,
            sha256=sha256,
        )

    @staticmethod
    def _translated_titles(settings: Sheet, row) -> dict[str, str]:
        """``translated_title::Español (es)`` columns on the settings sheet: the title in each
        language. pyxform refuses a translated ``form_title`` (its XForm title is one string) and
        ignores columns it does not know, so the translations live in a column of their own."""
        found = settings.translated(row, TRANSLATED_TITLE)
        return {language_code(name): text for name, text in found.items() if name}

    def _sheet(self, name: str) -> Sheet:
        sheet = self.sheets.get(name)
        if sheet is None:
            self.problems.append(Problem("instrument.E002", MISSING_SHEET.format(sheet=name)))
            return Sheet(name, (), ())
        return sheet

    @staticmethod
    def _first_language(survey: Sheet) -> str:
        return next((c.language for c in survey.columns if c.base == "label" and c.language), "")

    def _languages(self, default_name: str, *sheets: Sheet) -> dict[str, str]:
        """Language code -> name as the workbook writes it, the default language first."""
        found = {self.default_language: default_name or self.default_language}
        for sheet in sheets:
            for column in sheet.columns:
                if column.base in ("label", "hint", "constraint_message") and column.language:
                    found.setdefault(language_code(column.language), column.language)
        return found

    def _texts(self, sheet: Sheet, row: Row, base: str) -> dict[str, str]:
        return {
            (language_code(lang) if lang else self.default_language): text
            for lang, text in sheet.translated(row, base).items()
        }

    def _choice_lists(self, sheet: Sheet) -> dict[str, ChoiceList]:
        grouped: dict[str, list[Choice]] = {}
        for row in sheet.rows:
            list_name, name = sheet.value(row, "list_name"), sheet.value(row, "name")
            if not list_name or not name:
                continue  # pyxform reports incomplete choice rows
            extra = {
                c.base: row.cells[c.header]
                for c in sheet.columns
                if c.language is None
                and c.base not in ("list_name", "name", "label")
                and c.header in row.cells
            }
            labels = self._texts(sheet, row, "label")
            grouped.setdefault(list_name, []).append(Choice(name, labels, extra))
        return {name: ChoiceList(name, tuple(items)) for name, items in grouped.items()}

    def _sections(self, sheet: Sheet, lists: dict[str, ChoiceList]) -> tuple[Section, ...]:
        names = {sheet.value(r, "name") for r in sheet.rows if sheet.value(r, "name")}
        sections: list[Section] = []
        stack: list[tuple[Row, list[Question | Group]]] = []
        for row in sheet.rows:
            kind, list_name = _normalise_type(sheet.value(row, "type"))
            name = sheet.value(row, "name")
            self._check_expressions(sheet, row, names)
            if kind in META_TYPES or kind == "end_repeat" or not kind:
                continue
            if kind == "begin_group":
                if len(stack) >= 2:
                    self._problem("instrument.E011", TOO_DEEP.format(name=name), sheet, row, "type")
                stack.append((row, []))
            elif kind == "end_group":
                if stack:
                    self._close_group(sheet, stack, sections)
            elif kind in _WORKBOOK_TYPES:
                question = self._question(sheet, row, kind, list_name, lists, stack)
                if not stack:
                    self._problem(
                        "instrument.E008", OUTSIDE_SECTION.format(name=name), sheet, row, "name"
                    )
                else:
                    stack[-1][1].append(question)
            else:
                self._problem(
                    "instrument.E004", UNSUPPORTED_TYPE.format(type=kind), sheet, row, "type"
                )
        return tuple(sections)

    def _close_group(self, sheet: Sheet, stack: list, sections: list[Section]) -> None:
        row, items = stack.pop()
        common = {
            "name": sheet.value(row, "name"),
            "labels": self._texts(sheet, row, "label"),
            "hints": self._texts(sheet, row, "hint"),
            "relevant": sheet.value(row, "relevant") or None,
            "appearance": sheet.value(row, "appearance") or None,
            "row": row.number,
        }
        if not stack:
            sections.append(Section(items=tuple(items), **common))
            return
        path = tuple(sheet.value(r, "name") for r, _ in stack) + (common["name"],)
        block = Group(
            questions=tuple(q for q in items if isinstance(q, Question)), path=path, **common
        )
        stack[-1][1].append(block)

    def _question(
        self,
        sheet: Sheet,
        row: Row,
        kind: str,
        list_name: str | None,
        lists: dict[str, ChoiceList],
        stack: list,
    ) -> Question:
        if list_name is not None and list_name not in lists:
            self._problem(
                "instrument.E010", UNKNOWN_LIST.format(list_name=list_name), sheet, row, "type"
            )
        required_text = sheet.value(row, "required").lower()
        if required_text not in _YES | _NO:
            self._problem(
                "instrument.E012",
                BAD_REQUIRED.format(value=sheet.value(row, "required")),
                sheet,
                row,
                "required",
            )
        constraint = sheet.value(row, "constraint") or None
        if kind == "text" and is_url_constraint(constraint):
            kind = "url"
        return Question(
            name=sheet.value(row, "name"),
            type=kind,
            labels=self._texts(sheet, row, "label"),
            hints=self._texts(sheet, row, "hint"),
            list_name=list_name,
            required=required_text in _YES,
            relevant=sheet.value(row, "relevant") or None,
            constraint=constraint,
            constraint_messages=self._texts(sheet, row, "constraint_message"),
            choice_filter=sheet.value(row, "choice_filter") or None,
            appearance=sheet.value(row, "appearance") or None,
            parameters=_parameters(sheet.value(row, "parameters")),
            path=tuple(sheet.value(r, "name") for r, _ in stack),
            row=row.number,
        )

    def _check_expressions(self, sheet: Sheet, row: Row, names: set[str]) -> None:
        for base in ("relevant", "constraint", "choice_filter"):
            text = sheet.value(row, base)
            if text:
                self.problems += check_expression(
                    text,
                    sheet=sheet.name,
                    row=row.number,
                    column=sheet.header_of(base),
                    question_names=names,
                    allow_fields=base == "choice_filter",
                )

    def _problem(self, code: str, message: str, sheet: Sheet, row: Row, base: str) -> None:
        self.problems.append(
            Problem(code, message, sheet=sheet.name, row=row.number, column=sheet.header_of(base))
        )
