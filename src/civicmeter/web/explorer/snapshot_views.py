"""Public city pages: the snapshot (`/cities/<slug>/`), its PDF, the list of cities and the
comparison (`/compare/`). Everything is read through ``published`` and built by ``snapshot``.

Each whole page is kept per version of the published data, visitor, language and address
(``public_pages``), so a repeated request costs the version's one query. Under it, a snapshot's body
is rendered once per fingerprint of the public data, city, peer group and language (a
FragmentCache), which every visitor and address of the same snapshot share.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import get_language, gettext
from django.views.decorators.http import require_GET

from civicmeter.web.collection.fragment_cache import FragmentCache
from civicmeter.web.core.downloads import download

from . import compare as comparing
from . import published
from .public_pages import public_page
from .snapshot import PEER_KINDS, build_snapshot

BODIES = FragmentCache(size=512)
PDFS = FragmentCache(size=64)


@dataclass(frozen=True)
class Chosen:
    """What a snapshot request asks for, checked: the city, its published waves and the one chosen,
    its public data (and the previous wave's) and the peer group kind."""

    city: published.PublicCity
    waves: list[published.PublicWave]
    public: published.PublicWave
    previous: published.PublicWave | None
    kind: str

    @property
    def key(self) -> tuple:
        previous = None if self.previous is None else self.previous.key
        return (self.public.key, previous, self.city.slug, self.kind, get_language())

    def build(self):
        return build_snapshot(self.public, self.city.slug, self.kind, self.previous)


def _notice(request, heading: str, message: str, status: int):
    return render(request, "explorer/notice.html", {"heading": heading, "message": message}, status=status)


def _choose(request, slug: str, site: published.Site) -> Chosen | HttpResponse:
    """The checked choice, or a page saying what is wrong with the address and how to fix it."""
    waves = site.city_waves(slug)
    if not waves:
        message = gettext(
            "No city with the code %(slug)s has published results. Check the address, or find the city "
            "in the list of cities."
        )
        return _notice(request, gettext("No public snapshot"), message % {"slug": slug}, 404)
    city = waves[0].cities[slug]
    code = request.GET.get("wave", "").strip()
    public = waves[0] if not code else next((w for w in waves if w.code == code), None)
    if public is None:
        message = gettext(
            "%(city)s has no published results in wave %(wave)s. Its published waves: %(waves)s."
        )
        values = {"city": city.name, "wave": code, "waves": ", ".join(w.code for w in waves)}
        return _notice(request, gettext("No such wave"), message % values, 404)
    kind = request.GET.get("peers", "all").strip() or "all"
    if kind not in PEER_KINDS or kind not in public.peer_groups(slug):
        message = gettext(
            "%(city)s cannot be compared with the peer group %(group)s: choose all cities, the same "
            "continent or the same population band (a group is offered when the city's continent or "
            "population is known)."
        )
        return _notice(
            request, gettext("No such peer group"), message % {"city": city.name, "group": kind}, 404
        )
    return Chosen(city, waves, public, site.previous(public), kind)


@require_GET
@public_page
def city_snapshot(request, slug: str, *, site: published.Site, extra: dict):
    chosen = _choose(request, slug, site)
    if isinstance(chosen, HttpResponse):
        return chosen

    def body() -> str:
        context = {"s": chosen.build(), "waves": chosen.waves, "print": False}
        return render_to_string("explorer/_snapshot.html", context)

    context = {
        "city": chosen.city,
        "wave": chosen.public,
        "body": BODIES.get_or_render(("page", *chosen.key), body),
    }
    return render(request, "explorer/snapshot.html", context | extra)


@require_GET
def city_snapshot_pdf(request, slug: str):
    chosen = _choose(request, slug, published.current())
    if isinstance(chosen, HttpResponse):
        return chosen
    pdf = PDFS.get_or_render(("pdf", *chosen.key), lambda: snapshot_pdf(chosen.build()))
    filename = f"{chosen.city.slug}-{chosen.public.code}-snapshot.pdf"
    return download(pdf, filename=filename, content_type="application/pdf")


def snapshot_pdf(snapshot) -> bytes:
    """A snapshot drawn as a PDF (WeasyPrint): the same texts and charts, laid out for A4 paper."""
    from weasyprint import HTML  # noqa: PLC0415 - a large library loaded only to draw a PDF

    from .pdf_style import pdf_css

    html = render_to_string("explorer/snapshot_pdf.html", {"s": snapshot, "css": pdf_css(), "print": True})
    return HTML(string=html).write_pdf()


@require_GET
@public_page
def city_list(request, *, site: published.Site, extra: dict):
    """Every city with published results and its newest published PSI index, filtered by name."""
    query = request.GET.get("q", "").strip()
    rows = comparing.city_rows(site, query)
    return render(request, "explorer/cities.html", {"rows": rows, "query": query} | extra)


@require_GET
@public_page
def compare(request, *, site: published.Site, extra: dict):
    """Two to four cities side by side in one published wave (``?cities=a,b,c&wave=2018``)."""
    choice = comparing.parse_choice(request.GET, site)

    def form() -> str:
        context = {"choice": choice, "options": comparing.city_options(site)}
        return render_to_string("explorer/_compare_form.html", context)

    keys = (tuple(r.key for r in site.rows), choice.slugs, choice.wave.code if choice.wave else None)
    form_html = BODIES.get_or_render(("compare-form", *keys, get_language()), form)
    context = {"choice": choice, "form": form_html} | extra
    if choice.problem or not choice.slugs:
        return render(request, "explorer/compare.html", context, status=choice.status)

    def body() -> str:
        return render_to_string("explorer/_compare_table.html", {"t": comparing.comparison(choice)})

    context["body"] = BODIES.get_or_render(("compare", *choice.key, get_language()), body)
    return render(request, "explorer/compare.html", context)
