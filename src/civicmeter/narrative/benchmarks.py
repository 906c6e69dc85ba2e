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

from civicmeter.instruments import Instrument
from civicmeter.narrative import errors as E
from civicmeter.narrative.benchmark_settings import BenchmarkSettings
from civicmeter.narrative.errors import NarrativeError
from civicmeter.narrative.peers import PeerGroup
from civicmeter.narrative.tally import PEER_GROUP, WAVE_ANSWERS, PeerTally, QuestionTally, tally_answers
from civicmeter.params import InstanceOf, validate_params


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


def _question_statements(
    tally: QuestionTally, own: frozenset[str], peers: PeerGroup, settings
) -> list[Statement]:
    """The statements on one question for a city whose usable answer is ``own``."""
    name, kind, n, excluded = tally.name, tally.type, tally.valid, tally.excluded
    if kind == "select_one":
        (choice,) = own
        polarity = "does_not_have" if choice in settings.negative_choices else "has"
        return [Statement(name, kind, choice, True, polarity, tally.counts[choice], n, excluded, peers)]
    out = []
    for choice in tally.options:
        if choice in settings.missing_choices:
            continue
        selected = choice in own
        count = tally.counts[choice] if selected else n - tally.counts[choice]
        polarity = "has" if selected else "does_not_have"
        out.append(Statement(name, kind, choice, selected, polarity, count, n, excluded, peers))
    return out


@validate_params(
    {
        "tally": [InstanceOf(PeerTally, "a PeerTally from tally_answers")],
        "city": [InstanceOf(str, "a city code")],
    }
)
def benchmarks_from_tally(tally: PeerTally, city: str) -> BenchmarkSet:
    """Every statement for ``city`` from a group's tally: one lookup per question.

    Tally a group once (:func:`~civicmeter.narrative.tally.tally_answers`) and call this for each
    of its cities; publishing a wave then costs one pass over the answers per peer group.
    Raises :class:`NarrativeError` when the city is not in the group or has no answers.
    """
    peers = tally.peers
    if city not in peers.members:
        raise NarrativeError.single(
            "narrative.E016", f"peer group {peers.code}", E.NOT_A_PEER.format(city=city, group=peers.code)
        )
    if city not in tally.usable:
        raise NarrativeError.single("narrative.E017", f"answers of {city}", E.NO_ANSWERS.format(city=city))
    own_answers = tally.usable[city]
    statements, unanswered = [], []
    for question in tally.questions:
        own = own_answers.get(question.name)
        if own is None:
            unanswered.append(question.name)
            continue
        statements += _question_statements(question, own, peers, tally.settings)
    notes = []
    missing = len(peers.members) - len(tally.usable)
    if missing:
        notes.append(
            f"{missing} member(s) of the peer group have no response in this wave and are not counted"
        )
    if unanswered:
        notes.append(f"no statement where {city} has no usable answer: {', '.join(unanswered)}")
    return BenchmarkSet(
        city, peers, tuple(statements), len(tally.usable), tally.instrument, tally.settings, tuple(notes)
    )


@validate_params({**WAVE_ANSWERS, "city": [InstanceOf(str, "a city code")], **PEER_GROUP})
def benchmark_statements(
    instrument: Instrument,
    answers: Mapping[str, Mapping[str, str]],
    city: str,
    peers: PeerGroup,
    settings: BenchmarkSettings = BenchmarkSettings(),  # noqa: B008 - frozen, so one shared default is safe
) -> BenchmarkSet:
    """Benchmark one ``city``'s closed answers against ``peers`` in one wave's ``answers``.

    The same as tallying the group and reading the city's statements from it; for many cities of
    one group, tally once (:func:`benchmarks_from_tally`). Only answers to questions a city was asked
    count (``instruments.visible_answers``), as in scoring. Questions the city itself has no usable
    answer to get no statement (noted). Raises :class:`NarrativeError` when the city is not in the
    group (``narrative.E016``) or has no answers (``narrative.E017``).
    """
    if city not in peers.members:
        raise NarrativeError.single(
            "narrative.E016", f"peer group {peers.code}", E.NOT_A_PEER.format(city=city, group=peers.code)
        )
    return benchmarks_from_tally(tally_answers(instrument, answers, peers, settings), city)
