"""Use cases for programmes: instruments, waves, cities and invitations.

Keyword-only arguments with ``actor``; permission checks inside; e-mail deferred until commit.
"""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civicmeter import instruments
from civicmeter.web.accounts.models import Role
from civicmeter.web.accounts.permissions import (
    SYSTEM,
    Action,
    require_instrument_admin,
    require_permission,
)

from .models import City, Instrument, Invitation, Wave


@transaction.atomic(durable=True)
def instrument_register(
    *, actor, filename: str, content: bytes, kind: str = Instrument.Kind.SURVEY
) -> Instrument:
    """Store a validated XLSForm workbook as a new instrument version.

    Re-registering the same bytes returns the existing row; different bytes under a version that a
    wave already uses are refused, because published results must stay traceable to their file.
    """
    require_instrument_admin(actor)
    parsed = instruments.load_instrument(content)
    sha256 = hashlib.sha256(content).hexdigest()
    existing = Instrument.objects.filter(form_id=parsed.form_id, version=parsed.version).first()
    if existing is not None:
        if existing.sha256 == sha256:
            return existing
        if existing.waves.exists():
            raise ValidationError(
                _(
                    "Instrument %(form)s version %(version)s is used by a wave and cannot change. "
                    "Give the edited workbook a new version in its settings sheet."
                )
                % {"form": parsed.form_id, "version": parsed.version}
            )
        existing.content, existing.sha256, existing.filename = content, sha256, filename
        existing.title = parsed.text(parsed.title)
        existing.save(update_fields=["content", "sha256", "filename", "title"])
        return existing
    return Instrument.objects.create(
        form_id=parsed.form_id,
        version=parsed.version,
        title=parsed.text(parsed.title),  # the default language's title; the rest are in the workbook
        kind=kind,
        filename=filename,
        content=content,
        sha256=sha256,
    )


@transaction.atomic(durable=True)
def wave_set_status(*, actor, wave: Wave, status: str) -> Wave:
    require_permission(actor, Action.MANAGE_WAVE, programme=wave.programme)
    if status not in Wave.Status.values:
        raise ValidationError(_("Unknown wave status %(status)s.") % {"status": status})
    wave.status = status
    wave.save(update_fields=["status"])
    return wave


NOT_ASSESSMENT_WAVE = gettext_lazy(
    "[wave.E001] Wave %(wave)s uses a questionnaire; only an assessment wave is paired with a "
    "survey wave."
)
NOT_SURVEY_WAVE = gettext_lazy(
    "[wave.E002] Wave %(wave)s is not a survey wave of programme %(programme)s; pair the assessment "
    "with a survey wave of its own programme."
)
ALREADY_PAIRED = gettext_lazy(
    "[wave.E003] Survey wave %(wave)s is already paired with assessment wave %(other)s; unpair that "
    "one first."
)


@transaction.atomic(durable=True)
def wave_pair(*, actor, assessment_wave: Wave, survey_wave: Wave | None) -> Wave:
    """Show ``assessment_wave``'s data-use scores in ``survey_wave``'s results table (None unpairs).

    A survey wave has at most one paired assessment wave, of the same programme; the indexes stay
    separate columns and are never compared.
    """
    require_permission(actor, Action.MANAGE_WAVE, programme=assessment_wave.programme)
    if assessment_wave.instrument.kind != Instrument.Kind.ASSESSMENT:
        raise ValidationError(NOT_ASSESSMENT_WAVE % {"wave": assessment_wave.code}, code="wave.E001")
    if survey_wave is not None:
        if (
            survey_wave.programme_id != assessment_wave.programme_id
            or survey_wave.instrument.kind != Instrument.Kind.SURVEY
        ):
            raise ValidationError(
                NOT_SURVEY_WAVE
                % {"wave": survey_wave.code, "programme": assessment_wave.programme.slug},
                code="wave.E002",
            )
        other = Wave.objects.filter(pairs_with=survey_wave).exclude(pk=assessment_wave.pk).first()
        if other is not None:
            raise ValidationError(
                ALREADY_PAIRED % {"wave": survey_wave.code, "other": other.code}, code="wave.E003"
            )
    assessment_wave.pairs_with = survey_wave
    assessment_wave.save(update_fields=["pairs_with"])
    return assessment_wave


def _invitation_link(token: str) -> str:
    return settings.CIVICMETER_BASE_URL.rstrip("/") + reverse("accounts:invitation", args=[token])


def _queue_invitation_email(invitation: Invitation, *, reminder: bool) -> None:
    """Record the invitation (or reminder) e-mail in the caller's transaction; the worker sends it."""
    from civicmeter.web.mail.models import Delivery
    from civicmeter.web.mail.services import mail_queue

    wave = invitation.wave
    context = {
        "city": invitation.city.name,
        "programme": wave.programme.name,
        "wave": wave.code,
        "link": _invitation_link(invitation.token),
        "closes": wave.closes_on.isoformat() if wave.closes_on else _("the end of the wave"),
    }
    subject = (
        _("Reminder: %(programme)s %(wave)s survey for %(city)s")
        if reminder
        else _("%(programme)s: you are invited to answer the %(wave)s survey for %(city)s")
    )
    body = _(
        "%(programme)s invites %(city)s to answer its %(wave)s survey.\n\n"
        "Open this link to sign in and start (answers are saved as you type, so you can leave and "
        "come back): %(link)s\n\nPlease submit by %(closes)s."
    )
    mail_queue(
        kind=Delivery.Kind.REMINDER if reminder else Delivery.Kind.INVITATION,
        recipients=[invitation.email],
        subject=subject % context,
        body=body % context,
        wave=wave,
        city=invitation.city,
    )


@transaction.atomic(durable=True)
def invitation_send(*, actor, wave: Wave, city: City, email: str) -> Invitation:
    """Invite a city to a wave by e-mail; the link lets its respondent sign in and answer."""
    require_permission(actor, Action.MANAGE_WAVE, programme=wave.programme)
    invitation, created = Invitation.objects.get_or_create(
        wave=wave,
        city=city,
        email=email.strip().lower(),
        defaults={
            "token": secrets.token_urlsafe(32),
            "sent_at": timezone.now(),
            "invited_by": None if actor is SYSTEM else actor,
        },
    )
    if created:
        _queue_invitation_email(invitation, reminder=False)
    return invitation


@transaction.atomic(durable=True)
def invitation_remind(*, actor, wave: Wave, city_ids: list[int] | None = None) -> int:
    """Remind invited cities that have not submitted yet. Returns how many e-mails were queued."""
    require_permission(actor, Action.MANAGE_WAVE, programme=wave.programme)
    from civicmeter.web.collection.models import Response

    done = Response.objects.filter(
        wave=wave, status__in=[Response.Status.SUBMITTED, Response.Status.VALIDATED]
    ).values_list("city_id", flat=True)
    pending = wave.invitations.exclude(city_id__in=list(done))
    if city_ids is not None:
        pending = pending.filter(city_id__in=city_ids)
    now = timezone.now()
    pending = list(pending.select_related("wave__programme", "city"))
    for invitation in pending:
        invitation.reminded_at = now
        invitation.reminder_count += 1
        invitation.save(update_fields=["reminded_at", "reminder_count"])
        _queue_invitation_email(invitation, reminder=True)
    return len(pending)


INVALID_INVITATION = gettext_lazy("This invitation link is not valid. Ask programme staff for a new one.")
USED_INVITATION = gettext_lazy(
    "This invitation link has already been used by another account. Ask programme staff to invite "
    "you with your own e-mail address."
)


WRONG_ACCOUNT = gettext_lazy(
    "This invitation was sent to %(email)s, which is not the address of the account you are signed in "
    "with. Sign in with the account that uses it, or ask programme staff to invite your own address."
)


def _usable_invitation(token: str, user=None) -> Invitation:
    """The invitation behind ``token``, locked; a link works for one account only."""
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("wave__programme", "city")
        .filter(token=token)
        .first()
    )
    if invitation is None:
        raise ValidationError(INVALID_INVITATION)
    if invitation.accepted_by_id is not None and (user is None or invitation.accepted_by_id != user.pk):
        raise ValidationError(USED_INVITATION)
    return invitation


def _accept(invitation: Invitation, user) -> Invitation:
    Role.objects.get_or_create(
        user=user, programme=invitation.wave.programme, kind=Role.Kind.RESPONDENT, city=invitation.city
    )
    if invitation.accepted_at is None:
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
    return invitation


@transaction.atomic(durable=True)
def invitation_accept(*, actor, token: str) -> Invitation:
    """Give the signed-in user the respondent role for the invited city.

    Only the account whose e-mail is the invited address may accept: a link forwarded to, or opened
    by, anyone else grants nothing. (A person without an account creates one from the link with
    ``invitation_signup``, which takes the address from the invitation.)
    """
    if not getattr(actor, "is_authenticated", False) or actor is SYSTEM:
        raise ValidationError(_("Sign in before accepting an invitation."))
    invitation = _usable_invitation(token, actor)
    if (actor.email or "").strip().lower() != invitation.email.strip().lower():
        raise ValidationError(WRONG_ACCOUNT % {"email": invitation.email})
    return _accept(invitation, actor)


@transaction.atomic(durable=True)
def invitation_signup(*, token: str, username: str, password: str):
    """Create an account from an unused invitation (e-mail taken from it) and accept it.

    The caller has validated the username and password (Django's ``UserCreationForm``); the
    invitation's single use is what authorises creating the account.
    """
    invitation = _usable_invitation(token)
    user = get_user_model().objects.create_user(username=username, email=invitation.email, password=password)
    _accept(invitation, user)
    return user, invitation
