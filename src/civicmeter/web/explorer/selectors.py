"""Public reads: only published or aggregate facts, never a draft answer."""

from __future__ import annotations

from django.db.models import Count, Q

from civicmeter.web.collection.models import Response
from civicmeter.web.programmes.models import City, Programme


def programme_overview() -> list[dict]:
    """Per programme: its waves with the number of cities invited and responses submitted."""
    done = [Response.Status.SUBMITTED, Response.Status.VALIDATED]
    overview = []
    for programme in Programme.objects.prefetch_related("waves"):
        waves = programme.waves.annotate(
            invited=Count("invitations__city", distinct=True),
            submitted=Count("responses", filter=Q(responses__status__in=done), distinct=True),
        ).order_by("code")
        overview.append({"programme": programme, "waves": list(waves)})
    return overview


def city_counts() -> dict:
    cities = City.objects.all()
    return {
        "cities": cities.count(),
        "countries": cities.values("country").distinct().count(),
        "synthetic": cities.filter(synthetic=True).count(),
    }
