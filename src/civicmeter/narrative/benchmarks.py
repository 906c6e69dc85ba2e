"""Benchmark statements: how many peers gave the same closed answer as the city.

For each closed question the city answered, the share of its peer group giving the same answer
(for a ``select_multiple`` question, per option: the same "chose it" or "did not choose it").

Counting rules, the same for every statement and written in docs/recommendations.md:

* the city is counted in its own group, in the numerator and the denominator, the way the OECD
  wrote "Along with 50% of cities surveyed, Baltimore does not have ...": Baltimore was one of the
  cities surveyed, so ``count >= 1`` whenever a statement exists;
* the denominator ``n`` holds only peers with a usable answer: peers whose question was not asked
  (skip logic), left empty, or answered with a "don't know"-type option are left out and counted in
  ``excluded``, which the sentence states;
* peers with no response in the wave at all are not "cities surveyed": they are left out of every
  statement and counted once in the result's notes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from civicmeter import instruments
from civicmeter.instruments import Instrument, Question
from civicmeter.narrative import errors as E
from civicmeter.narrative.errors import NarrativeError
from civicmeter.narrative.peers import PeerGroup
from civicmeter.params import InstanceOf, check_param, validate_params

_CODES = InstanceOf(tuple, "a tuple of option names")
#: What each field of :class:`BenchmarkSettings` accepts, checked when the object is made.
CONSTRAINTS = {"missing_choices": [_CODES], "negative_choices": [_CODES]}


@dataclass(frozen=True)
class BenchmarkSettings:
    """Which options are not a usable answer, and which answers mean "does not have".

    ``missing_choices`` ("don't know", "not applicable") leave the denominator like an empty answer.
    ``negative_choices`` give a ``select_one`` statement the polarity "does not have".
    """

    missing_choices: tuple[str, ...] = ("dont_know", "na")
    negative_choices: tuple[str, ...] = ("no", "never", "not_evaluated", "not_significant")

    def __post_init__(self) -> None:
        for name, allowed in CONSTRAINTS.items():
            check_param(name, getattr(self, name), allowed, caller="BenchmarkSettings")


@dataclass(frozen=True)
class Statement:
    """One benchmark: ``count`` of ``n`` peers (the city included) share the city's answer.

    ``choice`` is the city's answer (``select_one``) or the option compared (``select_multiple``,
    where ``selected`` says whether the city chose it). ``excluded`` peers had no usable answer.
    """

    question: str
    question_type: str
    choice: str
    selected: bool
    polarity: str
    count: int
    n: int
    excluded: int
    peers: PeerGroup = field(repr=False)

    @property
    def share(self) -> float:
        return self.count / self.n

    def as_dict(self) -> dict[str, object]:
        return {
            "question": self.question,
            "question_type": self.question_type,
            "choice": self.choice,
            "selected": self.selected,
            "polarity": self.polarity,
            "count": self.count,
            "n": self.n,
            "excluded": self.excluded,
            "share": self.share,
            "peer_group": self.peers.code,
        }


@dataclass(frozen=True)
class BenchmarkSet:
    """Every statement for one city against one peer group, with provenance and notes."""

    city: str
    peers: PeerGroup
    statements: tuple[Statement, ...]
    surveyed: int
    instrument: dict[str, str]
    settings: BenchmarkSettings
    notes: tuple[str, ...] = ()

    def statement(self, question: str, choice: str | None = None) -> Statement:
        """The statement on ``question`` (and ``choice`` for a ``select_multiple`` question)."""
        for s in self.statements:
            if s.question == question and (choice is None or s.choice == choice):
                return s
        raise KeyError(f"no statement on {question!r}" + (f" option {choice!r}" if choice else ""))

    def to_frame(self) -> pd.DataFrame:
        columns = ["question", "question_type", "choice", "selected", "polarity", "count", "n", "excluded"]
        return pd.DataFrame([s.as_dict() for s in self.statements], columns=[*columns, "share", "peer_group"])


def _usable(value: str, question: Question, settings: BenchmarkSettings) -> frozenset[str] | None:
    """The chosen options of a usable answer, or None when the answer does not count."""
    if not value:
        return None
    chosen = frozenset(value.split()) if question.type == "select_multiple" else frozenset([value])
    chosen = chosen - frozenset(settings.missing_choices)
    return chosen or None


def _question_statements(
    question: Question, options: tuple[str, ...], answers: dict[str, frozenset[str] | None], context: tuple
) -> list[Statement]:
    city, peers, settings = context
    own = answers[city]
    valid = [a for a in answers.values() if a is not None]
    excluded = len(answers) - len(valid)
    if question.type == "select_one":
        (choice,) = own
        polarity = "does_not_have" if choice in settings.negative_choices else "has"
        count = sum(a == own for a in valid)
        return [
            Statement(
                question.name, question.type, choice, True, polarity, count, len(valid), excluded, peers
            )
        ]
    out = []
    for choice in options:
        if choice in settings.missing_choices:
            continue
        selected = choice in own
        count = sum((choice in a) == selected for a in valid)
        polarity = "has" if selected else "does_not_have"
        out.append(
            Statement(
                question.name, question.type, choice, selected, polarity, count, len(valid), excluded, peers
            )
        )
    return out


@validate_params(
    {
        "instrument": [InstanceOf(Instrument, "an Instrument")],
        "answers": [InstanceOf(Mapping, "a mapping of city -> {question: answer}")],
        "city": [InstanceOf(str, "a city code")],
        "peers": [InstanceOf(PeerGroup, "a PeerGroup")],
        "settings": [InstanceOf(BenchmarkSettings, "a BenchmarkSettings")],
    }
)
def benchmark_statements(
    instrument: Instrument,
    answers: Mapping[str, Mapping[str, str]],
    city: str,
    peers: PeerGroup,
    settings: BenchmarkSettings = BenchmarkSettings(),  # noqa: B008 - frozen, so one shared default is safe
) -> BenchmarkSet:
    """Benchmark ``city``'s closed answers against ``peers`` in one wave's ``answers``.

    Only answers to questions a city was asked count (``instruments.visible_answers``), as in
    scoring. Questions the city itself has no usable answer to get no statement (noted).
    Raises :class:`NarrativeError` when the city is not in the group or has no answers.
    """
    if city not in peers.members:
        raise NarrativeError.single(
            "narrative.E016", f"peer group {peers.code}", E.NOT_A_PEER.format(city=city, group=peers.code)
        )
    counted = {
        c: instruments.visible_answers(instrument, answers[c]) for c in sorted(peers.members) if c in answers
    }
    if not counted.get(city):
        raise NarrativeError.single("narrative.E017", f"answers of {city}", E.NO_ANSWERS.format(city=city))
    surveyed = [c for c in counted if counted[c]]
    statements, unanswered = [], []
    for question in instrument.iter_questions(answerable_only=True):
        if not question.is_select:
            continue
        usable = {c: _usable(counted[c].get(question.name, ""), question, settings) for c in surveyed}
        if usable[city] is None:
            unanswered.append(question.name)
            continue
        options = instrument.choices(question).names
        statements += _question_statements(question, options, usable, (city, peers, settings))
    notes = []
    missing = len(peers.members) - len(surveyed)
    if missing:
        notes.append(
            f"{missing} member(s) of the peer group have no response in this wave and are not counted"
        )
    if unanswered:
        notes.append(f"no statement where {city} has no usable answer: {', '.join(unanswered)}")
    provenance = {"form_id": instrument.form_id, "version": instrument.version, "sha256": instrument.sha256}
    return BenchmarkSet(city, peers, tuple(statements), len(surveyed), provenance, settings, tuple(notes))
