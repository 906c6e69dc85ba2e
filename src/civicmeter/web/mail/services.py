"""Queue, send and resend e-mail. Sending happens in the background worker, never in a request."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import default_task_backend

from civicmeter.web.accounts.permissions import Action, require_permission

from .models import Delivery

#: Attempts before a delivery is marked failed, and the wait before each retry.
RETRY_DELAYS = (timedelta(minutes=1), timedelta(minutes=10), timedelta(hours=1))
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1


def mail_queue(*, kind: str, recipients: list[str], subject: str, body: str, wave=None, city=None):
    """Record a message in the caller's transaction and hand it to the worker once that commits.

    Returns the ``Delivery``, or None when there is nobody to write to.
    """
    recipients = sorted({r for r in recipients if r})
    if not recipients:
        return None
    delivery = Delivery.objects.create(
        kind=kind, recipients=recipients, subject=subject, body=body, wave=wave, city=city
    )
    transaction.on_commit(lambda: _enqueue(delivery.pk))
    return delivery


def _enqueue(delivery_id: int, *, delay: timedelta | None = None) -> None:
    from .tasks import deliver

    task = deliver.using(run_after=timezone.now() + delay) if delay else deliver
    task.enqueue(delivery_id)


def delivery_attempt(delivery_id: int) -> Delivery:
    """Send one delivery now; on failure record the reason and schedule the next try, if any is left.

    Deliberately outside a transaction: the SMTP exchange may take seconds and must not hold a
    database lock (SQLite would block every writer). Only the one worker sends, so no row races.
    """
    delivery = Delivery.objects.get(pk=delivery_id)
    if delivery.status == Delivery.Status.SENT:
        return delivery
    delivery.attempts += 1
    delivery.last_attempt_at = timezone.now()
    try:
        EmailMessage(
            delivery.subject, delivery.body, settings.DEFAULT_FROM_EMAIL, delivery.recipients
        ).send(fail_silently=False)
    except Exception as exc:  # noqa: BLE001 - any transport failure is recorded, never raised
        delivery.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        retry = delivery.attempts < MAX_ATTEMPTS and default_task_backend.supports_defer
        delivery.status = Delivery.Status.QUEUED if retry else Delivery.Status.FAILED
        delivery.save(update_fields=["attempts", "last_attempt_at", "last_error", "status"])
        if retry:
            _enqueue(delivery.pk, delay=RETRY_DELAYS[delivery.attempts - 1])
        return delivery
    delivery.status, delivery.sent_at, delivery.last_error = Delivery.Status.SENT, timezone.now(), ""
    delivery.save(update_fields=["attempts", "last_attempt_at", "last_error", "status", "sent_at"])
    return delivery


@transaction.atomic(durable=True)
def delivery_resend(*, actor, delivery: Delivery) -> Delivery:
    """Try a failed delivery again from the start (programme staff, from the wave dashboard)."""
    if delivery.wave is None:
        raise ValidationError(_("Only e-mail about a wave can be resent from here."))
    require_permission(actor, Action.MANAGE_WAVE, programme=delivery.wave.programme)
    delivery = Delivery.objects.select_for_update().get(pk=delivery.pk)
    if delivery.status != Delivery.Status.FAILED:
        raise ValidationError(_("This e-mail is not marked as failed, so it is not resent."))
    delivery.status, delivery.attempts = Delivery.Status.QUEUED, 0
    delivery.save(update_fields=["status", "attempts"])
    transaction.on_commit(lambda: _enqueue(delivery.pk))
    return delivery
