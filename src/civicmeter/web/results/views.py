"""A wave's results table for programme staff, its CSV, and the admins' "compute scores" button."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civicmeter.web.accounts.permissions import Action, access_wave_by_code, user_has_permission

from . import selectors, services


@login_required
def wave_results(request, programme: str, code: str):
    wave = access_wave_by_code(request.user, programme, code)
    return render(
        request,
        "results/wave.html",
        {
            "wave": wave,
            "results": selectors.wave_results(wave),
            "can_manage": user_has_permission(
                request.user, Action.MANAGE_WAVE, programme=wave.programme
            ),
        },
    )


@login_required
@require_POST
def compute(request, programme: str, code: str):
    wave = access_wave_by_code(request.user, programme, code)
    try:
        run = services.scores_compute(actor=request.user, wave=wave)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Scored %(n)d cities with %(recipe)s version %(version)s.")
            % {"n": run.n, "recipe": run.recipe, "version": run.recipe_version},
        )
    return redirect("results:wave", programme, code)


@login_required
def export(request, programme: str, code: str):
    wave = access_wave_by_code(request.user, programme, code)
    response = HttpResponse(selectors.export_csv(wave), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{programme}-{code}-results.csv"'
    return response
