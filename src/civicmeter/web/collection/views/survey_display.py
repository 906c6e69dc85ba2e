"""What the survey templates show: one section's questions in the survey language, with values.

Kept apart from the views so the views stay thin and the templates stay free of lookups: everything
here is presentation (labels in a language, which widget, HTML ``min``/``max``), never a rule about
answers; those live in :mod:`civicmeter.instruments` and the collection services.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.formats import time_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from civicmeter import instruments
from civicmeter.instruments.answers import CODES, REQUIRED, text_limit
from civicmeter.instruments.expressions import Binary, Current, ExpressionSyntaxError, Number, parse
from civicmeter.instruments.model import Group, Instrument, Question


@dataclass(frozen=True)
class ChoiceView:
    name: str
    label: str
    checked: bool
    #: The input's HTML id, ``id_<question>_<n>`` (made here: a template counter is localised).
    id: str = ""


@dataclass
class QuestionView:
    """One question as rendered; ``state``/``message`` carry the outcome of the last save."""

    name: str
    type: str
    label: str
    hint: str
    required: bool
    value: str
    version: int
    visible: bool
    readonly: bool
    choices: tuple[ChoiceView, ...] = ()
    minimum: str | None = None
    maximum: str | None = None
    multiline: bool = False
    maxlength: int | None = None
    #: Attributes every input of the question carries (disabled, or the autosave's ``hx-post``);
    #: built once per question, not once per choice, because the matrix pages have hundreds.
    control: str = ""
    state: str = ""
    message: str = ""

    kind = "question"

    @property
    def widget(self) -> str:
        if self.type == "select_one":
            return "radio"
        if self.type == "select_multiple":
            return "checkbox"
        if self.type in ("integer", "decimal"):
            return "number"
        if self.type in ("url", "date", "note"):
            return self.type
        return "textarea" if self.multiline else "text"

    @property
    def step(self) -> str:
        return "1" if self.type == "integer" else "any"


def control_attrs(question: QuestionView, answer_url: str) -> str:
    """The attributes of each input: disabled when read-only or not asked, else saved on change
    (and on typing, after a pause, for text)."""
    if question.readonly:
        return mark_safe(" disabled")
    trigger = "change" if question.widget in ("radio", "checkbox") else "change, keyup changed delay:800ms"
    attrs = ' hx-post="{}" hx-trigger="{}"' if question.visible else ' disabled hx-post="{}" hx-trigger="{}"'
    return format_html(attrs, answer_url, trigger)


@dataclass
class BlockView:
    """A group inside a section: a matrix (one table, a radio group per row) or a plain block."""

    name: str
    label: str
    hint: str
    is_matrix: bool
    columns: tuple[tuple[str, str], ...]
    questions: list[QuestionView] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return "matrix" if self.is_matrix else "block"

    @property
    def visible(self) -> bool:
        return any(q.visible for q in self.questions)


@dataclass(frozen=True)
class SectionNavItem:
    name: str
    label: str
    answered: int
    required: int


def simple_range(constraint: str | None) -> tuple[str | None, str | None]:
    """``min``/``max`` for the HTML input when the constraint is just ``. >= a and . <= b``.

    The server still checks the full constraint; these only let the browser hint the range.
    """
    if not constraint:
        return None, None
    try:
        node = parse(constraint)
    except ExpressionSyntaxError:
        return None, None
    bounds = {"min": None, "max": None}
    parts = [node.left, node.right] if isinstance(node, Binary) and node.op == "and" else [node]
    for part in parts:
        if not (
            isinstance(part, Binary) and isinstance(part.left, Current) and isinstance(part.right, Number)
        ):
            return None, None
        number = part.right.value
        text = str(int(number)) if float(number).is_integer() else str(number)
        if part.op == ">=":
            bounds["min"] = text
        elif part.op == "<=":
            bounds["max"] = text
        else:
            return None, None
    return bounds["min"], bounds["max"]


def text_in(instrument: Instrument, texts: Mapping[str, str], lang: str) -> tuple[str, str]:
    """A text in ``lang`` with the language it is actually written in (the default language when
    the workbook has no translation), so the page can mark a fallback with ``lang``."""
    text = instrument.text(texts, lang)
    if texts.get(lang) == text:
        return text, lang
    return text, next((code for code, value in texts.items() if value == text), lang)


def display_value(instrument: Instrument, name: str, value: str, lang: str) -> str:
    """A stored value as a person reads it: choice labels in ``lang`` instead of choice codes."""
    if not value or not instrument.has_question(name):
        return value
    question = instrument.question(name)
    if not question.is_select:
        return value
    labels = {c.name: instrument.text(c.labels, lang) for c in instrument.choices(question).choices}
    return ", ".join(labels.get(code, code) for code in value.split())


def question_view(
    instrument: Instrument,
    question: Question,
    *,
    lang: str,
    answers: Mapping[str, str],
    version: int,
    visible: bool,
    readonly: bool,
) -> QuestionView:
    value = answers.get(question.name, "")
    selected = set(value.split()) if question.is_select else set()
    choices = ()
    if question.is_select:
        choices = tuple(
            ChoiceView(c.name, instrument.text(c.labels, lang), c.name in selected, f"id_{question.name}_{n}")
            for n, c in enumerate(instruments.available_choices(instrument, question.name, answers), 1)
        )
    minimum, maximum = (
        simple_range(question.constraint) if question.type in ("integer", "decimal") else (None, None)
    )
    return QuestionView(
        name=question.name,
        type=question.type,
        label=instrument.text(question.labels, lang),
        hint=instrument.text(question.hints, lang),
        required=question.required,
        value=value,
        version=version,
        visible=visible,
        readonly=readonly,
        choices=choices,
        minimum=minimum,
        maximum=maximum,
        multiline="multiline" in (question.appearance or ""),
        maxlength=text_limit(question),
    )


def section_items(
    instrument: Instrument,
    section_name: str,
    *,
    lang: str,
    answers: Mapping[str, str],
    versions: Mapping[str, int],
    visible: set[str],
    readonly: bool,
    answer_url: str = "",
) -> list[QuestionView | BlockView]:
    """The section's questions and blocks in workbook order, ready for the templates."""

    def view(question: Question) -> QuestionView:
        shown = question_view(
            instrument,
            question,
            lang=lang,
            answers=answers,
            version=versions.get(question.name, 0),
            visible=question.name in visible,
            readonly=readonly,
        )
        shown.control = control_attrs(shown, answer_url)
        return shown

    items: list[QuestionView | BlockView] = []
    for item in instrument.section(section_name).items:
        if isinstance(item, Group):
            columns = ()
            if item.is_matrix:
                columns = tuple(
                    (c.name, instrument.text(c.labels, lang))
                    for c in instrument.choice_lists[item.list_name].choices
                )
            items.append(
                BlockView(
                    name=item.name,
                    label=instrument.text(item.labels, lang),
                    hint=instrument.text(item.hints, lang),
                    is_matrix=item.is_matrix,
                    columns=columns,
                    questions=[view(q) for q in item.questions],
                )
            )
        else:
            items.append(view(item))
    return items


def find_question(items: list[QuestionView | BlockView], name: str) -> QuestionView | None:
    for item in items:
        for question in item.questions if isinstance(item, BlockView) else [item]:
            if question.name == name:
                return question
    return None


@dataclass
class MissingItem:
    """A missing answer on the review page; ``rows`` holds a matrix's missing rows."""

    name: str
    label: str
    rows: list[MissingItem] = field(default_factory=list)


@dataclass
class MissingSection:
    name: str
    label: str
    items: list[MissingItem] = field(default_factory=list)


def missing_by_section(instrument: Instrument, names: list[str], lang: str) -> list[MissingSection]:
    """Missing required answers grouped by section, matrix rows under their matrix's question."""
    sections: dict[str, MissingSection] = {}
    for name in names:
        question = instrument.question(name)
        section = sections.setdefault(
            question.section,
            MissingSection(
                question.section, instrument.text(instrument.section(question.section).labels, lang)
            ),
        )
        item = MissingItem(name, instrument.text(question.labels, lang))
        group = instrument.group(question.group) if question.group else None
        if group is None or not group.is_matrix:
            section.items.append(item)
            continue
        if not section.items or section.items[-1].name != group.name:
            section.items.append(MissingItem(group.name, instrument.text(group.labels, lang)))
        section.items[-1].rows.append(item)
    return list(sections.values())


def answer_problems(instrument: Instrument, answers: Mapping[str, str], lang: str) -> list[str]:
    """Stored answers that break a rule, as "question: problem" in ``lang``.

    Missing required answers are left out: the review page lists those as links.
    """
    required = CODES[REQUIRED]
    return [
        _("%(question)s: %(problem)s")
        % {
            "question": instrument.label(p.column, lang) if instrument.has_question(p.column) else p.column,
            "problem": p.message,
        }
        for p in instruments.validate_response(instrument, answers, lang)
        if p.code != required
    ]


def conflict_message(instrument: Instrument, name: str, conflict, lang: str, *, viewer: str) -> str:
    """The sentence a person sees when someone else (or they, in another window) saved first."""
    params = {
        "name": conflict.by,
        "time": time_format(timezone.localtime(conflict.at), "H:i") if conflict.at else "",
        "value": display_value(instrument, name, conflict.current_value, lang) or _("(empty)"),
    }
    if conflict.by == viewer:
        return (
            _(
                "You changed this answer in another window at %(time)s to: %(value)s. "
                "The value here was not saved. Keep that one, or re-enter this one."
            )
            % params
        )
    return (
        _(
            "Someone else (%(name)s) changed this answer at %(time)s to: %(value)s. "
            "Your value was not saved. Keep theirs, or re-enter yours."
        )
        % params
    )


def nav_items(instrument: Instrument, answers: Mapping[str, str], lang: str) -> list[SectionNavItem]:
    """Each section with its required answers given out of those currently asked."""
    return [
        SectionNavItem(
            p.section,
            instrument.text(instrument.section(p.section).labels, lang),
            p.required_answered,
            p.required,
        )
        for p in instruments.section_progress(instrument, answers)
    ]
