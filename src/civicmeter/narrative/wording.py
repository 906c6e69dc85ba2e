"""The wording of benchmark sentences in one language, read from ``messages/<lang>.yaml``.

Why a data file per language: sentence patterns, peer-group names, plural forms and number marks
differ by language in ways gettext's one-string-per-message model handles badly (a sentence is
assembled from a lead-in, a peer phrase and a question phrase). A translator edits one YAML file;
every text is checked on load for the placeholders it may use, and question phrases for questions
the instrument really has.
"""

from __future__ import annotations

import functools
import string
from dataclasses import dataclass
from pathlib import Path

from civicmeter.indexing.errors import ProblemCollector
from civicmeter.instruments import Instrument
from civicmeter.narrative import errors as E
from civicmeter.narrative.errors import NarrativeError
from civicmeter.narrative.numbers import NumberFormat
from civicmeter.narrative.peers import CONTINENTS
from civicmeter.narrative.rule_reader import file_messages
from civicmeter.narrative.texts import LANGUAGES
from civicmeter.params import NONE, InstanceOf, Options, validate_params
from civicmeter.yaml_schema import MappingReader, is_whole, read_yaml_mapping

MESSAGES = Path(__file__).resolve().parent.parent / "content" / "recommendations" / "messages"
CODE = "narrative.E015"
TOP_KEYS = (
    "language",
    "numbers",
    "peers",
    "continents",
    "leads",
    "excluded",
    "sentence",
    "generic",
    "reasons",
    "phrases",
)
NUMBER_KEYS = ("decimal", "group", "min_group_digits", "percent", "singular")
#: Every text block and the placeholders its texts may use.
SLOTS = {
    "peers": {
        "all": (),
        "continent": ("continent",),
        "population_band": ("low", "high"),
        "population_band_open": ("low",),
    },
    "leads": {
        "like": ("share", "peers", "city", "phrase"),
        "along": ("share", "peers", "city", "phrase"),
        "similar": ("share", "peers", "city", "phrase"),
        "only": ("n", "peers", "city", "phrase"),
        "lone": ("peers", "city", "phrase"),
    },
    "generic": {
        "answer": ("choice", "question"),
        "chose": ("choice", "question"),
        "not_chose": ("choice", "question"),
    },
    "sentence": {"plain": ("main",), "with_excluded": ("main", "excluded")},
    "reasons": {"with_peers": ("reason", "share", "peers"), "no_peers": ("reason",)},
}
PLURAL_FORMS = ("one", "other")


@dataclass(frozen=True)
class Wording:
    """One language's sentence parts. ``peers`` and ``excluded`` texts have ``one``/``other`` forms."""

    language: str
    numbers: NumberFormat
    peers: dict[str, dict[str, str]]
    continents: dict[str, str]
    leads: dict[str, str]
    excluded: dict[str, str]
    sentence: dict[str, str]
    generic: dict[str, str]
    phrases: dict[str, dict[str, str]]
    reasons: dict[str, str]
    sha256: str = ""


class _Reader(MappingReader):
    UNKNOWN_CODE = CODE
    NOT_MAPPING_CODE = CODE

    def text(self, key: str, allowed: tuple[str, ...]) -> str:
        value = self.content.get(key)
        if not isinstance(value, str) or not value.strip():
            self.problem(key, CODE, E.BAD_TEXT.format(value=value))
            return ""
        for _, name, _, _ in string.Formatter().parse(value):
            if name is not None and name not in allowed:
                shown = ", ".join("{" + a + "}" for a in allowed) or "no placeholders"
                self.problem(key, CODE, E.BAD_PLACEHOLDER.format(name=name, allowed=shown))
        return value

    def texts(
        self, key: str, slots: dict[str, tuple[str, ...]] | tuple[str, ...], plural: bool = False
    ) -> dict:
        sub = self.nested(self.content.get(key), key)
        names = tuple(slots) if isinstance(slots, dict) else tuple(sub.content)
        if isinstance(slots, dict):
            sub.only(names)
        out = {}
        for name in names:
            allowed = slots[name] if isinstance(slots, dict) else slots
            if plural:
                forms = sub.nested(sub.content.get(name), name)
                forms.only(PLURAL_FORMS)
                out[name] = {form: forms.text(form, allowed) for form in PLURAL_FORMS}
            else:
                out[name] = sub.text(name, allowed)
        return out


def _numbers(r: _Reader) -> NumberFormat:
    sub = r.nested(r.content.get("numbers"), "numbers")
    sub.only(NUMBER_KEYS)
    digits = sub.content.get("min_group_digits")
    if not is_whole(digits, 1):
        sub.problem("min_group_digits", CODE, E.BAD_NUMBER.format(bound=">= 1", value=digits))
        digits = 4
    singular = sub.content.get("singular")
    if not isinstance(singular, list) or not all(is_whole(v, 0) for v in singular):
        sub.problem("singular", CODE, E.BAD_LIST.format(what="counts that take the singular", value=singular))
        singular = [1]
    marks = {}
    for key in ("decimal", "group"):
        value = sub.content.get(key)
        if not isinstance(value, str) or not value:
            sub.problem(key, CODE, E.BAD_TEXT.format(value=value))
        marks[key] = value if isinstance(value, str) else ""
    return NumberFormat(
        marks["decimal"], marks["group"], digits, sub.text("percent", ("value",)), tuple(singular)
    )


def _phrases(r: _Reader, instrument: Instrument) -> dict[str, dict[str, str]]:
    sub = r.nested(r.content.get("phrases"), "phrases")
    out = {}
    for question, choices in sub.content.items():
        if not instrument.has_question(str(question)) or not instrument.question(str(question)).is_select:
            sub.problem(str(question), CODE, E.NO_QUESTION.format(question=question, form=instrument.form_id))
            continue
        options = instrument.choices(str(question)).names
        texts = sub.nested(choices, str(question))
        texts.only(options)
        out[str(question)] = {str(choice): texts.text(str(choice), ()) for choice in texts.content}
    return out


@validate_params(
    {
        "language": [Options(LANGUAGES)],
        "instrument": [InstanceOf(Instrument, "an Instrument")],
        "path": [InstanceOf((str, Path), "a path to a wording YAML file"), NONE],
    }
)
def load_wording(language: str, instrument: Instrument, path: str | Path | None = None) -> Wording:
    """Read and check the wording of ``language`` (the shipped file unless ``path`` is given)."""
    path = Path(path) if path is not None else MESSAGES / f"{language}.yaml"
    messages = file_messages("wording file", CODE, TOP_KEYS)
    content, sha256 = read_yaml_mapping(path, messages)
    problems = ProblemCollector(NarrativeError)
    root = _Reader(content, str(path), "", problems)
    root.only(TOP_KEYS)
    if content.get("language") != language:
        root.problem("language", CODE, f"must be {language!r} for this file, got {content.get('language')!r}")
    numbers = _numbers(root)
    continents = root.texts("continents", dict.fromkeys(CONTINENTS, ()))
    wording = Wording(
        language=language,
        numbers=numbers,
        peers=root.texts("peers", SLOTS["peers"], plural=True),
        continents=continents,
        leads=root.texts("leads", SLOTS["leads"]),
        excluded=root.texts("excluded", dict.fromkeys(PLURAL_FORMS, ("count",))),
        sentence=root.texts("sentence", SLOTS["sentence"]),
        generic=root.texts("generic", SLOTS["generic"]),
        phrases=_phrases(root, instrument),
        reasons=root.texts("reasons", SLOTS["reasons"]),
        sha256=sha256,
    )
    problems.raise_if_any()
    return wording


@dataclass(frozen=True)
class ReasonWording:
    """What a recommendation's reasons need of a language: its numbers and the two reason patterns."""

    language: str
    numbers: NumberFormat
    reasons: dict[str, str]


@functools.lru_cache(maxsize=len(LANGUAGES))
def reason_wording(language: str) -> ReasonWording:
    """The shipped wording of ``language`` as far as reasons need it (no instrument: the reason
    patterns and number marks do not name questions), read and checked once per process."""
    path = MESSAGES / f"{language}.yaml"
    content, _ = read_yaml_mapping(path, file_messages("wording file", CODE, TOP_KEYS))
    problems = ProblemCollector(NarrativeError)
    root = _Reader(content, str(path), "", problems)
    wording = ReasonWording(language, _numbers(root), root.texts("reasons", SLOTS["reasons"]))
    problems.raise_if_any()
    return wording
