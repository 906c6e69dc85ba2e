"""Reads for the signed-in user's start page."""

from __future__ import annotations

from django.db.models import QuerySet

from civicmeter.web.programmes.models import Wave

from .models import Role


def staff_waves(user) -> QuerySet:
    """Waves of the programmes where ``user`` is an admin or reviewer, newest first."""
    programmes = Role.objects.filter(user=user, kind__in=["admin", "reviewer"]).values("programme")
    waves = Wave.objects.select_related("programme", "instrument").order_by("programme__name", "-code")
    if user.is_superuser:
        return waves
    return waves.filter(programme__in=programmes)


def respondent_assignments(user) -> list[tuple[Role, Wave]]:
    """(role, wave) pairs a respondent can answer or read: open and past waves of their programmes."""
    pairs = []
    roles = Role.objects.filter(user=user, kind="respondent").select_related("programme", "city")
    for role in roles:
        for wave in role.programme.waves.exclude(status=Wave.Status.DRAFT).order_by("-code"):
            pairs.append((role, wave))
    return pairs
