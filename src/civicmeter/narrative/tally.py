"""One pass over a wave's answers per peer group: how many members gave each closed answer.

Why a tally: a statement only needs "how many peers answered like the city" and "how many answered
at all". Counting those once per group turns every city's benchmark into lookups, so a snapshot of
each of 1,000 cities against three groups costs three passes over the answers, not 3,000.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from civicmeter import instruments
from civicmeter.instruments import Instrument, Question
from civicmeter.narrative.benchmark_settings import BenchmarkSettings
from civicmeter.narrative.peers import PeerGroup
from civicmeter.params import InstanceOf, validate_params


@dataclass(frozen=True)
class QuestionTally:
    """One closed question in one group: answers counted among ``valid`` usable ones.

    ``counts`` holds, per option, how many members chose it (for a ``select_one`` question, gave it
    as their answer); ``excluded`` members of the group had no usable answer.
    """

    name: str
    type: str
    options: tuple[str, ...]
    counts: Counter
    valid: int
    excluded: int


@dataclass(frozen=True)
class PeerTally:
    """A group's tally: per question counts, and each surveyed member's usable answers."""

    peers: PeerGroup
    settings: BenchmarkSettings
    questions: tuple[QuestionTally, ...]
    usable: Mapping[str, Mapping[str, frozenset[str]]]
    instrument: Mapping[str, str]


def _usable(value: str, question: Question, settings: BenchmarkSettings) -> frozenset[str] | None:
    """The chosen options of a usable answer, or None when the answer does not count."""
    if not value:
        return None
    chosen = frozenset(value.split()) if question.type == "select_multiple" else frozenset([value])
    return (chosen - frozenset(settings.missing_choices)) or None


#: The checks on a wave's answers and on the peer group they are tallied for, shared by
#: :func:`tally_answers` and the benchmark functions built on it so both refuse bad input alike.
WAVE_ANSWERS = {
    "instrument": [InstanceOf(Instrument, "an Instrument")],
    "answers": [InstanceOf(Mapping, "a mapping of city -> {question: answer}")],
}
PEER_GROUP = {
    "peers": [InstanceOf(PeerGroup, "a PeerGroup")],
    "settings": [InstanceOf(BenchmarkSettings, "a BenchmarkSettings")],
}


@validate_params({**WAVE_ANSWERS, **PEER_GROUP})
def tally_answers(
    instrument: Instrument,
    answers: Mapping[str, Mapping[str, str]],
    peers: PeerGroup,
    settings: BenchmarkSettings = BenchmarkSettings(),  # noqa: B008 - frozen, so one shared default is safe
) -> PeerTally:
    """Count the closed answers of the group's members that responded in this wave.

    Only answers to questions a member was asked count (``instruments.visible_answers``); members
    with no counted answer at all are not "surveyed" and appear nowhere.
    """
    counted = {}
    for city in sorted(peers.members):
        if city in answers:
            visible = instruments.visible_answers(instrument, answers[city])
            if visible:
                counted[city] = visible
    usable: dict[str, dict[str, frozenset[str]]] = {city: {} for city in counted}
    questions = []
    for question in instrument.iter_questions(answerable_only=True):
        if not question.is_select:
            continue
        counts: Counter = Counter()
        valid = 0
        for city, visible in counted.items():
            chosen = _usable(visible.get(question.name, ""), question, settings)
            if chosen is None:
                continue
            usable[city][question.name] = chosen
            counts.update(chosen)
            valid += 1
        options = instrument.choices(question).names
        questions.append(
            QuestionTally(question.name, question.type, options, counts, valid, len(counted) - valid)
        )
    provenance = {"form_id": instrument.form_id, "version": instrument.version, "sha256": instrument.sha256}
    return PeerTally(peers, settings, tuple(questions), usable, provenance)
