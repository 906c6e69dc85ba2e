"""E-mails sent after a response changes state. Called from ``transaction.on_commit`` only."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils.translation import gettext as _

from civicmeter.web.accounts.permissions import Action, users_with_permission

from .models import Response


def _absolute(path: str) -> str:
    return settings.CIVICMETER_BASE_URL.rstrip("/") + path


def _send(recipients, subject: str, body: str) -> None:
    emails = sorted({u.email for u in recipients if u.email})
    if emails:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, emails, fail_silently=False)


def response_submitted(response_id: int) -> None:
    response = Response.objects.select_related("wave__programme", "city").get(pk=response_id)
    wave = response.wave
    link = _absolute(reverse("collection:dashboard", args=[wave.programme.slug, wave.code]))
    _send(
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
        users_with_permission(Action.EDIT_RESPONSE, programme=wave.programme, city=response.city).filter(
            roles__kind="respondent", roles__city=response.city
        ),
        _("Your %(wave)s survey was returned for changes") % {"wave": wave.code},
        _("Programme staff returned your response with this note:\n\n%(note)s\n\nOpen it here: %(link)s")
        % {"note": note, "link": link},
    )
