"""One wave's evidence for every city, and what the rules find in it, each counted once.

Why counted once: recommending for each city compares it with every peer. Done pair by pair, a
programme of 1,000 cities means a million comparisons per trigger. Instead, what each trigger finds
is counted once over a whole peer group; a city's view of its peers is that count minus the city's
own contribution, a lookup.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping
from dataclasses import dataclass, field

from civicmeter import instruments
from civicmeter.instruments import Instrument
from civicmeter.narrative.peers import PeerGroup
from civicmeter.narrative.rules import Trigger
from civicmeter.narrative.triggers import Finding, check_trigger
from civicmeter.params import InstanceOf, check_param


@dataclass(frozen=True)
class Evidence:
    """One wave's evidence for every city of the programme.

    ``answers``: city -> {question: answer}; ``scores``: city -> {component code: points as a share
    of the component's maximum, in [0, 1]} (``component_shares`` builds it from score tables);
    ``criteria``: city -> data-use criteria accepted after review, for the cities assessed only.
    Treat it as read-only once made: what it yields is remembered.
    """

    answers: Mapping[str, Mapping[str, str]]
    scores: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    criteria: Mapping[str, frozenset[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name, what in (
            ("answers", "a mapping of city -> {question: answer}"),
            ("scores", "a mapping of city -> {component: share of its maximum}"),
            ("criteria", "a mapping of city -> frozenset of criteria met after review"),
        ):
            check_param(name, getattr(self, name), [InstanceOf(Mapping, what)], caller="Evidence")

    def _memo(self, key: tuple, make):
        # Frozen dataclass: the memo is set through object.__setattr__ on first use (as Instrument).
        memo = self.__dict__.get("_memo_store")
        if memo is None:
            memo = {}
            object.__setattr__(self, "_memo_store", memo)
        if key not in memo:
            memo[key] = make()
        return memo[key]

    def counted(self, instrument: Instrument, city: str) -> Mapping[str, str]:
        """The city's answers to questions it was asked (``visible_answers``)."""

        def make():
            raw = self.answers.get(city)
            return instruments.visible_answers(instrument, raw) if raw else {}

        return self._memo(("counted", instrument.sha256, city), make)

    def finding(self, instrument: Instrument, trigger: Trigger, city: str) -> Finding:
        """What ``trigger`` finds for ``city``."""
        return self._memo(
            ("finding", instrument.sha256, trigger, city),
            lambda: check_trigger(
                trigger, instrument, self.counted(instrument, city), self.criteria.get(city)
            ),
        )

    def surveyed(self, instrument: Instrument, peers: PeerGroup) -> tuple[str, ...]:
        """The group's members with counted answers in this wave, sorted."""
        return self._memo(
            ("surveyed", instrument.sha256, peers.members),
            lambda: tuple(c for c in sorted(peers.members) if self.counted(instrument, c)),
        )

    def trigger_counts(self, instrument: Instrument, trigger: Trigger, peers: PeerGroup) -> tuple[int, int]:
        """(members with evidence on ``trigger``, members it fires for), over the surveyed members."""

        def make():
            found = [self.finding(instrument, trigger, c) for c in self.surveyed(instrument, peers)]
            return sum(f.fires is not None for f in found), sum(bool(f.fires) for f in found)

        return self._memo(("counts", instrument.sha256, trigger, peers.members), make)

    def closing_counts(
        self, instrument: Instrument, triggers: tuple[Trigger, ...], peers: PeerGroup
    ) -> tuple[int, int]:
        """(members with evidence on one of ``triggers``, those of them for whom none fires)."""

        def make():
            counted = closed = 0
            for city in self.surveyed(instrument, peers):
                relevant = [self.finding(instrument, t, city) for t in triggers]
                relevant = [f for f in relevant if f.fires is not None]
                if relevant:
                    counted += 1
                    closed += not any(f.fires for f in relevant)
            return counted, closed

        return self._memo(("closing", instrument.sha256, triggers, peers.members), make)

    def component_values(self, instrument: Instrument, component: str, peers: PeerGroup) -> list[float]:
        """The surveyed members' scores on ``component``, sorted ascending."""
        return self._memo(
            ("values", instrument.sha256, component, peers.members),
            lambda: sorted(
                self.scores[c][component]
                for c in self.surveyed(instrument, peers)
                if component in self.scores.get(c, {})
            ),
        )

    def ranked(self, component: str) -> tuple[tuple[str, float], ...]:
        """Every city of the programme with a score on ``component``, best first (ties by code)."""
        return self._memo(
            ("ranked", component),
            lambda: tuple(
                sorted(
                    ((c, v[component]) for c, v in self.scores.items() if component in v),
                    key=lambda pair: (-pair[1], pair[0]),
                )
            ),
        )


def without(values: list[float], value: float | None) -> list[float]:
    """``values`` (sorted) with one occurrence of ``value`` removed, when given."""
    if value is None:
        return values
    k = bisect.bisect_left(values, value)
    return values[:k] + values[k + 1 :] if k < len(values) and values[k] == value else values
