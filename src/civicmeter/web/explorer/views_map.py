"""The public map of cities with published results, with its table (the same rows, no script).

The whole page is kept per version of the published data (``public_pages``); under it, a wave's
rows are built once per public-data key, outcome data and language."""

from __future__ import annotations

from django.shortcuts import render
from django.templatetags.static import static
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from . import published
from .findings_outcomes import outcomes_key
from .map_filters import MapFilterForm
from .mapdata import map_data, matches
from .memo import KeyedMemo
from .public_pages import public_page

_DATA = KeyedMemo(size=12)


def wave_map_data(wave, public, language: str) -> dict:
    """The wave's map rows in ``language``, kept per public-data and outcome-data key."""
    key = (public.key, *outcomes_key(wave.programme), language)
    return _DATA.get_or_build(key, lambda: map_data(public, wave.programme, language))


def _payload(data: dict, colour: str) -> dict:
    """What map.js reads: rows (with their colours), the colourings and their legends."""
    return {
        "rows": data["rows"],
        "colourings": [{"key": c.key, "label": c.label, "legend": c.legend} for c in data["colourings"]],
        "colour": colour,
    }


def _chosen_wave(site: published.Site, waves: list, code: str) -> tuple:
    """The wave asked for, else the newest published wave with a public city (a wave published
    before any response was validated shows nothing yet, so it is not the default)."""
    asked = [w for w in waves if w.code == code] if code else []
    for wave in asked or waves:
        public = site.wave(wave.pk)
        if public is not None and (public.cities or asked):
            return wave, public
    return None, None


@require_GET
@public_page
def city_map(request, *, site: published.Site, extra: dict):
    waves = site.among(published.published_survey_waves())
    codes = [w.code for w in waves]
    wave, public = _chosen_wave(site, waves, request.GET.get("wave", ""))
    if public is None:
        return render(request, "explorer/map.html", {"nothing": True} | extra)
    language = get_language()
    data = wave_map_data(wave, public, language)
    colourings = [(c.key, c.label) for c in data["colourings"]]
    given = request.GET.copy()
    given.setdefault("wave", wave.code)  # the form shows the wave on the map, asked for or not
    form = MapFilterForm(given, waves=codes, colourings=colourings, choices=data["choices"])
    chosen = form.chosen()
    colour = chosen.get("colour") or (colourings[0][0] if colourings else "")
    rows = [row for row in data["rows"] if matches(row, chosen)]
    current = next((c for c in data["colourings"] if c.key == colour), None)
    context = {
        "form": form,
        "wave": wave,
        "public": public,
        "rows": rows,
        "total": len(data["rows"]),
        "colouring": current,
        "has_data_use": any("data_use_tier" in r["colour"] for r in data["rows"]),
        "payload": _payload(data, colour),
        "world": static("vendor/world-countries-110m.json"),
    }
    status = 400 if request.GET and form.errors else 200
    return render(request, "explorer/map.html", context | extra, status=status)
