"""Reads for the signed-in user's start page."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from civicmeter.web.collection.models import Response
from civicmeter.web.programmes.models import Invitation, Wave

from .models import Role


def staff_waves(user) -> QuerySet:
    """Waves of the programmes where ``user`` is an admin or reviewer, newest first."""
    programmes = Role.objects.filter(user=user, kind__in=["admin", "reviewer"]).values("programme")
    waves = Wave.objects.select_related("programme", "instrument").order_by("programme__name", "-code")
    if user.is_superuser:
        return waves
    return waves.filter(programme__in=programmes)


def respondent_assignments(user) -> list[dict]:
    """What a respondent can answer or read: each open or past wave of their programmes that their
    city may answer (see :func:`waves_for_city`), with its response to it (``None`` before they
    start)."""
    roles = Role.objects.filter(user=user, kind="respondent").select_related("programme", "city")
    assignments = []
    for role in roles:
        waves = waves_for_city(role.programme.waves.exclude(status=Wave.Status.DRAFT), role.city)
        waves = waves.order_by("-code")
        responses = {r.wave_id: r for r in Response.objects.filter(city=role.city, wave__in=waves)}
        assignments += [{"role": role, "wave": w, "response": responses.get(w.pk)} for w in waves]
    return assignments


def waves_for_city(waves: QuerySet, city) -> QuerySet:
    """The waves ``city`` is part of: those that invite it, those it already answered, and those that
    invite no city at all (open to every city of the programme). A wave that invites only US cities
    is not shown to Athens."""
    invites_any = Invitation.objects.filter(wave=OuterRef("pk"))
    return waves.filter(~Exists(invites_any) | Q(invitations__city=city) | Q(responses__city=city)).distinct()
