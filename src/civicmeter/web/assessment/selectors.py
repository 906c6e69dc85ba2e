"""Reads of assessments: the standard of a wave, a city's claims as the domain sees them, the
latest decisions, open requests for more evidence, verdicts, roadmaps, and who may open what."""

from __future__ import annotations

import functools
from collections import defaultdict
from pathlib import Path

from django.conf import settings
from django.http import Http404
from django.utils import timezone

from civicmeter import assessment, scoring
from civicmeter.assessment import Claim, EvidenceItem, Standard
from civicmeter.assessment.loader import SHIPPED_STANDARD
from civicmeter.web.accounts.permissions import (
    Action,
    SystemActor,
    access_wave_by_code,
    responses_visible_to,
    user_has_permission,
)
from civicmeter.web.collection.models import CriterionReview, Response
from civicmeter.web.programmes.instrument_cache import instrument_for
from civicmeter.web.programmes.models import Instrument, Wave

from .models import CriterionClaim, CriterionReply, EvidencePiece, ReviewerAssignment

#: The shipped standard's files by instrument form id. Another standard is two files in
#: ``CIVICMETER_HOME/standards/``: ``<form_id>.recipe.yaml`` and ``<form_id>.standard.yaml``.
SHIPPED = {"data_use_assessment": (scoring.DATA_USE_RECIPE, SHIPPED_STANDARD)}


def standard_files(form_id: str) -> tuple[Path, Path]:
    if form_id in SHIPPED:
        return SHIPPED[form_id]
    folder = Path(settings.HOME) / "standards"
    return folder / f"{form_id}.recipe.yaml", folder / f"{form_id}.standard.yaml"


@functools.lru_cache(maxsize=16)
def _standard(instrument_pk: int, sha256: str) -> Standard:
    row = Instrument.objects.get(pk=instrument_pk)
    recipe_path, standard_path = standard_files(row.form_id)
    return assessment.load_standard(
        instrument_for(row), scoring.load_scoring_recipe(recipe_path), standard_path
    )


def standard_for(wave: Wave) -> Standard:
    """The standard of an assessment wave, parsed once per instrument version."""
    return _standard(wave.instrument.pk, wave.instrument.sha256)


def is_assessment(wave: Wave) -> bool:
    return wave.instrument.kind == Instrument.Kind.ASSESSMENT


def access_assessment_wave(user, programme: str, code: str) -> Wave:
    """The wave ``code`` of ``programme`` if ``user`` may open it and it is an assessment wave;
    otherwise 404: a survey wave has no assessment pages."""
    wave = access_wave_by_code(user, programme, code)
    if not is_assessment(wave):
        raise Http404("No such assessment wave.")
    return wave


def today():
    """The local date evidence dates and freshness windows are judged against."""
    return timezone.localdate()


def _is_admin(user, programme) -> bool:
    return isinstance(user, SystemActor) or user_has_permission(user, Action.MANAGE_WAVE, programme=programme)


def is_assigned(user, response: Response) -> bool:
    return ReviewerAssignment.objects.filter(response=response, reviewer=user).exists()


def may_review(user, response: Response) -> bool:
    """Programme admins, and reviewers assigned to this assessment."""
    programme = response.wave.programme
    if _is_admin(user, programme):
        return True
    return user_has_permission(user, Action.REVIEW_RESPONSE, programme=programme) and is_assigned(
        user, response
    )


def may_read(user, response: Response) -> bool:
    """The city's own respondents, the programme's admins and the assigned reviewers."""
    if may_review(user, response):
        return True
    roles = getattr(user, "roles", None)
    return (
        bool(roles)
        and roles.filter(programme=response.wave.programme, kind="respondent", city=response.city).exists()
    )


def access_assessment(user, pk: int, *, review: bool = False) -> Response:
    """The assessment response ``pk`` if ``user`` may read it (or review it, with ``review``);
    otherwise 404, whether it exists or not: an unassigned reviewer learns nothing."""
    response = responses_visible_to(user).filter(pk=pk).first()
    if response is None or not is_assessment(response.wave):
        raise Http404("No such assessment.")
    allowed = may_review(user, response) if review else may_read(user, response)
    if not allowed:
        raise Http404("No such assessment.")
    return response


def access_evidence(user, key) -> EvidencePiece:
    evidence = (
        EvidencePiece.objects.select_related("response__wave__programme", "response__city")
        .filter(key=key)
        .first()
    )
    if evidence is None or not may_read(user, evidence.response):
        raise Http404("No such evidence.")
    return evidence


def claims_of(response: Response, standard: Standard) -> dict[str, Claim]:
    """``{criterion code: Claim}`` as the city stands now (ticked items, text, evidence)."""
    evidence = defaultdict(list)
    for row in EvidencePiece.objects.filter(response=response):
        evidence[row.criterion].append(
            EvidenceItem(row.kind, row.dated, row.label or row.filename or row.url)
        )
    claims = {}
    rows = {c.criterion: c for c in CriterionClaim.objects.filter(response=response)}
    for criterion in standard.criteria:
        row = rows.get(criterion.code)
        claims[criterion.code] = Claim(
            criterion.code,
            frozenset(row.items) if row else frozenset(),
            tuple(evidence.get(criterion.code, ())),
            row.text if row else "",
        )
    return claims


def latest_reviews(response: Response, standard: Standard) -> dict[str, CriterionReview]:
    """``{criterion code: its latest review}`` (criteria never reviewed are absent)."""
    latest = {}
    for review in (
        CriterionReview.objects.filter(response=response).select_related("reviewer").order_by("at", "pk")
    ):
        latest[standard.criterion(review.criterion).code] = review
    return latest


def review_history(response: Response, standard: Standard) -> dict[str, list[CriterionReview]]:
    """Every decision per criterion code, newest first (kept with who and when)."""
    out = defaultdict(list)
    for review in (
        CriterionReview.objects.filter(response=response).select_related("reviewer").order_by("-at", "-pk")
    ):
        out[standard.criterion(review.criterion).code].append(review)
    return out


def open_requests(latest: dict[str, CriterionReview]) -> list[str]:
    return [code for code, r in latest.items() if r.outcome == CriterionReview.Outcome.NEEDS_EVIDENCE]


def unanswered_requests(response: Response, latest: dict[str, CriterionReview]) -> list[str]:
    """Open requests the city has not answered since they were made (a reply is required)."""
    requests = {code: latest[code].at for code in open_requests(latest)}
    replied = defaultdict(lambda: None)
    for reply in CriterionReply.objects.filter(response=response, criterion__in=list(requests)):
        if replied[reply.criterion] is None or reply.at > replied[reply.criterion]:
            replied[reply.criterion] = reply.at
    return [code for code, at in requests.items() if replied[code] is None or replied[code] < at]


def accepted_codes(response: Response, standard: Standard) -> set[str]:
    latest = latest_reviews(response, standard)
    return {code for code, r in latest.items() if r.outcome == CriterionReview.Outcome.ACCEPTED}


def peers_accepted(response: Response, standard: Standard) -> dict[str, set[str]]:
    """``{city name: accepted codes}`` of the programme's other cities, from each one's newest
    reviewed assessment of the same standard (any wave), so a new round still names peers."""
    others = (
        Response.objects.filter(
            wave__programme=response.wave.programme,
            wave__instrument__form_id=response.wave.instrument.form_id,
        )
        .exclude(city=response.city)
        .filter(criterion_reviews__isnull=False)
        .distinct()
        .select_related("city", "wave")
        .order_by("wave__opens_on", "wave__code")
    )
    newest = {r.city_id: r for r in others}  # later waves overwrite earlier ones
    names = {r.pk: r.city.name for r in newest.values()}
    latest: dict[int, dict[str, str]] = defaultdict(dict)
    rows = CriterionReview.objects.filter(response__in=list(names)).order_by("at", "pk")
    for response_id, criterion, outcome in rows.values_list("response_id", "criterion", "outcome"):
        latest[response_id][criterion] = outcome
    return {
        names[pk]: {
            standard.criterion(c).code for c, o in outcomes.items() if o == CriterionReview.Outcome.ACCEPTED
        }
        for pk, outcomes in latest.items()
    }


def verdict_of(response: Response, standard: Standard):
    return assessment.verdict(standard, accepted_codes(response, standard))


def roadmap_of(response: Response, standard: Standard):
    return assessment.roadmap(
        standard,
        accepted_codes(response, standard),
        claims_of(response, standard),
        peers_accepted(response, standard),
    )


def assessments_of(wave: Wave):
    return Response.objects.filter(wave=wave).select_related("city").prefetch_related("reviewers__reviewer")


def assigned_to(user):
    """Assessments ``user`` is assigned to review."""
    return (
        Response.objects.filter(reviewers__reviewer=user)
        .select_related("wave__programme", "city")
        .order_by("wave__code", "city__name")
    )
