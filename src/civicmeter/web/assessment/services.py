"""Every write of the data-use assessment: claims, evidence, replies, submission, reviewer
assignment and the review cycle (decide, return for more evidence, validate).

Each takes keyword-only arguments including ``actor``, checks the permission policy (and, for
reviewers, the assignment), moves the response through ``civicmeter.assessment.workflow`` so an
illegal step is refused in one place, and writes in one transaction. Decisions are recorded by
``collection.services.criterion_review`` (append-only, what scores); decisions in bulk
(``civicmeter assessment review``) pass the same checks in ``review_import`` first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civicmeter import assessment
from civicmeter.assessment import IllegalTransition, workflow
from civicmeter.web.accounts.models import Role
from civicmeter.web.accounts.permissions import Action, SystemActor, now_for, require_permission, user_of
from civicmeter.web.collection import notifications
from civicmeter.web.collection import services as collection
from civicmeter.web.collection.models import Answer, CriterionReview, Response
from civicmeter.web.collection.services import _record_event, criterion_review, write_answer

from . import display, selectors
from .models import CriterionClaim, CriterionReply, EvidencePiece, ReviewerAssignment
from .uploads import UploadRefused, check_upload

STATE = gettext_lazy("[assessment.E010] This assessment is %(status)s: %(action)s is not possible now.")
NO_REQUEST = gettext_lazy(
    "[assessment.E011] Nothing to send back: ask for more evidence on at least one criterion first."
)
OPEN_REQUESTS = gettext_lazy(
    "[assessment.E012] %(criteria)s still wait for more evidence; send the assessment back to the city "
    "or decide those criteria before validating."
)
UNANSWERED = gettext_lazy(
    "[assessment.E013] Answer the reviewer's request on %(criteria)s before you submit again "
    "(say what you added or why it is enough)."
)
PREREQUISITE = gettext_lazy(
    "[assessment.E014] %(criterion)s counts only when %(requires)s is met: complete %(requires)s too, or "
    "untick %(criterion)s's items. Nothing you entered was lost."
)
UNKNOWN_ITEMS = gettext_lazy("[assessment.E015] %(items)s are not checklist items of %(criterion)s.")
CONFLICT = gettext_lazy(
    "[assessment.E016] %(criterion)s was changed in another window since you opened it; reload to see "
    "the newest version."
)
FUTURE_DATE = gettext_lazy(
    "[assessment.E017] %(criterion)s: the date %(dated)s is in the future; give the date the record shows."
)
BAD_LINK = gettext_lazy(
    "[assessment.E018] %(criterion)s: give a full web address starting with https:// or http://."
)
REFUSED_FILE = gettext_lazy("[assessment.E019] %(criterion)s: %(reason)s")
NOT_A_REVIEWER = gettext_lazy("[assessment.E020] %(user)s is not a reviewer or admin of this programme.")
EMPTY_REPLY = gettext_lazy("[assessment.E021] %(criterion)s: write your answer to the reviewer's request.")
NO_OPEN_REQUEST = gettext_lazy(
    "[assessment.E022] %(criterion)s has no open request for more evidence to answer."
)
NOT_EDITABLE = gettext_lazy(
    "[assessment.E023] This assessment is %(status)s; it can be changed again if the reviewer sends it back."
)
STALE = gettext_lazy(
    "[assessment.E024] %(criterion)s cannot be accepted: %(reason)s. Ask for more evidence instead."
)
TEXT_LIMIT = 4000

ACTIONS = {
    workflow.SUBMIT: gettext_lazy("submitting"),
    workflow.DECIDE: gettext_lazy("reviewing"),
    workflow.RETURN: gettext_lazy("sending back"),
    workflow.VALIDATE: gettext_lazy("validating"),
}


def _criterion(standard, code: str):
    try:
        return standard.criterion(code)
    except KeyError as exc:
        raise ValidationError(
            _("%(code)s is not a criterion of this assessment.") % {"code": code}, code="assessment.E015"
        ) from exc


def _refusal(response: Response, exc: IllegalTransition) -> ValidationError:
    names = ", ".join(exc.criteria)
    if exc.reason == "no_request":
        return ValidationError(NO_REQUEST, code="assessment.E011")
    if exc.reason == "open_requests":
        return ValidationError(OPEN_REQUESTS % {"criteria": names}, code="assessment.E012")
    if exc.reason == "unanswered":
        return ValidationError(UNANSWERED % {"criteria": names}, code="assessment.E013")
    status = response.get_status_display().lower()
    return ValidationError(STATE % {"status": status, "action": ACTIONS[exc.action]}, code="assessment.E010")


def _move(response: Response, action: str, **facts) -> str:
    try:
        return workflow.next_state(response.status, action, **facts)
    except IllegalTransition as exc:
        raise _refusal(response, exc) from exc


def _locked_editable(actor, response: Response) -> Response:
    require_permission(actor, Action.EDIT_RESPONSE, programme=response.wave.programme, city=response.city)
    response = Response.objects.select_for_update().select_related("wave__instrument").get(pk=response.pk)
    if not response.is_editable:
        raise ValidationError(
            NOT_EDITABLE % {"status": response.get_status_display().lower()}, code="assessment.E023"
        )
    return response


def _touch(response: Response, actor) -> None:
    response.version += 1
    response.last_activity_at = now_for(actor)
    response.save(update_fields=["version", "last_activity_at"])


@transaction.atomic(durable=True)
def claim_save(
    *, actor, response: Response, criterion: str, items: list[str], text: str, version: int | None = None
) -> CriterionClaim:
    """Store the city's ticked items and explanation for one criterion (autosave and the form).

    ``version`` is the claim version the page started from; a save over a newer one is refused
    (``assessment.E016``) so two windows never overwrite each other silently.
    """
    response = _locked_editable(actor, response)
    standard = selectors.standard_for(response.wave)
    found = _criterion(standard, criterion)
    known = {i.code for i in found.items}
    unknown = sorted(set(items) - known)
    if unknown:
        raise ValidationError(
            UNKNOWN_ITEMS % {"items": ", ".join(unknown), "criterion": found.code}, code="assessment.E015"
        )
    claim = CriterionClaim.objects.filter(response=response, criterion=found.code).first()
    if claim is not None and version is not None and version != claim.version:
        raise ValidationError(CONFLICT % {"criterion": found.code}, code="assessment.E016")
    ordered = [i.code for i in found.items if i.code in set(items)]
    fields = {
        "items": ordered,
        "text": text.strip()[:TEXT_LIMIT],
        "updated_by": user_of(actor),
        "updated_at": now_for(actor),
    }
    if claim is None:
        claim = CriterionClaim.objects.create(response=response, criterion=found.code, **fields)
    elif (claim.items, claim.text) != (fields["items"], fields["text"]):
        for key, value in fields.items():
            setattr(claim, key, value)
        claim.version += 1
        claim.save()
    _touch(response, actor)
    return claim


def _checked_date(found, dated: date | None) -> None:
    if dated is not None and dated > selectors.today():
        raise ValidationError(
            FUTURE_DATE % {"criterion": found.code, "dated": dated.isoformat()}, code="assessment.E017"
        )


def evidence_add(*, actor, response: Response, criterion: str, evidence: NewEvidence) -> EvidencePiece:
    """Attach a document (``evidence.upload``, a Django ``UploadedFile``) or a link (``evidence.url``)
    to a criterion.

    The file's type is read from its content, its size and name checked (``uploads.check_upload``);
    a date in the future is refused. The file is stored under a random name in the private
    evidence storage; nothing is written when a check fails, and a stored file is removed again when
    the transaction does not commit (a file store cannot take part in the database's rollback).
    """
    stored: list[EvidencePiece] = []
    try:
        with transaction.atomic(durable=True):
            return _evidence_write(actor, response, criterion, evidence, stored)
    except BaseException:
        for row in stored:
            row.file.delete(save=False)
        raise


def _evidence_write(
    actor, response: Response, criterion: str, given: NewEvidence, stored: list
) -> EvidencePiece:
    upload, url, label, dated = given.upload, given.url, given.label, given.dated
    response = _locked_editable(actor, response)
    found = _criterion(selectors.standard_for(response.wave), criterion)
    _checked_date(found, dated)
    row = EvidencePiece(
        response=response,
        criterion=found.code,
        label=label.strip()[:200],
        dated=dated,
        added_by=user_of(actor),
        added_at=now_for(actor),
    )
    if upload is not None:
        head = upload.read(8192)
        upload.seek(0)
        try:
            checked = check_upload(upload.name, upload.size, head)
        except UploadRefused as exc:
            raise ValidationError(
                REFUSED_FILE % {"criterion": found.code, "reason": str(exc)}, code="assessment.E019"
            ) from exc
        row.kind = EvidencePiece.Kind.DOCUMENT
        row.filename, row.extension = checked.filename, checked.extension
        row.content_type, row.size = checked.content_type, checked.size
        row.file.save(checked.filename, upload, save=False)
        stored.append(row)
    else:
        try:
            URLValidator(schemes=["http", "https"])(url.strip())
        except ValidationError as exc:
            raise ValidationError(BAD_LINK % {"criterion": found.code}, code="assessment.E018") from exc
        row.kind, row.url = EvidencePiece.Kind.LINK, url.strip()
    row.save()
    _touch(response, actor)
    return row


@transaction.atomic(durable=True)
def evidence_remove(*, actor, evidence: EvidencePiece) -> None:
    """Remove a piece of evidence (and its file) while the city may still edit."""
    response = _locked_editable(actor, evidence.response)
    name = evidence.file.name if evidence.file else ""
    storage = evidence.file.storage if evidence.file else None
    evidence.delete()
    _touch(response, actor)
    if name:
        transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic(durable=True)
def reply_save(*, actor, response: Response, criterion: str, text: str) -> CriterionReply:
    """The city's answer to a reviewer's open request for more evidence on ``criterion``."""
    response = _locked_editable(actor, response)
    standard = selectors.standard_for(response.wave)
    found = _criterion(standard, criterion)
    if not text.strip():
        raise ValidationError(EMPTY_REPLY % {"criterion": found.code}, code="assessment.E021")
    if found.code not in selectors.open_requests(selectors.latest_reviews(response, standard)):
        raise ValidationError(NO_OPEN_REQUEST % {"criterion": found.code}, code="assessment.E022")
    reply = CriterionReply.objects.create(
        response=response,
        criterion=found.code,
        text=text.strip()[:TEXT_LIMIT],
        by=user_of(actor),
        at=now_for(actor),
    )
    _touch(response, actor)
    return reply


def _claimed_without_prerequisite(standard, checks) -> ValidationError | None:
    for code, check in checks.items():
        own = [s for s in check.shortfalls if s.kind != "prerequisite"]
        missing = [s for s in check.shortfalls if s.kind == "prerequisite"]
        if check.ticked and not own and missing:
            return ValidationError(
                PREREQUISITE % {"criterion": code, "requires": missing[0].facts["codes"]},
                code="assessment.E014",
            )
    return None


def _write_claim_answers(response: Response, standard, checks, claims, actor) -> None:
    """Keep the workbook's answers in step with the claims (``met``/``not_met`` and the evidence line)
    so exports and the questionnaire view show what the city claimed."""
    current = {a.question: a for a in Answer.objects.filter(response=response)}
    for criterion in standard.criteria:
        values = {criterion.question: "met" if checks[criterion.code].would_meet else "not_met"}
        evidence_question = f"{criterion.question}_evidence"
        if values[criterion.question] == "met" and claims[criterion.code].text:
            values[evidence_question] = claims[criterion.code].text
        elif evidence_question in current and current[evidence_question].value:
            values[evidence_question] = ""
        for question, value in values.items():
            answer = current.get(question)
            if answer is None or answer.value != value:
                write_answer(response, answer, question=question, value=value, actor=actor, source="web")


@transaction.atomic(durable=True)
def assessment_submit(*, actor, response: Response) -> Response:
    """Submit the assessment (first time, or again after the reviewer asked for more).

    Refused, naming the criteria, when a claimed criterion misses its prerequisite
    (``assessment.E014``) or an open request has no answer (``assessment.E013``); claims and
    evidence stay as they were.
    """
    response = _locked_editable(actor, response)
    standard = selectors.standard_for(response.wave)
    latest = selectors.latest_reviews(response, standard)
    _move(
        response,
        workflow.SUBMIT,
        open_requests=selectors.open_requests(latest),
        unanswered=selectors.unanswered_requests(response, latest),
    )
    claims = selectors.claims_of(response, standard)
    checks = assessment.check_claims(standard, claims, today=selectors.today())
    problem = _claimed_without_prerequisite(standard, checks)
    if problem is not None:
        raise problem
    response.version += 1
    _write_claim_answers(response, standard, checks, claims, actor)
    _record_event(response, actor=actor, action="submit", to_status=Response.Status.SUBMITTED)
    notifications.response_submitted(response.pk)
    return response


@transaction.atomic(durable=True)
def reviewer_assign(*, actor, response: Response, reviewer) -> ReviewerAssignment:
    """A programme admin assigns ``reviewer`` (a reviewer or admin of the programme)."""
    programme = response.wave.programme
    require_permission(actor, Action.MANAGE_WAVE, programme=programme)
    if not Role.objects.filter(user=reviewer, programme=programme, kind__in=["reviewer", "admin"]).exists():
        raise ValidationError(NOT_A_REVIEWER % {"user": reviewer.get_username()}, code="assessment.E020")
    assignment, _created = ReviewerAssignment.objects.get_or_create(
        response=response, reviewer=reviewer, defaults={"assigned_by": user_of(actor), "at": now_for(actor)}
    )
    return assignment


def _require_reviewer(actor, response: Response) -> None:
    require_permission(actor, Action.REVIEW_RESPONSE, programme=response.wave.programme)
    if not selectors.may_review(actor, response):
        raise PermissionDenied("Only reviewers assigned to this assessment may review it.")


def _require_fresh(response: Response, standard, found, *, today: date | None = None) -> None:
    """Freshness is a rule of the standard, not a judgement: a criterion whose dated records fall
    outside its window (or in the future) on the day of the decision cannot be accepted."""
    claims = selectors.claims_of(response, standard)
    check = assessment.check_claims(standard, claims, today=today or selectors.today())[found.code]
    stale = [s for s in check.shortfalls if s.kind in ("records", "future")]
    if stale:
        raise ValidationError(
            STALE % {"criterion": found.code, "reason": display.shortfall_text(stale[0])},
            code="assessment.E024",
        )


def review_decide(*, actor, response: Response, criterion: str, outcome: str, note: str = ""):
    """Record an assigned reviewer's decision on one criterion: accepted, not_met or
    needs_evidence (with a comment saying what is missing), through ``criterion_review`` (its own
    transaction; the checks here only read). Accepting is refused while the criterion's dated
    evidence is outside its freshness window (``assessment.E024``)."""
    _require_reviewer(actor, response)
    response = Response.objects.select_related("wave__instrument").get(pk=response.pk)
    _move(response, workflow.DECIDE)
    standard = selectors.standard_for(response.wave)
    found = _criterion(standard, criterion)
    if outcome == CriterionReview.Outcome.ACCEPTED:
        _require_fresh(response, standard, found)
    return criterion_review(
        actor=actor, response=response, criterion=found.question, outcome=outcome, note=note
    )


def review_import(*, actor, response: Response, filename: str, content: bytes):
    """Decisions in bulk from a CSV or XLSX (criterion, decision, comment), under the rules of a
    decision made on the review page: the actor (or the user the system actor acts for) must be
    assigned or a programme admin, the assessment must be under review, and an accepted criterion's
    dated evidence must be inside its freshness window on the day of the decision (the system
    actor's ``as_of`` day when past reviews are moved in). Recorded by ``criteria_review_import``:
    every refused row reported at once, nothing written."""
    _require_reviewer(user_of(actor) or actor, response)
    response = Response.objects.select_related("wave__instrument").get(pk=response.pk)
    if not selectors.is_assessment(response.wave):  # a survey wave: refused there with its code
        return collection.criteria_review_import(
            actor=actor, response=response, filename=filename, content=content
        )
    _move(response, workflow.DECIDE)
    standard = selectors.standard_for(response.wave)
    day = now_for(actor).date()

    def fresh_when_accepted(response, criterion, decision):
        if decision == CriterionReview.Outcome.ACCEPTED:
            _require_fresh(response, standard, _criterion(standard, criterion), today=day)

    return collection.criteria_review_import(
        actor=actor, response=response, filename=filename, content=content, row_check=fresh_when_accepted
    )


@transaction.atomic(durable=True)
def assessment_return(*, actor, response: Response, note: str = "") -> Response:
    """Send the assessment back to the city to answer the open requests for more evidence."""
    _require_reviewer(actor, response)
    response = Response.objects.select_for_update().select_related("wave__instrument").get(pk=response.pk)
    standard = selectors.standard_for(response.wave)
    requests = selectors.open_requests(selectors.latest_reviews(response, standard))
    _move(response, workflow.RETURN, open_requests=requests)
    text = note.strip() or _("More evidence requested on %(criteria)s.") % {"criteria": ", ".join(requests)}
    _record_event(response, actor=actor, action="return", to_status=Response.Status.RETURNED, note=text)
    notifications.response_returned(response.pk)
    return response


@transaction.atomic(durable=True)
def assessment_validate(*, actor, response: Response) -> Response:
    """Close the review: no request for more evidence may be open. Accepted criteria score."""
    _require_reviewer(actor, response)
    response = Response.objects.select_for_update().select_related("wave__instrument").get(pk=response.pk)
    standard = selectors.standard_for(response.wave)
    _move(
        response,
        workflow.VALIDATE,
        open_requests=selectors.open_requests(selectors.latest_reviews(response, standard)),
    )
    _record_event(response, actor=actor, action="validate", to_status=Response.Status.VALIDATED)
    return response


@dataclass(frozen=True)
class NewEvidence:
    """A piece of evidence as the city gives it on the criterion form: a file (a Django
    ``UploadedFile``) or a link, with a label and the date the document bears."""

    upload: Any = None
    url: str = ""
    label: str = ""
    dated: date | None = None

    @property
    def given(self) -> bool:
        return self.upload is not None or bool(self.url.strip())


@dataclass(frozen=True)
class CriterionEntry:
    """Everything the city's form for one criterion sends: the ticked checklist items and the text
    (saved with the version the form was read at), new evidence, and a reply to a reviewer's request.
    One object, so a field added to the form is added here and read where it is used."""

    criterion: str
    items: list[str]
    text: str
    version: int | None = None
    evidence: NewEvidence = field(default_factory=NewEvidence)
    reply: str = ""


def criterion_save(*, actor, response: Response, entry: CriterionEntry) -> CriterionClaim:
    """The city's criterion form saved as a whole: the claim first, then a new piece of evidence and
    a reply when given, each in its own transaction, so evidence that is refused (a wrong file type,
    a future date) never costs the ticks and text already entered."""
    claim = claim_save(
        actor=actor,
        response=response,
        criterion=entry.criterion,
        items=entry.items,
        text=entry.text,
        version=entry.version,
    )
    if entry.evidence.given:
        evidence_add(actor=actor, response=response, criterion=entry.criterion, evidence=entry.evidence)
    if entry.reply.strip():
        reply_save(actor=actor, response=response, criterion=entry.criterion, text=entry.reply)
    return claim


@transaction.atomic(durable=True)
def assessment_label_demo(*, actor, response: Response, provenance: str) -> Response:
    """Label an assessment the demo wrote as synthetic, with where its claims came from (the
    system actor only: people never mark their own answers synthetic)."""
    if not isinstance(actor, SystemActor):
        raise PermissionDenied("Only the demo loader labels synthetic assessments.")
    response = Response.objects.select_for_update().get(pk=response.pk)
    response.synthetic, response.provenance = True, provenance
    response.save(update_fields=["synthetic", "provenance"])
    return response
