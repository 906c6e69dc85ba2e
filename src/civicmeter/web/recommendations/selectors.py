"""A city's recommendations for a wave, computed from stored answers, scores and accepted criteria.

Nothing is stored: a recommendation follows from the wave's scored answers, its newest score runs
and the programme's rules and cases, all of which are kept with their versions, so it is computed
when read. One wave's :class:`~civicmeter.narrative.Evidence` is kept per process under a key that
changes whenever any of those inputs does (the responses' count, versions and last activity, the
newest runs), so every city of a wave shares one evidence and a stale one is never used.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Max, Sum

from civicmeter import scoring
from civicmeter.narrative import Evidence, PeerGroup, RecommendationResult, peer_groups, recommend
from civicmeter.web.collection.fragment_cache import FragmentCache
from civicmeter.web.collection.models import Answer, Response
from civicmeter.web.collection.selectors import accepted_criteria
from civicmeter.web.explorer.published import continent_of
from civicmeter.web.programmes.instrument_cache import instrument_for
from civicmeter.web.programmes.models import Instrument, Wave
from civicmeter.web.results.models import CityScore
from civicmeter.web.results.selectors import DATA_USE, PSI, SCORED_STATUSES, data_use_wave, latest_run

from . import content

#: Peer groups a page may ask for, in the order offered.
PEER_KINDS = ("all", "continent", "population_band")
_evidence_cache = FragmentCache(size=16)


def component_shares(scores) -> dict[str, dict[str, float]]:
    """``{city slug: {component: points as a share of its maximum}}`` from stored city scores."""
    out: dict[str, dict[str, float]] = defaultdict(dict)
    for slug, components in scores:
        for c in components:
            if c.get("max"):
                out[slug][c["code"]] = c["points"] / c["max"]
    return dict(out)


def _answers(wave: Wave) -> dict[str, dict[str, str]]:
    responses = dict(
        Response.objects.filter(wave=wave, status__in=SCORED_STATUSES).values_list("pk", "city__slug")
    )
    answers: dict[str, dict[str, str]] = {slug: {} for slug in responses.values()}
    rows = Answer.objects.filter(response_id__in=list(responses)).exclude(value="")
    for response_id, question, value in rows.values_list("response_id", "question", "value"):
        answers[responses[response_id]][question] = value
    return answers


def _criteria(wave: Wave) -> dict[str, frozenset[str]]:
    """The data-use criteria accepted after review, by city, from the assessment wave paired with
    ``wave`` (as recipe codes); empty when there is none."""
    assessment = data_use_wave(wave)
    if assessment is None:
        return {}
    recipe = next(r for r in content.recipes() if r.kind == "assessment")
    codes = scoring.recipe_criteria(instrument_for(assessment.instrument), recipe)
    responses = list(
        Response.objects.filter(wave=assessment, status__in=SCORED_STATUSES).select_related("city")
    )
    accepted = accepted_criteria(responses)
    return {
        r.city.slug: frozenset(codes[c] for c in accepted.get(r.pk, set()) if c in codes) for r in responses
    }


def _runs(wave: Wave) -> list:
    runs = [latest_run(wave, PSI)]
    assessment = data_use_wave(wave)
    runs.append(latest_run(assessment, DATA_USE) if assessment else None)
    return [r for r in runs if r is not None]


def _key(wave: Wave, runs) -> tuple:
    state = Response.objects.filter(wave=wave).aggregate(
        n=Count("id"), versions=Sum("version"), last=Max("last_activity_at")
    )
    return (wave.pk, tuple((r.pk, r.created_at) for r in runs), tuple(state.values()))


def wave_evidence(wave: Wave) -> Evidence:
    """The wave's evidence for every city: scored answers, component shares, accepted criteria."""
    runs = _runs(wave)

    def build() -> Evidence:
        rows = CityScore.objects.filter(run__in=runs).values_list("city__slug", "components")
        return Evidence(_answers(wave), component_shares(rows), _criteria(wave))

    return _evidence_cache.get_or_render(_key(wave, runs), build)


def peer_group(wave: Wave, evidence: Evidence, city, kind: str) -> PeerGroup | None:
    """The city's ``kind`` peer group among the wave's scored cities, None if its fact is unknown."""
    from civicmeter.web.programmes.models import City

    facts = {
        c.slug: {"continent": continent_of(c.country), "population": c.population}
        for c in City.objects.filter(slug__in=list(evidence.answers) + [city.slug])
    }
    return {g.kind: g for g in peer_groups(city.slug, facts)}.get(kind)


@dataclass(frozen=True)
class CityRecommendations:
    wave: Wave
    result: RecommendationResult
    names: dict[str, str]  # city slug -> name, for the strong cities
    assessment: Wave | None  # the data-use assessment wave whose accepted criteria were read
    assessed: bool  # the city has reviewed criteria there

    @property
    def notes(self) -> tuple[str, ...]:
        """The result's notes but the one on criteria, which the page words itself (translated,
        naming why: no assessment paired with the wave, or none reviewed for the city)."""
        return tuple(n for n in self.result.notes if "criteria triggers were not checked" not in n)


def scored_survey_waves(programme, city) -> list[Wave]:
    """The programme's survey waves in which ``city`` has a PSI score, newest first."""
    waves = programme.waves.filter(instrument__kind=Instrument.Kind.SURVEY).select_related("instrument")
    return [
        w
        for w in waves.order_by("-code")
        if (run := latest_run(w, PSI)) is not None and run.scores.filter(city=city).exists()
    ]


def city_recommendations(
    wave: Wave, city, *, peers: str = "all", language: str = "en"
) -> CityRecommendations | None:
    """``city``'s recommendations in ``wave`` against its ``peers`` group, worded in ``language``
    where the rules translate them, or None when the city has no scored answers there, the group is
    unknown, or the rules are for another instrument."""
    from civicmeter.web.programmes.models import City

    if wave.instrument.kind != Instrument.Kind.SURVEY:
        return None
    instrument = instrument_for(wave.instrument)
    rules = content.active_rules(wave.programme, instrument)
    if rules.instrument != instrument.form_id:
        return None
    evidence = wave_evidence(wave)
    if not evidence.counted(instrument, city.slug):
        return None
    group = peer_group(wave, evidence, city, peers)
    if group is None:
        return None
    cases = content.active_cases(wave.programme, rules, instrument)
    result = recommend(rules, instrument, city.slug, group, evidence, cases, language=language)
    strong = {slug for t in result.items for slug, _ in t.strong_cities}
    names = dict(City.objects.filter(slug__in=strong).values_list("slug", "name"))
    assessment = data_use_wave(wave)
    return CityRecommendations(wave, result, names, assessment, city.slug in evidence.criteria)
