"""The city team page's roadmap panel (order 30): the verdict of the city's latest assessment and
its next steps, for the people who may read that assessment."""

from __future__ import annotations

from civicmeter.web.collection.models import Response
from civicmeter.web.programmes.models import Instrument

from . import display, selectors

#: How many roadmap steps the panel shows; the PDF and the CSV have them all.
PANEL_STEPS = 6
#: Peer cities named per step on the page and in the PDF (the CSV names them all).
PEERS_SHOWN = 5


def _assessments(programme, city):
    return (
        Response.objects.filter(
            wave__programme=programme,
            city=city,
            wave__instrument__kind=Instrument.Kind.ASSESSMENT,
            submitted_at__isnull=False,
        )
        .select_related("wave__instrument", "wave__programme", "city")
        .order_by("-wave__opens_on", "-wave__code")
    )


def latest_assessment(programme, city) -> tuple[Response | None, Response | None]:
    """The city's newest validated assessment (its verdict and roadmap stand), and a newer one still
    under review, if any; without a validated one, the newest submitted one."""
    submitted = list(_assessments(programme, city))
    validated = next((r for r in submitted if r.status == Response.Status.VALIDATED), None)
    if validated is None:
        return (submitted[0] if submitted else None), None
    newer = submitted[0] if submitted[0].pk != validated.pk else None
    return validated, newer


def roadmap_panel(request, programme, city) -> dict | None:
    response, newer = latest_assessment(programme, city)
    if response is None or not selectors.may_read(request.user, response):
        return None
    standard = selectors.standard_for(response.wave)
    verdict = selectors.verdict_of(response, standard)
    steps = selectors.roadmap_of(response, standard)
    lang = (getattr(request, "LANGUAGE_CODE", "") or "en")[:2]
    return {
        "assessment": response,
        "newer": newer if newer is not None and selectors.may_read(request.user, newer) else None,
        "verdict": verdict,
        "tier_name": display.tier_name(verdict.tier),
        "class_name": display.class_name(verdict.score_class),
        "practices": [(p.name(lang), s) for p, s in zip(standard.practices, verdict.practices, strict=True)],
        "steps": [step_view(step, lang) for step in steps[:PANEL_STEPS]],
        "more": max(0, len(steps) - PANEL_STEPS),
    }


def step_view(step, lang: str) -> dict:
    """A roadmap step with its texts in ``lang`` (the panel, the PDF and the CSV share it)."""
    criterion = step.criterion
    return {
        "code": criterion.code,
        "statement": criterion.statement(lang),
        "missing_items": step.missing_items,
        "unticked": [i.text(lang) for i in step.unticked],
        "evidence": criterion.evidence.text(lang),
        "freshness": criterion.freshness.text(lang) if criterion.freshness else "",
        "blocked_by": list(step.blocked_by),
        "unlocks": list(step.unlocks),
        "peers": list(step.peers),
        "some_peers": list(step.peers[:PEERS_SHOWN]),
        "more_peers": max(0, len(step.peers) - PEERS_SHOWN),
        "rule": criterion.rule,
    }
