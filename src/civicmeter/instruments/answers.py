"""Answer logic shared by the web survey, the importers and demo-data generation.

Answers are a mapping of question name to stored string, in the XLSForm export convention: numbers
as typed digits, ``select_one`` as the choice name, ``select_multiple`` as space-separated choice
names (in choice-list order, so the same answer is always stored the same way). Relevance is applied
as ODK does: an answer to a hidden question is ignored, both for what is shown and for the
expressions of later questions, so changing ``s2_team`` to ``no`` makes ``s2_team_size`` vanish
rather than linger in the results.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from civicmeter.instruments.errors import Problem
from civicmeter.instruments.evaluator import Context, is_true
from civicmeter.instruments.model import Choice, InstrumentForm, Question
from civicmeter.params import NONE, InstanceOf, validate_params

REQUIRED = "required"
NOT_INTEGER = "not_integer"
NOT_NUMBER = "not_number"
NOT_DATE = "not_date"
NOT_A_CHOICE = "not_a_choice"
CONSTRAINT = "constraint"
TOO_LONG = "too_long"

#: Longest text answer, in characters, unless the question's constraint says
#: ``string-length(.) <= N``. Each save keeps the old and the new value in the history, so an
#: unbounded answer would grow it without end.
DEFAULT_TEXT_LIMIT = 5000
TEXT_TYPES = ("text", "url")
_LENGTH_BOUND = re.compile(r"string-length\(\s*\.\s*\)\s*(?P<op><=?)\s*(?P<n>\d+)")

#: Stable codes for each kind of answer problem (listed in docs/reference/errors.md).
CODES = {
    NOT_A_CHOICE: "import.E004",
    NOT_INTEGER: "import.E005",
    NOT_NUMBER: "import.E005",
    NOT_DATE: "import.E005",
    CONSTRAINT: "import.E006",
    REQUIRED: "import.E007",
    TOO_LONG: "import.E015",
}

#: Built-in messages in the instrument's three languages; authors' constraint messages come from
#: the workbook. Unknown languages fall back to English.
MESSAGES: dict[str, dict[str, str]] = {
    "en": {
        REQUIRED: "This question requires an answer.",
        NOT_INTEGER: "Enter a whole number (digits only), not {value!r}.",
        NOT_NUMBER: "Enter a number such as 12 or 3.5, not {value!r}.",
        NOT_DATE: "Enter a date as YYYY-MM-DD, not {value!r}.",
        NOT_A_CHOICE: "{value!r} is not one of the options; use one of: {options}.",
        CONSTRAINT: "This answer is not allowed (it must satisfy {constraint}).",
        TOO_LONG: "Keep this answer to {limit:,} characters at most (it has {length:,}).",
    },
    "es": {
        REQUIRED: "Esta pregunta requiere una respuesta.",
        NOT_INTEGER: "Introduzca un número entero (solo cifras), no {value!r}.",
        NOT_NUMBER: "Introduzca un número como 12 o 3.5, no {value!r}.",
        NOT_DATE: "Introduzca una fecha como AAAA-MM-DD, no {value!r}.",
        NOT_A_CHOICE: "{value!r} no es una de las opciones; use una de: {options}.",
        CONSTRAINT: "Esta respuesta no está permitida (debe cumplir {constraint}).",
        TOO_LONG: "Limite esta respuesta a {limit} caracteres como máximo (tiene {length}).",
    },
    "fr": {
        REQUIRED: "Cette question exige une réponse.",
        NOT_INTEGER: "Saisissez un nombre entier (chiffres uniquement), pas {value!r}.",
        NOT_NUMBER: "Saisissez un nombre comme 12 ou 3.5, pas {value!r}.",
        NOT_DATE: "Saisissez une date au format AAAA-MM-JJ, pas {value!r}.",
        NOT_A_CHOICE: "{value!r} ne fait pas partie des options ; utilisez : {options}.",
        CONSTRAINT: "Cette réponse n'est pas autorisée (elle doit respecter {constraint}).",
        TOO_LONG: "Limitez cette réponse à {limit} caractères au plus (elle en compte {length}).",
    },
}
UNKNOWN_QUESTION = "'{name}' is not a question of instrument {form_id} {version}"

_INTEGER = re.compile(r"[+-]?\d+")
_DECIMAL = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")

_INSTRUMENT = [InstanceOf(InstrumentForm, "an InstrumentForm")]
_ANSWERS = [InstanceOf(Mapping, "a mapping of question name to stored string")]
_LANG = [InstanceOf(str, "a language code such as 'en'")]


@dataclass(frozen=True)
class SectionProgress:
    """How far one section is: visible answerable questions, and the required ones among them."""

    section: str
    answered: int
    visible: int
    required: int
    required_answered: int

    @property
    def complete(self) -> bool:
        return self.required_answered == self.required


def message(kind: str, lang: str | None = None, **params: object) -> str:
    """A built-in answer message in ``lang`` (English when we have no translation)."""
    table = MESSAGES.get((lang or "en").split("-")[0], MESSAGES["en"])
    return table[kind].format(**params)


@validate_params({"instrument": _INSTRUMENT, "answers": _ANSWERS})
def visible(instrument: InstrumentForm, answers: Mapping[str, str]) -> set[str]:
    """Names of the questions (notes included) shown for these answers.

    A question is shown when its section, its block and itself are relevant. Relevance is evaluated
    in workbook order against answers of shown questions only, and repeated until nothing changes
    so a (rare) reference to a later question settles too.
    """
    shown: set[str] = set()
    for _ in range(sum(1 for _ in instrument.iter_questions()) + 1):
        effective = {
            k: v for k, v in answers.items() if not instrument.has_question(k) or k in shown
        }
        new_shown = _relevant_questions(instrument, effective, answers)
        if new_shown == shown:
            break
        shown = new_shown
    return shown


def _relevant_questions(
    instrument: InstrumentForm, effective: Mapping[str, str], answers: Mapping[str, str]
) -> set[str]:
    shown: set[str] = set()
    current = dict(effective)
    for section in instrument.sections:
        section_on = _holds(section.relevant, current)
        blocks = {g.name: g for g in section.groups}
        for question in section.questions:
            block = blocks.get(question.group or "")
            on = section_on and (block is None or _holds(block.relevant, current))
            if on and _holds(question.relevant, current):
                shown.add(question.name)
                if question.name in answers:
                    current[question.name] = answers[question.name]
            else:
                current.pop(question.name, None)
    return shown


def _holds(expression: str | None, answers: Mapping[str, str]) -> bool:
    return expression is None or is_true(expression, Context(answers))


@validate_params({"instrument": _INSTRUMENT, "answers": _ANSWERS})
def visible_answers(instrument: InstrumentForm, answers: Mapping[str, str]) -> dict[str, str]:
    """The answers that count: non-empty answers to shown questions, in workbook order."""
    shown = visible(instrument, answers)
    return {
        q.name: answers[q.name]
        for q in instrument.iter_questions(answerable_only=True)
        if q.name in shown and answers.get(q.name)
    }


@validate_params(
    {"instrument": _INSTRUMENT, "name": [InstanceOf(str, "a question name")], "answers": _ANSWERS}
)
def available_choices(
    instrument: InstrumentForm, name: str, answers: Mapping[str, str]
) -> tuple[Choice, ...]:
    """The options of a select question after its ``choice_filter`` (all options if none)."""
    question = instrument.question(name)
    choices = instrument.choices(question).choices
    if question.choice_filter is None:
        return choices
    return tuple(
        c
        for c in choices
        if is_true(question.choice_filter, Context(answers, choice={"name": c.name, **c.extra}))
    )


def as_text(raw: str | Sequence[str] | None) -> str:
    """A submitted value as stored text: ticked choices joined by spaces, ends stripped."""
    return " ".join(raw).strip() if isinstance(raw, list | tuple) else (raw or "").strip()


def check_answer(
    instrument: InstrumentForm,
    question: Question,
    raw: str | Sequence[str] | None,
    answers: Mapping[str, str],
    *,
    shown: bool,
) -> tuple[str, str | None, dict[str, object]]:
    """``(stored value, problem kind or None, message parameters)`` for one answer."""
    value = as_text(raw)
    if not value:
        missing = shown and question.required and question.takes_answer
        return "", REQUIRED if missing else None, {}
    kind = question.type
    limit = text_limit(question)
    if limit is not None and len(value) > limit:
        return value, TOO_LONG, {"limit": limit, "length": len(value)}
    if kind == "integer":
        if not _INTEGER.fullmatch(value):
            return value, NOT_INTEGER, {"value": value}
        value = str(int(value))
    elif kind == "decimal" and not _DECIMAL.fullmatch(value):
        return value, NOT_NUMBER, {"value": value}
    elif kind == "date":
        try:
            datetime.date.fromisoformat(value)
        except ValueError:
            return value, NOT_DATE, {"value": value}
    elif question.is_select:
        options = [c.name for c in available_choices(instrument, question.name, answers)]
        tokens = value.split() if kind == "select_multiple" else [value]
        wrong = [t for t in tokens if t not in options]
        if wrong:
            return value, NOT_A_CHOICE, {"value": wrong[0], "options": ", ".join(options)}
        value = " ".join(o for o in options if o in tokens)
    if question.constraint and not is_true(
        question.constraint, Context({**answers, question.name: value}, current=value)
    ):
        return value, CONSTRAINT, {"constraint": question.constraint}
    return value, None, {}


def text_limit(question: Question) -> int | None:
    """The longest answer a text question takes (``None`` for other types).

    :data:`DEFAULT_TEXT_LIMIT` unless the question's constraint states its own bound,
    ``string-length(.) <= N`` (or ``< N``), which ODK Collect and KoboToolbox enforce too; a larger
    N raises the limit for that question.
    """
    if question.type not in TEXT_TYPES:
        return None
    bound = _LENGTH_BOUND.search(question.constraint or "")
    if bound is None:
        return DEFAULT_TEXT_LIMIT
    return int(bound["n"]) - (bound["op"] == "<")


def canonical(instrument: InstrumentForm, question: Question, value: str) -> str:
    """A stored value in its one spelling: ``select_multiple`` choices once each, in list order.

    Values stored before this rule (or by the demo) may list choices in another order; comparing
    canonical forms keeps an unchanged re-import from counting them as changes.
    """
    if question.type != "select_multiple" or not value:
        return value
    tokens = value.split()
    known = [c.name for c in instrument.choices(question).choices]
    return " ".join([n for n in known if n in tokens] + [t for t in dict.fromkeys(tokens) if t not in known])


@validate_params(
    {
        "instrument": _INSTRUMENT,
        "name": [InstanceOf(str, "a question name")],
        "raw": [InstanceOf((str, list, tuple), "text or a list of choice names"), NONE],
        "answers": _ANSWERS,
        "lang": _LANG,
    }
)
def clean_answer(
    instrument: InstrumentForm,
    name: str,
    raw: str | Sequence[str] | None,
    answers: Mapping[str, str],
    lang: str = "en",
) -> tuple[str, str | None]:
    """Coerce and check one answer as the web survey receives it.

    ``raw`` is the submitted text, or the list of ticked choice names for a ``select_multiple``.
    Returns ``(stored value, None)`` or ``(value as given, message in lang)``; a constraint failure
    uses the workbook's constraint message for ``lang`` when it has one. A hidden question is never
    reported as missing.
    """
    question = instrument.question(name)
    shown = name in visible(instrument, {**answers, name: as_text(raw)})
    value, kind, params = check_answer(instrument, question, raw, answers, shown=shown)
    if kind is None:
        return value, None
    if kind == CONSTRAINT and question.constraint_messages:
        return value, instrument.text(question.constraint_messages, lang)
    return value, message(kind, lang, **params)


@validate_params({"instrument": _INSTRUMENT, "answers": _ANSWERS})
def missing_required(instrument: InstrumentForm, answers: Mapping[str, str]) -> list[str]:
    """Shown required questions still without an answer, in workbook order."""
    shown = visible(instrument, answers)
    return [
        q.name
        for q in instrument.iter_questions(answerable_only=True)
        if q.required and q.name in shown and not (answers.get(q.name) or "").strip()
    ]


@validate_params({"instrument": _INSTRUMENT, "answers": _ANSWERS})
def section_progress(instrument: InstrumentForm, answers: Mapping[str, str]) -> list[SectionProgress]:
    """Per section, in order: answered/visible questions and answered/required questions."""
    shown = visible(instrument, answers)
    progress = []
    for section in instrument.sections:
        questions = [q for q in section.questions if q.takes_answer and q.name in shown]
        answered = [q for q in questions if (answers.get(q.name) or "").strip()]
        required = [q for q in questions if q.required]
        progress.append(
            SectionProgress(
                section=section.name,
                answered=len(answered),
                visible=len(questions),
                required=len(required),
                required_answered=sum(1 for q in required if (answers.get(q.name) or "").strip()),
            )
        )
    return progress


@validate_params({"instrument": _INSTRUMENT, "answers": _ANSWERS, "lang": _LANG})
def validate_response(
    instrument: InstrumentForm, answers: Mapping[str, str], lang: str = "en"
) -> list[Problem]:
    """Every problem with a whole response (``column`` = question name), for submission checks.

    Answers to hidden questions are ignored; answers naming unknown questions are reported.
    """
    problems = [
        Problem(
            "import.E003",
            UNKNOWN_QUESTION.format(
                name=name, form_id=instrument.form_id, version=instrument.version
            ),
            column=name,
        )
        for name in answers
        if not instrument.has_question(name)
    ]
    shown = visible(instrument, answers)
    effective = visible_answers(instrument, answers)
    for question in instrument.iter_questions(answerable_only=True):
        if question.name not in shown:
            continue
        _, kind, params = check_answer(
            instrument, question, answers.get(question.name), effective, shown=True
        )
        if kind is not None:
            text = (
                instrument.text(question.constraint_messages, lang)
                if kind == CONSTRAINT and question.constraint_messages
                else message(kind, lang, **params)
            )
            problems.append(Problem(CODES[kind], text, column=question.name))
    return problems
