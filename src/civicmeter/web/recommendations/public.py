"""A city's top recommendations on its public snapshot, from public data only.

Read from the ``PublicWave`` of ``civicmeter.web.explorer.published`` (validated answers of a
published wave, its public scores), so nothing unpublished reaches the public page: the reasons
compare the city with the other public cities of the wave, and data-use criteria (assessment
evidence, never public) are not read, so triggers on them do not fire here.
"""

from __future__ import annotations

from collections import OrderedDict

from civicmeter.narrative import Evidence, PeerGroup, recommend
from civicmeter.web.programmes.models import Programme

from . import content
from .panel import ShownRecommendation, component_names
from .selectors import component_shares

#: Public evidence per published wave's key (its fingerprint changes with anything it reads).
_EVIDENCE: OrderedDict = OrderedDict()


def _evidence(wave) -> Evidence:
    if wave.key not in _EVIDENCE:
        runs = [run for run in (wave.psi, wave.data_use) if run is not None]
        scores = component_shares(
            (slug, score.components) for run in runs for slug, score in run.scores.items()
        )
        _EVIDENCE[wave.key] = Evidence(wave.answers, scores, {})
        while len(_EVIDENCE) > 8:
            _EVIDENCE.popitem(last=False)
    return _EVIDENCE[wave.key]


def public_top(wave, slug: str, n: int = 3, language: str = "en") -> list[ShownRecommendation]:
    """The city's ``n`` highest-priority recommendations in the public ``wave`` (a ``PublicWave``),
    against all public cities of the wave, worded in ``language`` where translated; [] when the
    city is not public there or the wave is not a survey the rules read."""
    if slug not in wave.cities or wave.kind != "survey":
        return []
    programme = Programme.objects.filter(slug=wave.programme_slug).first()
    rules = content.active_rules(programme, wave.instrument)
    if rules.instrument != wave.instrument.form_id:
        return []
    evidence = _evidence(wave)
    if not evidence.counted(wave.instrument, slug):
        return []
    cases = content.active_cases(programme, rules, wave.instrument)
    result = recommend(
        rules,
        wave.instrument,
        slug,
        PeerGroup("all", frozenset(wave.cities)),
        evidence,
        cases,
        language=language,
    )
    names = component_names()
    return [
        ShownRecommendation(
            t,
            names.get(t.recommendation.component, t.recommendation.component),
            [
                (wave.cities[s].name if s in wave.cities else s, round(100 * share))
                for s, share in t.strong_cities
            ],
        )
        for t in result.top(n)
    ]
