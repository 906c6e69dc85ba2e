"""Reads for the signed-in user's start page."""

from __future__ import annotations

from django.db.models import QuerySet

from civicmeter.web.collection.models import Response
from civicmeter.web.programmes.models import Wave

from .models import Role


def staff_waves(user) -> QuerySet:
    """Waves of the programmes where ``user`` is an admin or reviewer, newest first."""
    programmes = Role.objects.filter(user=user, kind__in=["admin", "reviewer"]).values("programme")
    waves = Wave.objects.select_related("programme", "instrument").order_by("programme__name", "-code")
    if user.is_superuser:
        return waves
    return waves.filter(programme__in=programmes)


def respondent_assignments(user) -> list[dict]:
    """What a respondent can answer or read: each open or past wave of their programmes, with their
    city's response to it (``None`` before they start)."""
    roles = Role.objects.filter(user=user, kind="respondent").select_related("programme", "city")
    assignments = []
    for role in roles:
        waves = role.programme.waves.exclude(status=Wave.Status.DRAFT).order_by("-code")
        responses = {r.wave_id: r for r in Response.objects.filter(city=role.city, wave__in=waves)}
        assignments += [{"role": role, "wave": w, "response": responses.get(w.pk)} for w in waves]
    return assignments
