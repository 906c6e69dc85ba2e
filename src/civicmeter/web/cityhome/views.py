"""The city team page: one place where a city's team (and programme staff) see what follows scoring."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import translation

from civicmeter.web.accounts.permissions import access_city_by_slug
from civicmeter.web.results.explain import city_explanation

from .panels import render_panels


@login_required
def page(request, programme: str, city: str):
    programme_row, city_row = access_city_by_slug(request.user, programme, city)
    return render(
        request,
        "cityhome/page.html",
        {
            "programme": programme_row,
            "city": city_row,
            "panels": render_panels(request, programme_row, city_row),
        },
    )


@login_required
def explain(request, programme: str, city: str, code: str):
    """Why the city scored what it did in one wave, item by item, for the city's own team too (the
    results pages are for programme staff)."""
    programme_row, city_row = access_city_by_slug(request.user, programme, city)
    wave = programme_row.waves.select_related("instrument").filter(code=code).first()
    explanation = city_explanation(wave, city_row.slug, translation.get_language() or "en") if wave else None
    if explanation is None:
        raise Http404("This city has no score in this wave.")
    return render(
        request,
        "cityhome/explain.html",
        {"programme": programme_row, "city": city_row, "wave": wave, "explanation": explanation},
    )
