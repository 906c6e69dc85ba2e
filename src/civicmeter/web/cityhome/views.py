"""The city team page: one place where a city's team (and programme staff) see what follows scoring."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from civicmeter.web.accounts.permissions import access_city_by_slug

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
