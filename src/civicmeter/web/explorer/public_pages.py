"""Whole public pages (snapshot, list of cities, comparison, map, findings) answered from memory
while nothing published has changed.

Why: every visitor gets the same page, so drawing it once per process is enough, and a request then
costs one SQL statement (``published.current()``) and a copy. The key is the site's ``version``:
every published wave's fingerprint (status, validated responses, score runs, consent records, the
city directory) and the outcome figures'. Publishing, unpublishing, validating or returning an
answer, rescoring, a consent change or an outcome import changes it, so the next request draws the
page afresh and an unpublished answer is never served; nothing needs clearing. ``PageCache`` adds
who asks, the language and the full address to the key, keeps only plain 200 answers with no
message waiting, and writes each request's own CSRF token into the page.

The view is handed the very ``Site`` the key was read from and must read published data only
through it: a page kept under a key then shows that key's waves and no other (a wave unpublished
while the page is drawn is not in it). The pages carry no CSP nonce (no inline script: chart specs
are JSON data blocks), so sending a kept page again is safe under the strict policy.
"""

from __future__ import annotations

import functools

from django.conf import settings
from django.utils import translation

from civicmeter.web.collection.fragment_cache import PageCache

from . import published
from .snapshot import build_snapshot

#: Kept pages per server process, least recently used forgotten first: a snapshot is about 50 kB,
#: the map 230 kB and the findings 280 kB (demo), so at most about 70 MB even if every address
#: asked for were a distinct findings page.
PAGES = PageCache(size=256)


def public_page(view):
    """Answer ``view`` from :data:`PAGES`; it is called as ``view(request, *args, site=site,
    extra=extra)`` on a miss and must merge ``extra`` (the CSRF placeholder) into the context of
    the page it draws."""

    @functools.wraps(view)
    def cached(request, *args, **kwargs):
        site = published.current()
        return PAGES.respond(
            request,
            (view.__module__, view.__name__, site.version),
            lambda extra: view(request, *args, site=site, extra=extra, **kwargs),
        )

    return cached


def warm() -> None:
    """Build in a starting server process what its first public pages would otherwise build while
    visitors wait (``civicmeter serve`` calls it before the process takes a request): each published
    survey wave's public data and, by building one snapshot in the default language, the chart
    shapes every snapshot reuses (about half a second of CPU per process for the demo)."""
    site = published.current()
    with translation.override(settings.LANGUAGE_CODE):
        for public in site.survey_waves():
            if public is not None and public.cities:
                build_snapshot(public, next(iter(public.cities)), "all", site.previous(public))
