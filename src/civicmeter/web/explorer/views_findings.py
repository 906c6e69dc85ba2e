"""Public findings pages: a published wave's aggregate charts, on the web and as one PDF (the
page kept whole per version of the published data, ``public_pages``)."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from civicmeter.web.core.downloads import download

from . import published
from .findings import wave_findings
from .findings_outcomes import outcome_charts, outcome_groups
from .public_pages import public_page


def _wave_or_404(request, code: str, site: published.Site):
    """The published wave ``code`` (``?programme=`` picks one when two programmes share a code)."""
    wave = published.find_published_wave(request.GET.get("programme") or None, code)
    public = site.wave(wave.pk) if wave is not None else None
    if public is None:
        raise Http404("no published wave with this code")
    return wave, public


def findings_context(wave, public, language: str, site: published.Site) -> dict:
    """Everything the findings page and its PDF show, computed once per public-data key."""
    cities = public.cities.values()
    return {
        "wave": wave,
        "public": public,
        "findings": wave_findings(public, language),
        "outcome_charts": [
            {"id": f"outcomes-{i}", "chart": chart}
            for i, chart in enumerate(outcome_charts(outcome_groups(public, wave), language), start=1)
        ],
        "language": language,
        "n_cities": len(public.cities),
        "n_synthetic": sum(1 for c in cities if c.synthetic),
        "waves": [
            w for w in site.among(published.published_survey_waves()) if w.programme_id == wave.programme_id
        ],
    }


@require_GET
def findings_latest(request):
    """``/findings/``: the newest published survey wave's findings."""
    for wave in published.published_survey_waves():
        public = published.public_wave(wave)
        if public is not None and public.cities:
            return redirect("explorer:findings", code=wave.code)
    raise Http404("no published wave with a public city")


@require_GET
@public_page
def findings(request, code: str, *, site: published.Site, extra: dict):
    wave, public = _wave_or_404(request, code, site)
    context = findings_context(wave, public, get_language(), site)
    context["pdf_url"] = reverse("explorer:findings_pdf", args=[wave.code])
    return render(request, "explorer/findings.html", context | extra)


@require_GET
def findings_pdf(request, code: str):
    site = published.current()
    wave, public = _wave_or_404(request, code, site)
    pdf = findings_pdf_bytes(wave, public, get_language(), site)
    filename = f"findings-{wave.programme.slug}-{wave.code}.pdf"
    return download(pdf, filename=filename, content_type="application/pdf")


def findings_pdf_bytes(wave, public, language: str, site: published.Site) -> bytes:
    """The findings drawn as a PDF (WeasyPrint) with the same charts as SVG, kept per key."""
    key = ("findings-pdf", public.key, language)
    cached = _PDFS.get(key)
    if cached is None:
        from weasyprint import HTML  # noqa: PLC0415 - a large library loaded only to draw a PDF

        from .pdf_style import pdf_css

        context = findings_context(wave, public, language, site) | {"css": pdf_css(), "print": True}
        cached = HTML(string=render_to_string("explorer/findings_pdf.html", context)).write_pdf()
        _PDFS[key] = cached
        while len(_PDFS) > 6:
            _PDFS.pop(next(iter(_PDFS)))
    return cached


_PDFS: dict[tuple, bytes] = {}
