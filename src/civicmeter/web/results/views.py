"""A wave's results table for programme staff, its CSV, and the admins' "compute scores" button."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civicmeter.web.accounts.permissions import Action, access_wave_by_code, user_has_permission
from civicmeter.web.collection.fragment_cache import FragmentCache, PageCache
from civicmeter.web.collection.selectors import cities_fingerprint
from civicmeter.web.core.downloads import CSV, download
from civicmeter.web.core.refusals import shown_refusal

from . import explain, selectors, services

#: Cities per results page (ranked order).
PAGE_SIZE = 50
#: The table's rows as rendered, per process: stored runs never change, so their ids are the key
#: (with the cities' names, which the rows show).
_rows_cache = FragmentCache(size=64)
#: Whole results pages per process and user (see ``collection.fragment_cache.PageCache``).
PAGES = PageCache(size=64)


@login_required
def wave_results(request, programme: str, code: str):
    wave = access_wave_by_code(request.user, programme, code)
    if wave.instrument.kind == "assessment":  # its own page: index, class, tier, practices, best first
        return redirect("assessment:results", programme, code)
    can_manage = user_has_permission(request.user, Action.MANAGE_WAVE, programme=wave.programme)
    key = (selectors.page_state(wave), can_manage, wave.programme.name, str(wave.programme.name_translations))
    return PAGES.respond(request, key, lambda extra: _draw(request, wave, can_manage, extra))


def _draw(request, wave, can_manage: bool, extra: dict):
    """The page, read and drawn (a request whose key :class:`PageCache` has not kept)."""
    cities = cities_fingerprint()
    results = selectors.wave_results(wave, cities)
    runs = (selectors.run_key(results.psi_run), selectors.run_key(results.data_use_run))
    pending = selectors.scores_pending(results.psi_run or results.data_use_run)
    context = _context(request, wave, results, runs, cities) | {"pending": pending, "can_manage": can_manage}
    return render(request, "results/wave.html", context | extra)


def _context(request, wave, results, runs, cities) -> dict:
    page = Paginator(results.rows, PAGE_SIZE).get_page(request.GET.get("page"))
    rows_html = _rows_cache.get_or_render(
        (wave.pk, *runs, get_language(), page.number, cities),
        lambda: render_to_string(
            "results/_rows.html", {"wave": wave, "rows": page.object_list, "results": results}
        ),
    )
    return {
        "wave": wave,
        "results": results,
        "rows": page.object_list,
        "rows_html": rows_html if page.object_list else "",
        "page": page,
    }


@login_required
def city_score(request, programme: str, code: str, city: str):
    """Why one city scored what it did: each item with its question and the city's answer."""
    wave = access_wave_by_code(request.user, programme, code)
    explanation = explain.city_explanation(wave, city, translation.get_language() or "en")
    if explanation is None:
        raise Http404("This city has no score in this wave.")
    return render(request, "results/city.html", {"wave": wave, "explanation": explanation})


@login_required
@require_POST
def compute(request, programme: str, code: str):
    wave = access_wave_by_code(request.user, programme, code)
    with shown_refusal(request):
        run = services.scores_compute(actor=request.user, wave=wave)
        messages.success(
            request,
            _("Scored %(n)d cities with %(recipe)s version %(version)s.")
            % {"n": run.n, "recipe": run.recipe, "version": run.recipe_version},
        )
    return redirect("results:wave", programme, code)


@login_required
def export(request, programme: str, code: str):
    wave = access_wave_by_code(request.user, programme, code)
    return download(selectors.export_csv(wave), filename=f"{programme}-{code}-results.csv", content_type=CSV)
