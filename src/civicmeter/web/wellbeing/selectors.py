"""Reads for outcomes and analyses: match candidates, confirmed names, what a programme holds."""

from __future__ import annotations

import functools
from dataclasses import dataclass

import pandas as pd
import yaml
from django.db.models import Count, Max

from civicmeter.demo.cities import CONTENT, city_slug
from civicmeter.web.programmes.models import City, Programme, Wave

from .models import AnalysisRun, CityNameMapping, OutcomeImportRun, OutcomeValue


@functools.lru_cache(maxsize=1)
def shipped_aliases() -> dict[str, tuple[str, ...]]:
    """Other names of the shipped cities (``content/demo/cities.yaml``), by slug.

    The City table has no alias column; the shipped city list is where local-language names
    ("Brussel", "Athina") are kept, so imports match them without a confirmation.
    """
    entries = yaml.safe_load((CONTENT / "cities.yaml").read_text(encoding="utf-8"))["cities"]
    return {
        city_slug(e["name"], str(e["country"])): tuple(e.get("aliases", ()))
        for e in entries
        if e.get("aliases")
    }


def city_candidates() -> pd.DataFrame:
    """Every stored city as a ``match_cities`` candidate (slug, name, country, region, aliases)."""
    aliases = shipped_aliases()
    rows = [
        {
            "slug": slug,
            "name": name,
            "country": country,
            "region": region,
            "aliases": list(aliases.get(slug, ())),
        }
        for slug, name, country, region in City.objects.values_list("slug", "name", "country", "region")
    ]
    return pd.DataFrame(rows, columns=["slug", "name", "country", "region", "aliases"])


def confirmed_names(programme: Programme) -> dict[tuple[str, str], str]:
    """(source name, country) -> city slug, or "" for a name confirmed as none of our cities."""
    return {
        (m.source_name, m.country): (m.city.slug if m.city else "")
        for m in CityNameMapping.objects.filter(programme=programme).select_related("city")
    }


@dataclass(frozen=True)
class IndicatorHolding:
    code: str
    name: str
    unit: str
    cities: int
    values: int
    latest_period: str
    sources: list[str]


def outcome_holdings(programme: Programme) -> list[IndicatorHolding]:
    """Each indicator the programme has values for: cities, values, latest period, sources."""
    values = OutcomeValue.objects.filter(programme=programme)
    rows = values.values("indicator__code", "indicator__name", "indicator__unit").annotate(
        cities=Count("city", distinct=True), n=Count("id"), latest=Max("period")
    )
    sources: dict[str, set[str]] = {}
    for code, source in values.values_list("indicator__code", "source").distinct():
        sources.setdefault(code, set()).add(source)
    return [
        IndicatorHolding(
            code=r["indicator__code"],
            name=r["indicator__name"],
            unit=r["indicator__unit"],
            cities=r["cities"],
            values=r["n"],
            latest_period=r["latest"],
            sources=sorted(sources.get(r["indicator__code"], ())),
        )
        for r in rows.order_by("indicator__code")
    ]


def recent_imports(programme: Programme, limit: int = 10) -> list[OutcomeImportRun]:
    return list(OutcomeImportRun.objects.filter(programme=programme).select_related("actor")[:limit])


def latest_analysis(wave: Wave) -> AnalysisRun | None:
    return AnalysisRun.objects.filter(wave=wave).select_related("actor").first()
