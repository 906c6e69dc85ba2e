"""Results of an assessment wave (its own page: data-use index, class, tier and practice sub-scores,
best first) and a city's roadmap as CSV or PDF."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from civicmeter.web.core.downloads import download

from . import results_table, selectors
from .roadmap_export import roadmap_csv, roadmap_filename, roadmap_pdf

CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "pdf": "application/pdf"}


@login_required
@require_GET
def results(request, programme: str, code: str):
    wave = selectors.access_assessment_wave(request.user, programme, code)
    lang = (get_language() or "en")[:2]
    return render(request, "assessment/results.html", {"wave": wave, **results_table.wave_table(wave, lang)})


@login_required
@require_GET
def results_csv(request, programme: str, code: str):
    wave = selectors.access_assessment_wave(request.user, programme, code)
    content = results_table.export_csv(wave).encode("utf-8-sig")
    return download(content, filename=f"results-{wave.code}.csv", content_type=CONTENT_TYPES["csv"])


@login_required
@require_GET
def roadmap_file(request, pk: int, fmt: str):
    if fmt not in CONTENT_TYPES:
        raise Http404("No such format.")
    response = selectors.access_assessment(request.user, pk)
    lang = (get_language() or "en")[:2]
    if fmt == "csv":
        body = roadmap_csv(response, lang)
    else:
        body = roadmap_pdf(response, lang, base_url=request.build_absolute_uri("/"))
    return download(body, filename=roadmap_filename(response, fmt), content_type=CONTENT_TYPES[fmt])
