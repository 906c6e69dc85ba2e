"""The instrument as plain frozen data: what the web survey renders and the importers check against.

An :class:`InstrumentForm` is built once from an XLSForm workbook by
:func:`civicmeter.instruments.loader.load_instrument` and never changes; results record its
``form_id``, ``version`` and ``sha256`` so every number can say which questionnaire produced it.
It is named apart from the web's ``Instrument`` model (a registered version: the workbook's bytes
and kind), which it is parsed from.
Top-level groups are the survey's sections; a group inside a section is a block of questions shown
together (a matrix when its rows share one choice list).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

#: Question types the survey can render and the evaluator can check (``url`` is our convention:
#: a ``text`` question constrained by a ``regex(., '^https?://...')``, see docs/instruments.md).
ANSWER_TYPES = frozenset(
    {"text", "url", "integer", "decimal", "date", "select_one", "select_multiple"}
)
QUESTION_TYPES = ANSWER_TYPES | {"note"}
SELECT_TYPES = frozenset({"select_one", "select_multiple"})


def _translate(texts: Mapping[str, str], lang: str | None, default: str) -> str:
    """The text in ``lang`` (``"es-ar"`` also tries ``"es"``), falling back to the default
    language, then to any language the workbook has."""
    for candidate in (lang, lang.split("-")[0] if lang else None):
        if candidate and texts.get(candidate):
            return texts[candidate]
    if texts.get(default):
        return texts[default]
    return next((t for t in texts.values() if t), "")


@dataclass(frozen=True)
class Choice:
    """One option; ``extra`` holds further choices-sheet columns, read by ``choice_filter``."""

    name: str
    labels: Mapping[str, str]
    extra: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ChoiceList:
    name: str
    choices: tuple[Choice, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.choices)


@dataclass(frozen=True)
class Question:
    """One survey row that is not a group. ``path`` lists the enclosing group names from the
    section down (``("s1", "s1_activities")`` for a matrix row); ``row`` is the survey sheet row."""

    name: str
    type: str
    labels: Mapping[str, str]
    hints: Mapping[str, str] = field(default_factory=dict)
    list_name: str | None = None
    required: bool = False
    relevant: str | None = None
    constraint: str | None = None
    constraint_messages: Mapping[str, str] = field(default_factory=dict)
    choice_filter: str | None = None
    appearance: str | None = None
    parameters: Mapping[str, str] = field(default_factory=dict)
    path: tuple[str, ...] = ()
    row: int = 0

    @property
    def section(self) -> str:
        return self.path[0] if self.path else ""

    @property
    def group(self) -> str | None:
        """The block (matrix) group this question sits in, if it is nested below its section."""
        return self.path[-1] if len(self.path) > 1 else None

    @property
    def is_select(self) -> bool:
        return self.type in SELECT_TYPES

    @property
    def takes_answer(self) -> bool:
        return self.type in ANSWER_TYPES


@dataclass(frozen=True)
class Group:
    """A block of questions inside a section; ``is_matrix`` when rendered as one table."""

    name: str
    labels: Mapping[str, str]
    questions: tuple[Question, ...]
    hints: Mapping[str, str] = field(default_factory=dict)
    relevant: str | None = None
    appearance: str | None = None
    path: tuple[str, ...] = ()
    row: int = 0

    @property
    def is_matrix(self) -> bool:
        lists = {q.list_name for q in self.questions}
        return (
            bool(self.questions)
            and all(q.type == "select_one" for q in self.questions)
            and len(lists) == 1
        )

    @property
    def list_name(self) -> str | None:
        return self.questions[0].list_name if self.is_matrix else None


@dataclass(frozen=True)
class Section:
    """A top-level group; ``items`` keeps questions and blocks in workbook order."""

    name: str
    labels: Mapping[str, str]
    items: tuple[Question | Group, ...]
    hints: Mapping[str, str] = field(default_factory=dict)
    relevant: str | None = None
    appearance: str | None = None
    row: int = 0

    @property
    def questions(self) -> tuple[Question, ...]:
        out: list[Question] = []
        for item in self.items:
            out.extend(item.questions if isinstance(item, Group) else (item,))
        return tuple(out)

    @property
    def groups(self) -> tuple[Group, ...]:
        return tuple(item for item in self.items if isinstance(item, Group))


@dataclass(frozen=True)
class InstrumentForm:
    form_id: str
    version: str
    title: Mapping[str, str]
    languages: tuple[str, ...]
    default_language: str
    sections: tuple[Section, ...]
    choice_lists: Mapping[str, ChoiceList]
    sha256: str
    #: Language code -> the name the workbook gives it (``"es"`` -> ``"Español (es)"``).
    language_names: Mapping[str, str] = field(default_factory=dict)

    def iter_questions(self, *, answerable_only: bool = False) -> Iterator[Question]:
        """Every question in workbook order (notes too unless ``answerable_only``)."""
        for section in self.sections:
            for question in section.questions:
                if question.takes_answer or not answerable_only:
                    yield question

    def question(self, name: str) -> Question:
        """The question called ``name``; ``KeyError`` names the unknown question."""
        found = self._index().get(name)
        if found is None:
            raise KeyError(f"instrument {self.form_id!r} has no question named {name!r}")
        return found

    def has_question(self, name: str) -> bool:
        return name in self._index()

    def section(self, name: str) -> Section:
        for section in self.sections:
            if section.name == name:
                return section
        raise KeyError(f"instrument {self.form_id!r} has no section named {name!r}")

    def group(self, name: str) -> Group:
        for section in self.sections:
            for group in section.groups:
                if group.name == name:
                    return group
        raise KeyError(f"instrument {self.form_id!r} has no group named {name!r}")

    def choices(self, question: Question | str) -> ChoiceList:
        q = self.question(question) if isinstance(question, str) else question
        if q.list_name is None:
            raise KeyError(f"question {q.name!r} is not a select question")
        return self.choice_lists[q.list_name]

    def text(self, texts: Mapping[str, str], lang: str | None = None) -> str:
        """Translate a label/hint/message mapping with fallback to the default language."""
        return _translate(texts, lang, self.default_language)

    def label(self, name: str, lang: str | None = None) -> str:
        return self.text(self.question(name).labels, lang)

    def choice_label(self, list_name: str, choice: str, lang: str | None = None) -> str:
        for c in self.choice_lists[list_name].choices:
            if c.name == choice:
                return self.text(c.labels, lang)
        raise KeyError(f"choice list {list_name!r} has no choice {choice!r}")

    def _index(self) -> dict[str, Question]:
        # Frozen dataclass: cache through object.__setattr__ on first use.
        index = self.__dict__.get("_question_index")
        if index is None:
            index = {q.name: q for q in self.iter_questions()}
            object.__setattr__(self, "_question_index", index)
        return index


#: The former name, kept while the packages outside this one (narrative, web views) move to
#: :class:`InstrumentForm`; new code uses that name (``tests/test_architecture.py`` counts the class).
Instrument = InstrumentForm
