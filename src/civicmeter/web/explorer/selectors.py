"""Public reads for the start page that are not about answers: the size of the city directory."""

from __future__ import annotations

from civicmeter.web.programmes.models import City


def city_counts() -> dict:
    cities = City.objects.all()
    return {
        "cities": cities.count(),
        "countries": cities.values("country").distinct().count(),
        "synthetic": cities.filter(synthetic=True).count(),
    }
