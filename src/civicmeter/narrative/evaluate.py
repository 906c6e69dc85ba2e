"""Which recommendations a city's answers trigger, why, how urgent each is, and who to learn from.

Priority (docs/recommendations.md, "Priority"): ``gap x closing``, where ``gap`` is how far the
city's score on the recommendation's component (as a share of that component's maximum) lies below
the median of its peers (0 when at or above), and ``closing`` is the share of peers that have what
the recommendation asks for: none of the triggers that fired for the city fires for them. A large gap
that most peers have already closed comes first. Peers here are the *other* members of the group.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass

import pandas as pd

from civicmeter.instruments import Instrument
from civicmeter.narrative import errors as E
from civicmeter.narrative.cases import CaseEntry, CaseLibrary
from civicmeter.narrative.errors import NarrativeError
from civicmeter.narrative.evidence import Evidence, without
from civicmeter.narrative.peers import PeerGroup
from civicmeter.narrative.rules import RecommendationRule, RuleSet, Trigger
from civicmeter.narrative.texts import LANGUAGES
from civicmeter.narrative.triggers import Finding
from civicmeter.narrative.wording import reason_wording
from civicmeter.params import NONE, InstanceOf, Interval, Options, check_param, validate_params

#: What each field of :class:`RecommendationSettings` accepts, checked when the object is made.
CONSTRAINTS = {"examples": [Interval(int, 0, 20)], "strong_share": [Interval(float, 0, 1)]}


@dataclass(frozen=True)
class RecommendationSettings:
    """``examples``: how many programme cities to show as strong on a component; a city is strong
    at ``strong_share`` of the component's maximum or more (and above the city itself)."""

    examples: int = 3
    strong_share: float = 0.75

    def __post_init__(self) -> None:
        for name, allowed in CONSTRAINTS.items():
            check_param(name, getattr(self, name), allowed, caller="RecommendationSettings")


@dataclass(frozen=True)
class Reason:
    """One trigger that fired, in words, with the share of peers (of ``peer_n``) who have it.
    ``language`` is the language ``text`` is written in: the one asked for, or English when the
    rules file has no translation of the trigger."""

    trigger: str
    text: str
    peer_share: float | None
    peer_n: int
    language: str = "en"


@dataclass(frozen=True)
class Triggered:
    """A recommendation for the city: reasons, priority and its parts, first actions, examples."""

    recommendation: RecommendationRule
    reasons: tuple[Reason, ...]
    gap: float | None
    closing: float | None
    priority: float | None
    cases: tuple[CaseEntry, ...]
    strong_cities: tuple[tuple[str, float], ...]
    language: str = "en"

    @property
    def number(self) -> int:
        return self.recommendation.number

    @property
    def text_language(self) -> str:
        """The language the title and first actions are shown in (English when untranslated)."""
        return self.recommendation.title.language_of(self.language)

    @property
    def title(self) -> str:
        return self.recommendation.title.in_language(self.language)

    @property
    def first_actions(self) -> tuple[str, ...]:
        return tuple(a.in_language(self.language) for a in self.recommendation.first_actions)


@dataclass(frozen=True)
class RecommendationResult:
    """The triggered recommendations of one city, highest priority first, with provenance."""

    city: str
    peer_group: str
    items: tuple[Triggered, ...]
    provenance: dict[str, str]
    notes: tuple[str, ...] = ()

    def top(self, n: int = 3) -> tuple[Triggered, ...]:
        return self.items[:n]

    def to_frame(self) -> pd.DataFrame:
        """One row per triggered recommendation, highest priority first, reasons joined by "; "."""
        columns = ["number", "title", "component", "priority", "gap", "closing", "reasons", "cases", "strong"]
        rows = [
            [
                t.number,
                t.recommendation.title,
                t.recommendation.component,
                t.priority,
                t.gap,
                t.closing,
                "; ".join(r.text for r in t.reasons),
                " ".join(c.id for c in t.cases),
                " ".join(city for city, _ in t.strong_cities),
            ]
            for t in self.items
        ]
        return pd.DataFrame(rows, columns=columns)

    def explain(self) -> str:
        """The result in words, as a programme officer would read it."""
        lines = [
            f"{self.city} against peers '{self.peer_group}' ({self.provenance['rules']} v"
            f"{self.provenance['rules_version']}):"
        ]
        for item in self.items:
            priority = "n/a" if item.priority is None else f"{item.priority:.3f}"
            lines.append(f"  {item.number}. {item.recommendation.title} (priority {priority})")
            lines += [f"     - {r.text}" for r in item.reasons]
        lines += [f"note {k}: {note}" for k, note in enumerate(self.notes, 1)]
        return "\n".join(lines)


def _answer(instrument: Instrument, trigger: Trigger, own: Finding, language: str) -> str:
    """The city's answer as the option's label in ``language`` (the English one for English)."""
    if language == "en" or not own.choice:
        return own.answer
    return instrument.choice_label(instrument.question(trigger.question).list_name, own.choice, language)


def _reason(
    instrument: Instrument, trigger: Trigger, own: Finding, counts: tuple[int, int], language: str
) -> Reason:
    """The trigger's reason in ``language`` (English when the trigger is not translated), with the
    share of the *other* members that do not trigger it written the way that language writes it."""
    language = trigger.reason.language_of(language)
    wording = reason_wording(language)
    text = trigger.reason.in_language(language).format(
        answer=_answer(instrument, trigger, own, language),
        count=wording.numbers.number(own.count),
        criteria=", ".join(own.unmet),
    )
    usable, fires = counts[0] - 1, counts[1] - 1  # the city itself has evidence and fires
    if not usable:
        return Reason(trigger.id, wording.reasons["no_peers"].format(reason=text), None, 0, language)
    share = (usable - fires) / usable
    sentence = wording.reasons["with_peers"].format(
        reason=text, share=wording.numbers.share(share), peers=trigger.peers.in_language(language)
    )
    return Reason(trigger.id, sentence, share, usable, language)


def _closing(counts: tuple[int, int]) -> float | None:
    """Share of the other members with evidence on a fired trigger for whom none of them fires."""
    counted, closed = counts[0] - 1, counts[1]  # the city itself counts and never closes
    return closed / counted if counted else None


def _gap(
    evidence: Evidence, instrument: Instrument, component: str, city: str, peers: PeerGroup
) -> float | None:
    """Peer median minus the city's score on ``component`` (0 when above), the city left out."""
    own = evidence.scores.get(city, {}).get(component)
    values = without(evidence.component_values(instrument, component, peers), own)
    if own is None or not values:
        return None
    return max(0.0, statistics.median(values) - own)


def _strong(evidence: Evidence, component: str, city: str, settings: RecommendationSettings) -> tuple:
    own = evidence.scores.get(city, {}).get(component, -1.0)
    strong = []
    for other, value in evidence.ranked(component):
        if len(strong) == settings.examples or value < settings.strong_share or value <= own:
            break
        if other != city:
            strong.append((other, value))
    return tuple(strong)


@validate_params(
    {
        "rules": [InstanceOf(RuleSet, "a RuleSet from load_rules")],
        "instrument": [InstanceOf(Instrument, "the survey Instrument the rules were loaded with")],
        "city": [InstanceOf(str, "a city code")],
        "peers": [InstanceOf(PeerGroup, "a PeerGroup the city belongs to")],
        "evidence": [InstanceOf(Evidence, "an Evidence")],
        "cases": [InstanceOf(CaseLibrary, "a CaseLibrary"), NONE],
        "settings": [InstanceOf(RecommendationSettings, "a RecommendationSettings")],
        "language": [Options(LANGUAGES)],
    }
)
def recommend(
    rules: RuleSet,
    instrument: Instrument,
    city: str,
    peers: PeerGroup,
    evidence: Evidence,
    cases: CaseLibrary | None = None,
    settings: RecommendationSettings = RecommendationSettings(),  # noqa: B008 - frozen, shared safely
    language: str = "en",
) -> RecommendationResult:
    """The recommendations ``city``'s evidence triggers, ordered by priority (see module docstring).

    Ties (and recommendations without a priority, last) are ordered by the share of peers that close
    them, then by the number of reasons, then by number. Texts are in ``language`` where the rules
    file translates them, else in English (each reason and item records which). Raises
    :class:`NarrativeError` when the city is not in ``peers`` (``narrative.E016``) or has no
    answers (``narrative.E017``).
    """
    if city not in peers.members:
        raise NarrativeError.single(
            "narrative.E016", f"peer group {peers.code}", E.NOT_A_PEER.format(city=city, group=peers.code)
        )
    if not evidence.counted(instrument, city):
        raise NarrativeError.single("narrative.E017", f"answers of {city}", E.NO_ANSWERS.format(city=city))
    items, notes = [], []
    for recommendation in rules.recommendations:
        own = [evidence.finding(instrument, t, city) for t in recommendation.triggers]
        fired = tuple(t for t, f in zip(recommendation.triggers, own, strict=True) if f.fires)
        if not fired:
            continue
        reasons = tuple(
            _reason(instrument, t, f, evidence.trigger_counts(instrument, t, peers), language)
            for t, f in zip(recommendation.triggers, own, strict=True)
            if f.fires
        )
        gap = _gap(evidence, instrument, recommendation.component, city, peers)
        closing = _closing(evidence.closing_counts(instrument, fired, peers))
        priority = None if gap is None or closing is None else round(gap * closing, 9)
        library = cases.tagged(recommendation.number) if cases is not None else ()
        strong = _strong(evidence, recommendation.component, city, settings)
        items.append(Triggered(recommendation, reasons, gap, closing, priority, library, strong, language))
    items.sort(
        key=lambda t: (
            t.priority is None,
            -(t.priority or 0.0),
            -(t.closing or 0.0),
            -len(t.reasons),
            t.number,
        )
    )
    if city not in evidence.criteria:
        notes.append(f"{city} has no reviewed data-use assessment: criteria triggers were not checked")
    missing = sorted({t.recommendation.component for t in items if t.gap is None})
    if missing:
        notes.append(f"no score (for the city or its peers) on {', '.join(missing)}: no priority there")
    provenance = {
        **rules.provenance,
        "instrument_form_id": instrument.form_id,
        "instrument_version": instrument.version,
        "peer_group": peers.code,
        "peers": str(len(evidence.surveyed(instrument, peers)) - 1),
    }
    if cases is not None:
        provenance["cases_sha256"] = ",".join(cases.files.values())
    return RecommendationResult(city, peers.code, tuple(items), provenance, tuple(notes))


@validate_params({"tables": [InstanceOf(tuple, "a tuple of scoring ScoreTables")]})
def component_shares(tables: tuple) -> dict[str, dict[str, float]]:
    """``{city: {component: share of its maximum}}`` merged from score tables (PSI and data use).

    Component codes of the shipped recipes do not overlap, so tables merge without renaming.
    """
    out: dict[str, dict[str, float]] = {}
    for table in tables:
        for row in table.rows:
            out.setdefault(row.city, {}).update({c.code: c.share for c in row.components})
    return out
