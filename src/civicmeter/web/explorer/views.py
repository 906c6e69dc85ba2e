"""The public start page: what has been published, and the way to the map, snapshots and findings."""

from django.shortcuts import render
from django.urls import NoReverseMatch, reverse

from . import published, selectors


def _url(name: str, *args) -> str | None:
    """The address of a public page another part of the site provides, None while it is absent."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def home(request):
    site = published.current()
    waves = [
        {
            "wave": site.wave(row.pk),
            "findings": _url("explorer:findings", row.code) if row.kind == published.SURVEY else None,
        }
        for row in site.rows
    ]
    return render(
        request,
        "explorer/home.html",
        {
            "waves": waves,
            "counts": selectors.city_counts(),
            "map_url": _url("explorer:map"),
        },
    )
