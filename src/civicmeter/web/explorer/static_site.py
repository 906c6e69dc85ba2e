"""``civicmeter publish``: a published wave's public site as static files any web server can serve.

Every page is rendered by the same views the live site serves (through Django's test client, so
middleware, language choice and templates are the real ones), once per language, then its links
are made relative: ``/cities/lisbon-pt/?wave=2020`` on ``en/index.html`` becomes
``cities/lisbon-pt/index.html``. What needs the server is left out or replaced: the sign-in link,
the language form (links to the same page in the other languages instead), search forms, and links
to pages the static site does not hold (another wave, the comparison form: its data is in
``data/``). Each page carries the live site's Content-Security-Policy as a ``<meta>`` element, so it
behaves the same from any server. Only the published layer is read (``published.py``), so a draft,
returned or unpublished answer cannot reach the files.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import multiprocessing
import os
import posixpath
import re
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from django import db
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import translation

from civicmeter.charts import without_svg
from civicmeter.web.programmes.models import Wave

from . import published, site_worker
from .static_data import data_page, write_data

#: Static files the public pages use (the rest, e.g. the admin's, stay out of the site).
STATIC_PREFIXES = ("civicmeter/", "vendor/", "charts/", "explorer/")
#: A quoted root-relative URL in HTML or in a JSON data block: the candidates for rewriting.
ROOT_URL = re.compile(r"""(?P<q>["'])(?P<url>/(?!/)[^"'\s<>]*)(?P=q)""")
LINK = re.compile(r"<a\b([^>]*?)\bhref=\"#civicmeter-drop\"([^>]*)>(.*?)</a>", re.S)
LANGUAGE_FORM = re.compile(r'<form action="[^"]*/i18n/setlang/".*?</form>', re.S)
SIGN_IN = re.compile(r'<li><a href="/accounts/[^"]*">.*?</a></li>', re.S)
GET_FORM = re.compile(r'<form method="get"(?![^>]*id="map-filters").*?</form>', re.S)
HX_HEADERS = re.compile(r"\s*hx-headers='[^']*'")
CSRF_INPUT = re.compile(r'<input type="hidden" name="csrfmiddlewaretoken"[^>]*>')


class PublishError(LookupError):
    """The wave cannot be published as a site (not published, or no city is public)."""


@dataclass(frozen=True)
class Page:
    """One file of the site: the live URL it is rendered from and where it is written."""

    url: str
    path: str
    language: str
    pdf: bool = False


@dataclass
class SiteReport:
    pages: int = 0
    pdfs: int = 0
    data_files: int = 0
    static_files: int = 0
    dropped_links: set[str] = field(default_factory=set)


class Router:
    """Where a live URL lives in the static site, for one wave and its public cities."""

    def __init__(self, wave: Wave, cities: set[str], languages: tuple[str, ...], pdfs: bool):
        self.code, self.cities, self.languages, self.pdfs = wave.code, cities, languages, pdfs

    def target(self, url: str, language: str) -> str | None:
        parts = urlsplit(url)
        path, query = parts.path, parse_qs(parts.query)
        if path.startswith(settings.STATIC_URL if settings.STATIC_URL.startswith("/") else "/static/"):
            return "static/" + path.split("/", 2)[2]
        if query.get("wave", [self.code])[0] != self.code:
            return None
        page = self._page(path.strip("/").split("/") if path.strip("/") else [])
        return None if page is None else f"{language}/{page}"

    def _page(self, segments: list[str]) -> str | None:
        match segments:
            case [] | ["map"]:
                return "index.html"
            case ["findings"] | ["findings", self.code]:
                return "findings/index.html"
            case ["findings", self.code, "findings.pdf"] if self.pdfs:
                return "findings/findings.pdf"
            case ["cities"]:
                return "cities/index.html"
            case ["cities", slug] if slug in self.cities:
                return f"cities/{slug}/index.html"
            case ["cities", slug, "snapshot.pdf"] if slug in self.cities and self.pdfs:
                return f"cities/{slug}/snapshot.pdf"
            case ["compare"]:
                return "data/index.html"
        return None


def plan(wave: Wave, public: published.PublicWave, languages: tuple[str, ...], pdfs: bool) -> list[Page]:
    """Every page of the site, in the order they are rendered (small pages first)."""
    code = wave.code
    pages = []
    for language in languages:
        pages += [
            Page(f"{reverse('explorer:map')}?wave={code}", f"{language}/index.html", language),
            Page(reverse("explorer:findings", args=[code]), f"{language}/findings/index.html", language),
            Page(reverse("explorer:cities"), f"{language}/cities/index.html", language),
        ]
        pages += [
            Page(
                f"{reverse('explorer:snapshot', args=[slug])}?wave={code}",
                f"{language}/cities/{slug}/index.html",
                language,
            )
            for slug in public.cities
        ]
    if pdfs:
        for language in languages:
            pages.append(
                Page(
                    reverse("explorer:findings_pdf", args=[code]),
                    f"{language}/findings/findings.pdf",
                    language,
                    pdf=True,
                )
            )
            pages += [
                Page(
                    f"{reverse('explorer:snapshot_pdf', args=[slug])}?wave={code}",
                    f"{language}/cities/{slug}/snapshot.pdf",
                    language,
                    pdf=True,
                )
                for slug in public.cities
            ]
    return pages


def _relative(target: str, page: str) -> str:
    anchor = ""
    if "#" in target:
        target, anchor = target.split("#", 1)
        anchor = "#" + anchor
    return posixpath.relpath(target, posixpath.dirname(page) or ".") + anchor


def _language_links(page: Page, languages: tuple[str, ...]) -> str:
    """The language form's replacement: the same page in each language, the current one marked."""
    with translation.override(page.language):
        label = translation.gettext("Language")
    items = []
    for code, name in settings.LANGUAGES:
        if code not in languages:
            continue
        other = page.path.replace(f"{page.language}/", f"{code}/", 1)
        current = ' aria-current="page"' if code == page.language else ""
        items.append(
            f'<li><a href="{_relative(other, page.path)}" lang="{code}" hreflang="{code}"{current}>'
            f"{name}</a></li>"
        )
    return (
        f'<nav class="language" aria-label="{label}"><ul class="language-links">{"".join(items)}</ul></nav>'
    )


def _csp_meta() -> str:
    """The live policy as a meta element (``frame-ancestors`` only works as a header, so it is left out)."""
    rules = [r.strip() for r in settings.CONTENT_SECURITY_POLICY.split(";") if r.strip()]
    kept = "; ".join(r for r in rules if not r.startswith("frame-ancestors"))
    return f'<meta http-equiv="Content-Security-Policy" content="{kept}">'


def rewrite(html: str, page: Page, router: Router, report: SiteReport) -> str:
    """Make one rendered page work as a file of the site (see the module's docstring)."""
    html = SIGN_IN.sub("", html)
    html = LANGUAGE_FORM.sub(lambda _m: _language_links(page, router.languages), html)
    html = GET_FORM.sub("", html)
    html = HX_HEADERS.sub("", html)
    html = CSRF_INPUT.sub("", html)
    html = html.replace('<meta charset="utf-8">', '<meta charset="utf-8">\n  ' + _csp_meta(), 1)

    def link(match: re.Match) -> str:
        url = match.group("url").replace("&amp;", "&")
        target = router.target(url, page.language)
        if target is None:
            report.dropped_links.add(url)
            return f"{match.group('q')}#civicmeter-drop{match.group('q')}"
        return f"{match.group('q')}{_relative(target, page.path)}{match.group('q')}"

    html = ROOT_URL.sub(link, html)
    return LINK.sub(lambda m: f"<span>{m.group(3)}</span>", html)


def copy_static(out: Path) -> int:
    """The static files the pages use, from wherever the finders find them."""
    copied = 0
    for finder in finders.get_finders():
        for path, storage in finder.list([]):
            if not path.startswith(STATIC_PREFIXES):
                continue
            target = out / "static" / path
            if target.exists():
                continue  # the first finder wins, as when serving
            target.parent.mkdir(parents=True, exist_ok=True)
            with storage.open(path) as source, open(target, "wb") as sink:
                shutil.copyfileobj(source, sink)
            copied += 1
    return copied


def write_index(out: Path, languages: tuple[str, ...]) -> None:
    """The site's root: the first language's map, with a link to each language for a reader
    whose browser does not follow the refresh."""
    first = languages[0]
    names = dict(settings.LANGUAGES)
    links = "".join(
        f'<li><a href="{code}/index.html" lang="{code}">{names[code]}</a></li>' for code in languages
    )
    (out / "index.html").write_text(
        f'<!DOCTYPE html>\n<html lang="{first}"><head><meta charset="utf-8">{_csp_meta()}'
        f'<meta http-equiv="refresh" content="0; url={first}/index.html"><title>Civicmeter</title>'
        # named, so a browser does not ask the server for /favicon.ico (a 404 on a plain static server)
        '<link rel="icon" href="static/civicmeter/favicon.svg" type="image/svg+xml"></head>'
        f"<body><ul>{links}</ul></body></html>\n",
        encoding="utf-8",
    )


def _svg_free(page: Page) -> bool:
    """A city's snapshot page (``<language>/cities/<slug>/index.html``): the bulk of the site, drawn
    without SVG (its charts are left to the browser), so rendering it never starts vl-convert."""
    return not page.pdf and page.path.count("/") == 3


def _render(client: Client, page: Page, router: Router, out: Path, report: SiteReport) -> None:
    """Render one page through the live view and write it; a city's snapshot page is left for the
    browser to draw its charts (its table shows without script), every other page and PDF draws
    them as SVG on the server."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = page.language
    with without_svg() if _svg_free(page) else contextlib.nullcontext():
        response = client.get(page.url)
    if response.status_code != 200:
        raise PublishError(f"{page.url} answered {response.status_code} in {page.language}")
    target = out / page.path
    target.parent.mkdir(parents=True, exist_ok=True)
    if page.pdf:
        target.write_bytes(response.content)
        report.pdfs += 1
    else:
        target.write_text(rewrite(response.content.decode(), page, router, report), encoding="utf-8")
        report.pages += 1


@functools.cache
def _client() -> Client:
    """The process's one client: its first request loads the middleware (WhiteNoise lists every
    static file, about 50 ms), which a client per job repeated for each of 1,000 cities' jobs."""
    return Client(raise_request_exception=False)  # a failing page is reported by its address


def render_chunk(job: tuple[list[Page], Router, str]) -> SiteReport:
    """A worker's share of the pages (in a worker process: its own database connection)."""
    pages, router, out = job
    report = SiteReport()
    with override_settings(**LIVE_VIEW):
        client = _client()
        for page in pages:
            _render(client, page, router, Path(out), report)
    return report


def _merge(total: SiteReport, part: SiteReport) -> None:
    total.pages += part.pages
    total.pdfs += part.pdfs
    total.dropped_links |= part.dropped_links


def _workers(requested: int | None) -> int:
    if requested is not None:
        return max(1, requested)
    return max(1, min(len(os.sched_getaffinity(0)), 8))


#: How the static build reaches the live views: as a local client, whatever the deployment says.
LIVE_VIEW = {"ALLOWED_HOSTS": ["testserver"], "SECURE_SSL_REDIRECT": False, "DEBUG": False}
CHUNK = 25  # pages per job: small enough for a smooth progress bar, large enough to amortise a job


def _pool(workers: int, pages: list[Page]):
    """The worker processes for ``pages``. Forked from this one when every page is SVG-free (the
    snapshots without PDFs, on Linux): a child then starts with Django set up and the wave's public
    data, tallies and chart shapes already built, where a spawned worker spends about 4 s of CPU on
    them before its first page. Pages that draw SVG need fresh (spawned) processes: vl-convert runs
    threads, which a fork does not copy, and its state in the child would wait on them forever."""
    if sys.platform.startswith("linux") and all(_svg_free(p) for p in pages):
        db.connections.close_all()  # each child opens its own connection
        gc.freeze()  # the children's collections skip (and so do not copy) what they inherit
        try:
            return multiprocessing.get_context("fork").Pool(workers)
        finally:
            gc.unfreeze()
    return multiprocessing.get_context("spawn").Pool(workers, initializer=site_worker.start)


def render_pages(
    pages: list[Page], router: Router, out: Path, *, workers: int, on_step: Callable[[str], None]
) -> SiteReport:
    """Render ``pages`` with ``workers`` processes, so a 1,000-city site uses every core. With PDFs:
    the first page of each kind here (so a page that fails, fails at once), the rest in spawned
    workers. Without: the first snapshot here (forked workers inherit what it built), the other
    snapshots in the workers and, meanwhile, the maps, findings and city lists here."""
    report = SiteReport()
    if any(p.pdf for p in pages):
        first = {p.path.split("/", 1)[1].split("/")[0] + str(p.pdf): p for p in reversed(pages)}
        warm, here = list(first.values()), []
        warmed = set(warm)
        pooled = [p for p in pages if p not in warmed]
    else:
        snapshots = [p for p in pages if _svg_free(p)]
        warm, pooled, here = snapshots[:1], snapshots[1:], [p for p in pages if not _svg_free(p)]
    _merge(report, render_chunk((warm, router, str(out))))
    for page in warm:
        on_step(page.path)
    jobs = [(pooled[i : i + CHUNK], router, str(out)) for i in range(0, len(pooled), CHUNK)]
    if workers == 1 or len(jobs) < 2:
        results = map(render_chunk, [(here, router, str(out)), *jobs])
        pool = None
    else:
        pool = _pool(min(workers, len(jobs)), pooled)
        results = pool.imap_unordered(site_worker.render, jobs)
    try:
        if pool is not None and here:
            _merge(report, render_chunk((here, router, str(out))))
            for page in here:
                on_step(page.path)
        for part in results:
            _merge(report, part)
            for _ in range(part.pages + part.pdfs):
                on_step("")
    except BaseException:
        if pool is not None:
            pool.terminate()
        raise
    finally:
        if pool is not None:
            pool.close()
            pool.join()
    return report


def build_site(
    wave: Wave,
    out: Path,
    *,
    languages: tuple[str, ...],
    pdfs: bool = True,
    workers: int | None = None,
    on_start: Callable[[int], None] = lambda total: None,
    on_step: Callable[[str], None] = lambda path: None,
) -> SiteReport:
    """Write the site of ``wave`` into ``out``: pages per language, PDFs, data, static files."""
    public = published.public_wave(wave)
    if public is None:
        raise PublishError(
            f"wave {wave.code} of {wave.programme.slug} is not published; publish it first "
            f"(civicmeter wave publish --wave {wave.code})"
        )
    if not public.cities:
        raise PublishError(f"wave {wave.code} has no validated response, so no city is public yet")
    out.mkdir(parents=True, exist_ok=True)
    router = Router(wave, set(public.cities), languages, pdfs)
    pages = plan(wave, public, languages, pdfs)
    on_start(len(pages) + 2)
    report = render_pages(pages, router, out, workers=_workers(workers), on_step=on_step)
    resources = write_data(wave, public, out, languages)
    report.data_files = len(resources) + 2
    for language in languages:
        page = Page("", f"{language}/data/index.html", language)
        html = data_page(public, resources, language)
        (out / page.path).parent.mkdir(parents=True, exist_ok=True)
        (out / page.path).write_text(rewrite(html, page, router, report), encoding="utf-8")
    on_step("data/")
    report.static_files = copy_static(out)
    write_index(out, languages)
    on_step("static/")
    return report
