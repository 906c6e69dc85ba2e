"""Use cases for answering a wave: start, save an answer, submit, return, validate, review a criterion.

Every function takes keyword-only arguments including ``actor``, checks the permission policy, writes
the state change and its audit record in one transaction, and defers e-mail until commit. The web
views, the CLI and the demo loader all call these, so they behave identically.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civicmeter import instruments, scoring
from civicmeter.instruments import files
from civicmeter.instruments.answers import canonical
from civicmeter.web.accounts.permissions import Action, now_for, require_permission, user_of
from civicmeter.web.programmes.instrument_cache import instrument_for
from civicmeter.web.programmes.models import City, Instrument, Wave

from .. import notifications
from ..models import Answer, AnswerChange, CriterionReview, Response, ResponseEvent


def _user_or_none(actor):
    return user_of(actor)


def response_answer_rows(response: Response) -> list[tuple[str, str, int]]:
    """Every stored ``(question, value, version)``, empty values included, in one query."""
    return list(response.answers.values_list("question", "value", "version"))


def response_answers(response: Response) -> dict[str, str]:
    """The stored answers as {question: value}, empty values left out."""
    return {a.question: a.value for a in response.answers.all() if a.value != ""}


@transaction.atomic(durable=True)
def response_start(*, actor, wave: Wave, city: City) -> Response:
    """The city's response to the wave, created as a draft on first use."""
    require_permission(actor, Action.EDIT_RESPONSE, programme=wave.programme, city=city)
    if wave.status != Wave.Status.OPEN:
        raise ValidationError(_("The %(wave)s wave is not open for answers.") % {"wave": wave.code})
    response, _created = Response.objects.get_or_create(wave=wave, city=city)
    return response


@dataclass(frozen=True)
class Conflict:
    """Someone else saved this question after the editor loaded it."""

    current_value: str
    current_version: int
    by: str
    at: object


@dataclass(frozen=True)
class SaveResult:
    question: str
    value: str
    version: int
    error: str | None = None
    conflict: Conflict | None = None

    @property
    def saved(self) -> bool:
        return self.error is None and self.conflict is None


def _require_editable(response: Response) -> None:
    if not response.is_editable:
        raise ValidationError(
            _("This response is %(status)s and can no longer be changed.")
            % {"status": response.get_status_display().lower()}
        )
    if response.wave.status != Wave.Status.OPEN:
        raise ValidationError(_("The %(wave)s wave is closed.") % {"wave": response.wave.code})


@transaction.atomic(durable=True)
def answer_save(
    *,
    actor,
    response: Response,
    question: str,
    raw_value: str,
    expected_version: int,
    language: str = "en",
    source: str = AnswerChange.Source.WEB,
) -> SaveResult:
    """Validate and store one answer, refusing to overwrite a newer value silently.

    ``expected_version`` is the answer version the editor loaded (0 for a question never answered).
    If another person saved since, nothing is written and the result carries the conflict.
    """
    require_permission(actor, Action.EDIT_RESPONSE, programme=response.wave.programme, city=response.city)
    response = Response.objects.select_for_update().select_related("wave").get(pk=response.pk)
    _require_editable(response)
    instrument = instrument_for(response.wave.instrument)
    answers = response_answers(response)
    value, error = instruments.clean_answer(instrument, question, raw_value, answers, language)
    answer = Answer.objects.filter(response=response, question=question).first()
    current_version = answer.version if answer else 0
    # Compared in canonical form: older values may list the same choices in another order.
    current_value = canonical(instrument, instrument.question(question), answer.value) if answer else ""
    if error is not None:
        return SaveResult(question, raw_value, current_version, error=error)
    if value == current_value:
        # Both editors agree (or nothing changed): not a conflict, whatever version was loaded.
        return SaveResult(question, value, current_version)
    if current_version != expected_version:
        who = str(answer.updated_by) if answer and answer.updated_by else _("another user")
        return SaveResult(
            question,
            raw_value,
            current_version,
            conflict=Conflict(current_value, current_version, who, answer.updated_at if answer else None),
        )
    response.version += 1
    answer = write_answer(response, answer, question=question, value=value, actor=actor, source=source)
    response.last_activity_at = now_for(actor)
    response.language = language
    response.save(update_fields=["version", "last_activity_at", "language"])
    return SaveResult(question, value, answer.version)


def write_answer(
    response: Response, answer: Answer | None, *, question: str, value: str, actor, source: str
) -> Answer:
    """Store a validated value and its audit record.

    Callers hold the transaction, the lock on the response row (so ``answer`` was read under it and
    its version is never reused) and the checks, and have set ``response.version`` to the version
    this change belongs to.
    """
    user = _user_or_none(actor)
    old_value = answer.value if answer else ""
    if answer is None:
        answer = Answer.objects.create(
            response=response, question=question, value=value, updated_by=user, changed_in=response.version
        )
    else:
        answer.value = value
        answer.version += 1
        answer.updated_by = user
        answer.changed_in = response.version
        answer.save(update_fields=["value", "version", "updated_by", "updated_at", "changed_in"])
    AnswerChange.objects.create(
        response=response,
        question=question,
        old_value=old_value,
        new_value=value,
        actor=user,
        source=source,
        at=now_for(actor),
    )
    return answer


def write_new_answers(response: Response, values: dict[str, str], *, actor, source: str) -> None:
    """Store first answers to questions ``response`` has none for, with their audit records, in
    two inserts (an import of 150 cities writes thousands). Same contract as ``write_answer``."""
    user, at = _user_or_none(actor), now_for(actor)
    Answer.objects.bulk_create(
        [
            Answer(response=response, question=q, value=v, updated_by=user, changed_in=response.version)
            for q, v in values.items()
        ]
    )
    AnswerChange.objects.bulk_create(
        [
            AnswerChange(response=response, question=q, new_value=v, actor=user, source=source, at=at)
            for q, v in values.items()
        ]
    )


def _record_event(response: Response, *, actor, action: str, to_status: str, note: str = "") -> None:
    ResponseEvent.objects.create(
        response=response,
        action=action,
        from_status=response.status,
        to_status=to_status,
        note=note,
        actor=_user_or_none(actor),
        at=now_for(actor),
    )
    response.status = to_status
    response.version += 1
    response.last_activity_at = now_for(actor)
    fields = ["status", "version", "last_activity_at"]
    if to_status == Response.Status.SUBMITTED:
        response.submitted_at = response.last_activity_at
        fields.append("submitted_at")
    response.save(update_fields=fields)


@transaction.atomic(durable=True)
def response_submit(*, actor, response: Response) -> Response:
    """Submit a complete response; afterwards it is read-only unless programme staff return it."""
    require_permission(actor, Action.EDIT_RESPONSE, programme=response.wave.programme, city=response.city)
    response = Response.objects.select_for_update().select_related("wave").get(pk=response.pk)
    _require_editable(response)
    problems = instruments.validate_response(
        instrument_for(response.wave.instrument), response_answers(response)
    )
    if problems:
        raise ValidationError([str(p) for p in problems])
    _record_event(response, actor=actor, action="submit", to_status=Response.Status.SUBMITTED)
    notifications.response_submitted(response.pk)  # queued with the change, sent by the worker
    return response


@transaction.atomic(durable=True)
def response_return(*, actor, response: Response, note: str) -> Response:
    """Send a submitted response back to the city for changes, with a note saying what to change."""
    require_permission(actor, Action.MANAGE_WAVE, programme=response.wave.programme)
    response = Response.objects.select_for_update().get(pk=response.pk)
    if response.status not in (Response.Status.SUBMITTED, Response.Status.VALIDATED):
        raise ValidationError(_("Only a submitted or validated response can be returned."))
    if not note.strip():
        raise ValidationError(_("Say what the city should change: the note is required."))
    _record_event(response, actor=actor, action="return", to_status=Response.Status.RETURNED, note=note)
    notifications.response_returned(response.pk)  # queued with the change, sent by the worker
    return response


@transaction.atomic(durable=True)
def response_validate(*, actor, response: Response, note: str = "") -> Response:
    """Mark a submitted response as checked by programme staff."""
    require_permission(actor, Action.VALIDATE_RESPONSE, programme=response.wave.programme)
    response = Response.objects.select_for_update().get(pk=response.pk)
    if response.status != Response.Status.SUBMITTED:
        raise ValidationError(_("Only a submitted response can be validated."))
    _record_event(response, actor=actor, action="validate", to_status=Response.Status.VALIDATED, note=note)
    return response


def answer_history(*, actor, response: Response, question: str | None = None):
    """The change history of a response (or one question), newest first."""
    require_permission(actor, Action.VIEW_RESPONSE, programme=response.wave.programme, city=response.city)
    changes = response.changes.select_related("actor")
    return changes.filter(question=question) if question else changes


NOT_AN_ASSESSMENT = gettext_lazy(
    "[review.E001] Wave %(wave)s uses a questionnaire, not an assessment: only assessment "
    "criteria are reviewed."
)
UNKNOWN_CRITERION = gettext_lazy(
    "[review.E002] %(criterion)s is not a criterion of instrument %(form)s; use one of its "
    "criterion codes, e.g. %(example)s."
)
UNKNOWN_OUTCOME = gettext_lazy(
    "[review.E003] %(outcome)s is not a review outcome; use accepted, needs_evidence or not_met."
)
NOT_REVIEWABLE = gettext_lazy(
    "[review.E004] This response is %(status)s; criteria are reviewed once the city has submitted it."
)
NOTE_REQUIRED = gettext_lazy(
    "[review.E005] Say what evidence is missing: a note is required when asking for more evidence."
)
#: Responses a reviewer may judge: submitted (under review) and validated (re-review keeps history).
REVIEWABLE_STATUSES = (Response.Status.SUBMITTED, Response.Status.VALIDATED)


REVIEW_COLUMNS = ("criterion", "decision", "comment")
MISSING_REVIEW_COLUMNS = gettext_lazy(
    "[review.E006] %(file)s has no %(columns)s column; a review file has the columns criterion, "
    "decision and comment (one row per criterion)."
)
REVIEW_ROW = gettext_lazy("Row %(row)s: %(problem)s")


def _criteria_of(response: Response) -> tuple[object, list[str]]:
    """The parsed instrument and its criteria, refusing a response of a questionnaire wave."""
    wave = response.wave
    if wave.instrument.kind != Instrument.Kind.ASSESSMENT:
        raise ValidationError(NOT_AN_ASSESSMENT % {"wave": wave.code}, code="review.E001")
    parsed = instrument_for(wave.instrument)
    return parsed, scoring.assessment_criteria(parsed)


def _review_problem(
    parsed, criteria: list[str], criterion: str, outcome: str, note: str, *, response=None
) -> ValidationError | None:
    """What is wrong with one review decision (and ``response``'s status, when given), or None."""
    if criterion not in criteria:
        return ValidationError(
            UNKNOWN_CRITERION
            % {"criterion": criterion, "form": parsed.form_id, "example": criteria[0] if criteria else ""},
            code="review.E002",
        )
    if outcome not in CriterionReview.Outcome.values:
        return ValidationError(UNKNOWN_OUTCOME % {"outcome": outcome}, code="review.E003")
    if response is not None and _status_problem(response) is not None:
        return _status_problem(response)
    if outcome == CriterionReview.Outcome.NEEDS_EVIDENCE and not note.strip():
        return ValidationError(NOTE_REQUIRED, code="review.E005")
    return None


def _locked_for_review(actor, response: Response) -> Response:
    require_permission(actor, Action.REVIEW_RESPONSE, programme=response.wave.programme)
    return Response.objects.select_for_update().select_related("wave__instrument").get(pk=response.pk)


def _status_problem(response: Response) -> ValidationError | None:
    if response.status in REVIEWABLE_STATUSES:
        return None
    return ValidationError(
        NOT_REVIEWABLE % {"status": response.get_status_display().lower()}, code="review.E004"
    )


def _record_review(actor, response: Response, criterion: str, outcome: str, note: str) -> CriterionReview:
    return CriterionReview.objects.create(
        response=response,
        criterion=criterion,
        outcome=outcome,
        note=note,
        reviewer=_user_or_none(actor),
        at=now_for(actor),
    )


@transaction.atomic(durable=True)
def criterion_review(
    *, actor, response: Response, criterion: str, outcome: str, note: str = ""
) -> CriterionReview:
    """Record a reviewer's outcome for one criterion of an assessment response.

    The new row is both the state (the latest row per criterion counts) and its audit record: rows
    are never updated, so every earlier outcome stays with who decided it and when. Only
    ``accepted`` scores; the city's own "met" answer is a claim.
    """
    response = _locked_for_review(actor, response)
    parsed, criteria = _criteria_of(response)
    problem = _review_problem(parsed, criteria, criterion, outcome, note, response=response)
    if problem is not None:
        raise problem
    return _record_review(actor, response, criterion, outcome, note)


def _review_rows(filename: str, content: bytes) -> list[tuple[int, str, str, str]]:
    """A decisions file read as (row number, criterion, decision, comment), the decision lower-cased;
    a missing ``criterion`` or ``decision`` column is refused (``review.E006``)."""
    frame = files.read_table(content, name=filename)
    missing = [c for c in REVIEW_COLUMNS[:2] if c not in frame.columns]
    if missing:
        raise ValidationError(
            MISSING_REVIEW_COLUMNS % {"file": filename, "columns": " or ".join(missing)}, code="review.E006"
        )
    notes = frame["comment"] if "comment" in frame.columns else [""] * len(frame)
    return [
        (number, criterion.strip(), decision.strip().lower(), note.strip())
        for number, criterion, decision, note in zip(
            range(2, len(frame) + 2), frame["criterion"], frame["decision"], notes, strict=True
        )
    ]


@transaction.atomic(durable=True)
def criteria_review_import(
    *, actor, response: Response, filename: str, content: bytes, row_check=None
) -> list[CriterionReview]:
    """Record many review decisions for one response from a CSV or XLSX file, all or nothing.

    The file has the columns ``criterion``, ``decision`` (accepted, needs_evidence or not_met) and
    ``comment`` (required for needs_evidence), one row per decision, applied in file order with
    the same checks as ``criterion_review``, then ``row_check(response, criterion, decision)`` (a
    caller's own rule, e.g. the assessment's freshness: it raises ``ValidationError``) on the rows
    that pass them. Every bad row is reported at once (``ValidationError`` with one message per
    row) and nothing is written.
    """
    response = _locked_for_review(actor, response)
    parsed, criteria = _criteria_of(response)
    problem = _status_problem(response)
    if problem is not None:
        raise problem
    rows = _review_rows(filename, content)
    problems = []
    for number, criterion, decision, note in rows:
        problem = _review_problem(parsed, criteria, criterion, decision, note)
        if problem is None and row_check is not None:
            try:
                row_check(response, criterion, decision)
            except ValidationError as exc:
                problem = exc
        if problem is not None:
            problems.append(REVIEW_ROW % {"row": number, "problem": " ".join(problem.messages)})
    if problems:
        raise ValidationError(problems)
    user, at = _user_or_none(actor), now_for(actor)
    return CriterionReview.objects.bulk_create(  # one insert, ids in file order
        [
            CriterionReview(response=response, criterion=c, outcome=d, note=n, reviewer=user, at=at)
            for _number, c, d, n in rows
        ]
    )
