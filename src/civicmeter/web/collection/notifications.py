"""E-mails about a response's change of state, queued in the same transaction as the change.

The background worker sends them (with retries); a failing mail server never fails the change.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from civicmeter.web.accounts.permissions import Action, users_with_permission
from civicmeter.web.mail.models import Delivery
from civicmeter.web.mail.services import mail_queue

from .models import Response


def _absolute(path: str) -> str:
    return settings.CIVICMETER_BASE_URL.rstrip("/") + path


def _send(kind: str, response: Response, recipients, subject: str, body: str) -> None:
    mail_queue(
        kind=kind,
        recipients=[u.email for u in recipients],
        subject=subject,
        body=body,
        wave=response.wave,
        city=response.city,
    )


def response_submitted(response_id: int) -> None:
    response = Response.objects.select_related("wave__programme", "city").get(pk=response_id)
    wave = response.wave
    link = _absolute(reverse("collection:dashboard", args=[wave.programme.slug, wave.code]))
    _send(
        Delivery.Kind.SUBMITTED,
        response,
        users_with_permission(Action.MANAGE_WAVE, programme=wave.programme),
        _("%(city)s submitted the %(wave)s survey") % {"city": response.city.name, "wave": wave.code},
        _("%(city)s has submitted its response. See the wave dashboard: %(link)s")
        % {"city": response.city.name, "link": link},
    )


def response_returned(response_id: int) -> None:
    response = Response.objects.select_related("wave__programme", "city").get(pk=response_id)
    wave = response.wave
    note = response.events.first().note if response.events.exists() else ""
    link = _absolute(reverse("collection:survey", args=[response.pk]))
    _send(
        Delivery.Kind.RETURNED,
        response,
        users_with_permission(Action.EDIT_RESPONSE, programme=wave.programme, city=response.city).filter(
            roles__kind="respondent", roles__city=response.city
        ),
        _("Your %(wave)s survey was returned for changes") % {"wave": wave.code},
        _("Programme staff returned your response with this note:\n\n%(note)s\n\nOpen it here: %(link)s")
        % {"note": note, "link": link},
    )
