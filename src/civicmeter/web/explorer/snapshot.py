"""A city's snapshot: what the public page, its PDF, the team preview and the static site show.

Built from a :class:`~civicmeter.web.explorer.published.PublicWave` only (never from the database),
so a snapshot can hold nothing that is not public; the team preview builds the same object from the
city's own unpublished wave (:func:`preview_wave`). Texts are in the active language; charts are
:mod:`civicmeter.charts` objects (SVG on the server, interactive in the browser, a table for each).
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

from django.utils.formats import number_format
from django.utils.translation import get_language, gettext, pgettext

from civicmeter.charts import Caption, Chart, Field, bar_chart, grouped_bar_chart
from civicmeter.instruments import Instrument
from civicmeter.narrative import PeerGroup, Wording, benchmarks_from_tally, load_wording, render_statement
from civicmeter.narrative.benchmarks import Statement

from .memo import KeyedMemo
from .published import PublicCity, PublicRun, PublicScore, PublicWave, country_name

PEER_KINDS = ("all", "continent", "population_band")
#: Multiple-choice questions drawn as "by number of cities" charts, with the city's choices marked.
CHOICE_CHARTS = ("s1_policy_areas", "s2_roles")
OBJECTIVES, SUCCESS_FACTORS = "s1_objectives", "s1_success_factors"
CHOSEN_MARK = "\u2713"


def page_language() -> str:
    language = (get_language() or "en").split("-")[0]
    return language if language in ("en", "es", "fr") else "en"


_WORDINGS: dict[tuple[str, str], Wording] = {}


def wording_for(language: str, instrument: Instrument) -> Wording:
    """The benchmark wording of ``language`` checked against ``instrument`` (read once per
    language and instrument file)."""
    key = (language, instrument.sha256)
    if key not in _WORDINGS:
        _WORDINGS[key] = load_wording(language, instrument)
    return _WORDINGS[key]


def class_label(code: str) -> str:
    """A score class or tier code in words (the recipes' codes: high, low, silver, gold, platinum)."""
    labels = {
        "high": pgettext("score class", "high"),
        "low": pgettext("score class", "low"),
        "silver": pgettext("data-use tier", "Silver"),
        "gold": pgettext("data-use tier", "Gold"),
        "platinum": pgettext("data-use tier", "Platinum"),
    }
    return labels.get(code, code)


def component_label(name: str) -> str:
    """A recipe component's name in the page's language (the recipes are written in English)."""
    return gettext(name)


def number(value: float | int | None, decimals: int = 0) -> str:
    if value is None:
        return "\u2014"
    return number_format(value, decimal_pos=decimals, use_l10n=True, force_grouping=True)


def peer_label(peers: PeerGroup, wording: Wording) -> str:
    """The group as the chooser names it: "All cities", "Same continent: Europe", ..."""
    if peers.kind == "continent":
        return gettext("Cities in %(continent)s") % {"continent": wording.continents[peers.continent]}
    if peers.kind == "population_band":
        low, high = peers.band
        if high is None:
            return gettext("Cities of %(low)s residents or more") % {"low": number(low)}
        return gettext("Cities of %(low)s to %(high)s residents") % {"low": number(low), "high": number(high)}
    return gettext("All cities")


@dataclass(frozen=True)
class ProfileFact:
    label: str
    value: str
    kind: str = "text"  # text, url, multiline


@dataclass(frozen=True)
class BenchmarkRow:
    """One closed answer against the peer group: as a table row and as a sentence."""

    question: str
    answer: str
    share: str
    count: str
    n: str
    excluded: str
    sentence: str


@dataclass(frozen=True)
class BenchmarkSection:
    id: str
    name: str
    rows: tuple[BenchmarkRow, ...]


@dataclass(frozen=True)
class ComponentRow:
    name: str
    points: str
    max: str
    peer_median: str


@dataclass(frozen=True)
class ScoreView:
    """A city's published score beside its peers' median."""

    id: str
    title: str
    index: str
    max: str
    class_label: str
    tier: str
    rank: int
    rank_p5: str
    rank_p95: str
    scored: int
    interval_method: str
    recipe: str
    components: tuple[ComponentRow, ...]
    peer_median: str
    peer_n: int
    chart: Chart | None = field(default=None, repr=False)


@dataclass(frozen=True)
class AnswerChange:
    question: str
    before: str
    after: str


@dataclass(frozen=True)
class Change:
    """What changed since the previous published wave the city took part in."""

    wave_code: str
    index_before: str | None
    index_now: str | None
    delta: str | None
    class_before: str | None
    answers: tuple[AnswerChange, ...]


@dataclass(frozen=True)
class ChoiceChart:
    id: str
    question: str
    chosen: tuple[str, ...]
    summary: str
    chart: Chart = field(repr=False)


@dataclass(frozen=True)
class CitySnapshot:
    city: PublicCity
    wave: PublicWave
    peers: PeerGroup
    peer_label: str
    peer_options: tuple[tuple[str, str], ...]
    language: str
    profile: tuple[ProfileFact, ...]
    objectives: tuple[str, ...]
    success_factors: tuple[str, ...]
    key_sentences: tuple[str, ...]
    benchmarks: tuple[BenchmarkSection, ...]
    surveyed: int
    benchmark_notes: tuple[str, ...]
    choice_charts: tuple[ChoiceChart, ...]
    psi: ScoreView | None
    data_use: ScoreView | None
    change: Change | None
    free_text: tuple[ProfileFact, ...]

    @property
    def country(self) -> str:
        return country_name(self.city.country)

    @property
    def scores(self) -> tuple[ScoreView, ...]:
        return tuple(s for s in (self.psi, self.data_use) if s is not None)


def _choice_labels(instrument: Instrument, question: str, value: str, language: str) -> tuple[str, ...]:
    list_name = instrument.question(question).list_name
    return tuple(instrument.choice_label(list_name, choice, language) for choice in value.split())


def _profile(city: PublicCity, instrument: Instrument, language: str) -> tuple[ProfileFact, ...]:
    facts = []
    if city.profile.get("mayor"):
        facts.append(ProfileFact(gettext("Mayor"), city.profile["mayor"]))
    if city.population:
        population = number(city.population)
        if city.population_year:
            population = gettext("%(population)s (%(year)s)") % {
                "population": population,
                "year": city.population_year,
            }
        facts.append(ProfileFact(gettext("Population"), population))
    if city.profile.get("lead_officers"):
        facts.append(
            ProfileFact(gettext("Lead innovation officer(s)"), city.profile["lead_officers"], "multiline")
        )
    if city.profile.get("website"):
        facts.append(ProfileFact(gettext("Innovation website"), city.profile["website"], "url"))
    return tuple(facts)


def _shown(statement: Statement) -> bool:
    """Which statements a snapshot prints: every single-choice answer, and each option the city chose
    of a multiple-choice question (the options it did not choose stay in the data download)."""
    return statement.question_type == "select_one" or statement.selected


def _is_key(statement: Statement, wording: Wording) -> bool:
    """A headline statement: a yes/no-type answer the wording has its own phrase for ("does not
    have an explicit innovation strategy"), the sentences the OECD snapshots led with."""
    return statement.question_type == "select_one" and statement.choice in wording.phrases.get(
        statement.question, {}
    )


#: The parts of a benchmark row no city name enters (labels, share, counts), per instrument,
#: language and answer count: every city of a group giving the same answer has the same, so a
#: 1,000-city static site formats each once instead of once per city (about 80 rows a page).
_ROW_PARTS = KeyedMemo(size=20_000)


def _row_parts(statement: Statement, instrument: Instrument, wording: Wording) -> tuple[str, ...]:
    question = instrument.question(statement.question)
    label = instrument.text(question.labels, wording.language)
    if question.group is not None:
        label = f"{instrument.text(instrument.group(question.group).labels, wording.language)} {label}"
    answer = instrument.choice_label(question.list_name, statement.choice, wording.language)
    return (
        label,
        answer,
        wording.numbers.share(statement.share),
        number(statement.count),
        number(statement.n),
        number(statement.excluded) if statement.excluded else "",
    )


def _row(statement: Statement, instrument: Instrument, wording: Wording, city_name: str) -> BenchmarkRow:
    key = (
        instrument.sha256,
        get_language(),  # number() formats in the active language
        wording.language,
        statement.question,
        statement.choice,
        statement.count,
        statement.n,
        statement.excluded,
    )
    parts = _ROW_PARTS.get_or_build(key, lambda: _row_parts(statement, instrument, wording))
    return BenchmarkRow(*parts, sentence=render_statement(statement, instrument, wording, city_name))


def _benchmarks(wave: PublicWave, slug: str, peers: PeerGroup, wording: Wording) -> tuple:
    found = benchmarks_from_tally(wave.tally(peers), slug)
    instrument, city = wave.instrument, wave.cities[slug]
    by_section: dict[str, list[BenchmarkRow]] = {}
    key = []
    for statement in found.statements:
        if not _shown(statement):
            continue
        row = _row(statement, instrument, wording, city.name)
        if _is_key(statement, wording):
            key.append(row.sentence)
        by_section.setdefault(instrument.question(statement.question).path[0], []).append(row)
    sections = tuple(
        BenchmarkSection(
            f"benchmarks-{name}",
            instrument.text(instrument.section(name).labels, wording.language),
            tuple(rows),
        )
        for name, rows in by_section.items()
    )
    notes = []
    missing = len(peers.members) - found.surveyed
    if missing:
        notes.append(
            gettext("%(n)s cities of this group have no published answers in this wave and are not counted.")
            % {"n": number(missing)}
        )
    return tuple(key), sections, found.surveyed, tuple(notes)


def _choice_chart(wave: PublicWave, slug: str, peers: PeerGroup, question: str, language: str):
    instrument, city = wave.instrument, wave.cities[slug]
    tally = next((q for q in wave.tally(peers).questions if q.name == question), None)
    if tally is None or not tally.valid:
        return None
    own = set(city.answers.get(question, "").split())
    list_name = instrument.question(question).list_name
    rows = []
    for option in tally.options:
        label = instrument.choice_label(list_name, option, language)
        rows.append(
            {"option": f"{CHOSEN_MARK} {label}" if option in own else label, "cities": tally.counts[option]}
        )
    title = instrument.text(instrument.question(question).labels, language)
    chart = bar_chart(
        rows,
        category=Field("option", gettext("Answer")),
        value=Field("cities", gettext("Number of cities")),
        caption=Caption(
            title,
            kind="count",
            language=language,
            n=tally.valid,
            subtitle=gettext("%(mark)s marks the answers of %(city)s")
            % {"mark": CHOSEN_MARK, "city": city.name},
        ),
    )
    chosen = _choice_labels(instrument, question, city.answers.get(question, ""), language) if own else ()
    if question == "s2_roles":
        summary = gettext("%(city)s's innovation team has %(n)s of these roles") % {
            "city": city.name,
            "n": number(len(chosen)),
        }
    else:
        summary = gettext("%(city)s's innovation work focuses on %(n)s of these areas") % {
            "city": city.name,
            "n": number(len(chosen)),
        }
    return ChoiceChart(f"chart-{question}", title, chosen, summary, chart)


def _median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def _score_view(
    run: PublicRun | None, slug: str, peers: PeerGroup, title: str, city_name: str, language: str
) -> ScoreView | None:
    if run is None or slug not in run.scores:
        return None
    own: PublicScore = run.scores[slug]
    peer_scores = [run.scores[s] for s in sorted(peers.members) if s in run.scores]
    rows, chart_rows = [], []
    median_label = gettext("Peer median")
    for position, component in enumerate(own.components):
        median = _median([float(s.components[position]["points"]) for s in peer_scores])
        name = component_label(str(component["name"]))
        rows.append(
            ComponentRow(name, number(component["points"], 1), number(component["max"], 0), number(median, 1))
        )
        chart_rows.append({"component": name, "who": city_name, "points": float(component["points"])})
        chart_rows.append({"component": name, "who": median_label, "points": median})
    total_max = sum(float(c["max"]) for c in own.components)
    chart = grouped_bar_chart(
        chart_rows,
        category=Field("component", gettext("Component")),
        series=Field("who", gettext("City or peers")),
        value=Field("points", gettext("Points")),
        caption=Caption(
            gettext("%(title)s by component") % {"title": title},
            kind="number",
            language=language,
            n=len(peer_scores),
        ),
        series_order=[city_name, median_label],
    )
    return ScoreView(
        id=f"score-{run.recipe}",
        title=title,
        index=number(own.index, 1),
        max=number(total_max, 0),
        class_label=class_label(own.score_class),
        tier=class_label(own.tier) if own.tier else "",
        rank=own.rank,
        rank_p5=number(own.rank_p5, 0),
        rank_p95=number(own.rank_p95, 0),
        scored=run.scored,
        interval_method=run.interval_method,
        recipe=f"{run.recipe_title or run.recipe} {run.recipe_version}",
        components=tuple(rows),
        peer_median=number(_median([s.index for s in peer_scores]), 1),
        peer_n=len(peer_scores),
        chart=chart,
    )


def answer_text(instrument: Instrument, question: str, value: str, language: str) -> str:
    if not value:
        return "\u2014"
    q = instrument.question(question)
    if q.is_select:
        return ", ".join(_choice_labels(instrument, question, value, language))
    return value


def _change(wave: PublicWave, previous: PublicWave | None, slug: str, language: str) -> Change | None:
    if previous is None or slug not in previous.cities:
        return None
    now, before = wave.cities[slug].answers, previous.cities[slug].answers
    instrument = wave.instrument
    answers = []
    for question in instrument.iter_questions(answerable_only=True):
        if not question.is_select or not previous.instrument.has_question(question.name):
            continue
        old, new = before.get(question.name, ""), now.get(question.name, "")
        if set(old.split()) != set(new.split()):
            label = instrument.text(question.labels, language)
            if question.group is not None:
                label = f"{instrument.text(instrument.group(question.group).labels, language)} {label}"
            answers.append(
                AnswerChange(
                    label,
                    answer_text(previous.instrument, question.name, old, language),
                    answer_text(instrument, question.name, new, language),
                )
            )
    score_now = wave.psi.scores.get(slug) if wave.psi else None
    score_before = previous.psi.scores.get(slug) if previous.psi else None
    delta = None
    if score_now and score_before:
        delta = number(score_now.index - score_before.index, 1)
        if score_now.index > score_before.index:
            delta = f"+{delta}"
    return Change(
        wave_code=previous.code,
        index_before=number(score_before.index, 1) if score_before else None,
        index_now=number(score_now.index, 1) if score_now else None,
        delta=delta,
        class_before=class_label(score_before.score_class) if score_before else None,
        answers=tuple(answers),
    )


def _free_text(city: PublicCity, instrument: Instrument, language: str) -> tuple[ProfileFact, ...]:
    """Free-text answers the city did not mark private (the strategy's description and link...)."""
    facts = []
    for name, value in city.answers.items():
        question = instrument.question(name)
        if question.type in ("text", "url") and not name.endswith("_other"):
            kind = "url" if question.type == "url" else "multiline"
            facts.append(ProfileFact(instrument.text(question.labels, language), value, kind))
    return tuple(facts)


def build_snapshot(
    wave: PublicWave, slug: str, kind: str = "all", previous: PublicWave | None = None
) -> CitySnapshot | None:
    """The snapshot of ``slug`` in ``wave`` against its ``kind`` peer group (None when the city has
    no public answers in the wave or the group is unavailable)."""
    if slug not in wave.cities:
        return None
    groups = wave.peer_groups(slug)
    peers = groups.get(kind)
    if peers is None:
        return None
    language = page_language()
    wording = wording_for(language, wave.instrument)
    city, instrument = wave.cities[slug], wave.instrument
    key, sections, surveyed, notes = _benchmarks(wave, slug, peers, wording)
    charts = tuple(
        c
        for question in CHOICE_CHARTS
        if instrument.has_question(question)
        and (c := _choice_chart(wave, slug, peers, question, language)) is not None
    )
    return CitySnapshot(
        city=city,
        wave=wave,
        peers=peers,
        peer_label=peer_label(peers, wording),
        peer_options=tuple((k, peer_label(g, wording)) for k, g in groups.items()),
        language=language,
        profile=_profile(city, instrument, language),
        objectives=_choice_labels(instrument, OBJECTIVES, city.answers[OBJECTIVES], language)
        if city.answers.get(OBJECTIVES)
        else (),
        success_factors=_choice_labels(instrument, SUCCESS_FACTORS, city.answers[SUCCESS_FACTORS], language)
        if city.answers.get(SUCCESS_FACTORS)
        else (),
        key_sentences=key,
        benchmarks=sections,
        surveyed=surveyed,
        benchmark_notes=notes,
        choice_charts=charts,
        psi=_score_view(wave.psi, slug, peers, gettext("PSI capacity index"), city.name, language),
        data_use=_score_view(wave.data_use, slug, peers, gettext("Data-use index"), city.name, language),
        change=_change(wave, previous, slug, language),
        free_text=_free_text(city, instrument, language),
    )
