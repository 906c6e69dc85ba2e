"""The API's public tables as rows, built only from ``explorer.published`` (the one public read layer).

One function per table (waves, cities, results, answer shares, peer groups). The CSV, XLSX and
Data Package downloads (``tables.py``) use the same rows, so a file and the API never disagree.
Rows of one published wave are kept per fingerprint of what is public (``PublicWave.key``): a
change to the published data changes the key, so nothing stale is served and nothing needs clearing.
"""

from __future__ import annotations

from civicmeter.narrative.peers import CONTINENTS, PeerGroup, band_of
from civicmeter.web.explorer import published
from civicmeter.web.explorer.memo import KeyedMemo
from civicmeter.web.programmes.models import Wave, WaveEvent

from .rowset import RowSet

#: ISO-style continent codes (as ``published.continent_of`` gives them) and their English names.
CONTINENT_NAMES = {
    "AF": "Africa",
    "AN": "Antarctica",
    "AS": "Asia",
    "EU": "Europe",
    "NA": "North America",
    "OC": "Oceania",
    "SA": "South America",
}


def continent_code(value: str) -> str | None:
    """``EU`` for ``EU``, ``eu`` or ``Europe``; None for anything else."""
    wanted = value.strip().lower()
    for code, name in CONTINENT_NAMES.items():
        if wanted in (code.lower(), name.lower()):
            return code
    return None


_ROWS = KeyedMemo(size=64)  # rows per (table, public-wave key[, peer group])


def public_waves(programme: str | None = None, code: str | None = None) -> list[published.PublicWave]:
    """The public view of every published wave (of ``programme``, with ``code``, when given), from
    one reading of what is public now (``published.current``, a few queries for all waves)."""
    site = published.current()
    return [
        site.wave(row.pk)
        for row in site.rows
        if programme in (None, row.programme_slug) and code in (None, row.code)
    ]


def published_at(wave_ids: list[int]) -> dict[int, object]:
    """When each wave was last published (its newest publishing event), by wave id."""
    events = WaveEvent.objects.filter(wave_id__in=wave_ids, to_status=Wave.Status.PUBLISHED)
    latest: dict[int, object] = {}
    for wave_id, at in events.order_by("at").values_list("wave_id", "at"):
        latest[wave_id] = at
    return latest


def score_components(score: published.PublicScore) -> list[dict]:
    """A score's components as the API, the files and the static site give them: code, name,
    points and maximum (the stored raw points are not among the published fields)."""
    return [{field: c[field] for field in ("code", "name", "points", "max")} for c in score.components]


def _city_facts(city: published.PublicCity) -> dict:
    return {
        "city": city.slug,
        "name": city.name,
        "country": city.country,
        "continent": city.continent,
        "synthetic": city.synthetic,
    }


def city_rows(wave: published.PublicWave) -> RowSet:
    def build():
        return [
            {
                "programme": wave.programme_slug,
                "wave": wave.code,
                **_city_facts(city),
                "region": city.region,
                "population": city.population,
                "population_year": city.population_year,
                "latitude": city.latitude,
                "longitude": city.longitude,
                "profile": dict(city.profile),
            }
            for city in wave.cities.values()
        ]

    return RowSet(_ROWS.get_or_build(("cities", wave.key), build))


def own_run(wave: published.PublicWave) -> published.PublicRun | None:
    """The score run a wave publishes as its own: PSI for a survey wave, data use for an assessment
    wave (a survey wave's paired data-use scores are the assessment wave's, listed under it)."""
    return wave.psi if wave.kind == "survey" else wave.data_use


def result_rows(wave: published.PublicWave) -> RowSet:
    def build():
        run = own_run(wave)
        if run is None:
            return []
        rows = []
        for slug, score in run.scores.items():
            city = wave.cities.get(slug)
            if city is None:
                continue
            rows.append(
                {
                    "programme": wave.programme_slug,
                    "wave": wave.code,
                    **_city_facts(city),
                    "index": run.recipe,
                    "recipe_version": run.recipe_version,
                    "score": score.index,
                    "share": score.share,
                    "score_class": score.score_class,
                    "tier": score.tier,
                    "rank": score.rank,
                    "rank_p5": score.rank_p5,
                    "rank_median": score.rank_median,
                    "rank_p95": score.rank_p95,
                    "components": score_components(score),
                }
            )
        return sorted(rows, key=lambda r: (r["rank"], r["city"]))

    return RowSet(_ROWS.get_or_build(("results", wave.key), build))


def peer_groups(wave: published.PublicWave) -> dict[str, PeerGroup]:
    """Every peer group of the wave's public cities by code: all, each continent, each population
    band (the groups ``narrative.peer_groups`` gives its cities, found in one pass)."""
    continents: dict[str, set[str]] = {}
    bands: dict[tuple, set[str]] = {}
    for slug, city in wave.cities.items():
        if city.continent in CONTINENTS:
            continents.setdefault(city.continent, set()).add(slug)
        if isinstance(city.population, int):
            bands.setdefault(band_of(city.population), set()).add(slug)
    groups = [PeerGroup("all", frozenset(wave.cities))]
    groups += [PeerGroup("continent", frozenset(m), continent=c) for c, m in sorted(continents.items())]
    groups += [PeerGroup("population_band", frozenset(m), band=b) for b, m in sorted(bands.items())]
    return {group.code: group for group in groups}


def share_rows(wave: published.PublicWave, group: PeerGroup) -> RowSet:
    def build():
        label = wave.instrument.label
        return [
            {
                "programme": wave.programme_slug,
                "wave": wave.code,
                "peer_group_size": len(group.members),
                "label": label(row["question"]),
                **row,
            }
            for row in wave.answer_shares(group)
        ]

    return RowSet(_ROWS.get_or_build(("shares", wave.key, group.code), build))
