"""Outcomes and analysis pages for programme staff; every write goes through the services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from civicmeter.outcomes import OutcomesError
from civicmeter.web.accounts.permissions import access_wave_by_code
from civicmeter.web.core.downloads import CSV, download
from civicmeter.web.core.refusals import shown_refusal

from . import selectors, services
from .forms import ConfirmNamesForm, IndicatorCatalogueForm, OutcomeUploadForm
from .models import AnalysisRun, OutcomeImportRun
from .permissions import access_programme_by_slug, may_manage_outcomes
from .services.runs import analysis_start

#: The stored report is our own HTML with inline CSS and SVG, shown in a sandboxed frame: no
#: script, no requests, and only this site may frame it.
REPORT_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'; sandbox"
)


@login_required
def outcomes(request, programme: str):
    programme_row = access_programme_by_slug(request.user, programme)
    form = OutcomeUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        run = services.outcomes_import(
            actor=request.user,
            programme=programme_row,
            filename=upload.name,
            content=upload.read(),
            spec=form.import_spec(),
            skip_unmatched=form.cleaned_data["skip_unmatched"],
        )
        return redirect("wellbeing:import", programme, run.pk)
    return render(
        request,
        "wellbeing/outcomes.html",
        {
            "programme": programme_row,
            "holdings": selectors.outcome_holdings(programme_row),
            "imports": selectors.recent_imports(programme_row),
            "waves": programme_row.waves.all(),
            "form": form,
            "catalogue_form": IndicatorCatalogueForm(),
            "can_manage": may_manage_outcomes(request.user, programme_row),
        },
    )


@login_required
@require_POST
def indicators_add(request, programme: str):
    """A programme adds its own indicators from a catalogue file; all or nothing."""
    programme_row = access_programme_by_slug(request.user, programme)
    form = IndicatorCatalogueForm(request.POST, request.FILES)
    if not form.is_valid():
        too_large = form.has_error("file", "too_large")
        messages.error(
            request, form.errors["file"][0] if too_large else _("Choose a catalogue file to upload.")
        )
        return redirect("wellbeing:outcomes", programme)
    upload = form.cleaned_data["file"]
    try:
        added = services.indicators_add(
            actor=request.user, programme=programme_row, filename=upload.name, content=upload.read()
        )
    except OutcomesError as exc:
        for problem in exc.problems:
            messages.error(request, str(problem))
    else:
        messages.success(
            request,
            _("Added %(n)d indicator(s): %(codes)s.")
            % {"n": len(added), "codes": ", ".join(i.code for i in added)},
        )
    return redirect("wellbeing:outcomes", programme)


def _names(run: OutcomeImportRun) -> list[dict]:
    matching = run.report.get("matching", {})
    return [*matching.get("unmatched", []), *matching.get("ambiguous", [])]


@login_required
def import_report(request, programme: str, pk: int):
    programme_row = access_programme_by_slug(request.user, programme)
    run = get_object_or_404(OutcomeImportRun, pk=pk, programme=programme_row)
    can_manage = may_manage_outcomes(request.user, programme_row)
    names = _names(run) if run.status == OutcomeImportRun.Status.REJECTED else []
    form = ConfirmNamesForm(request.POST or None, names=names)
    if request.method == "POST":
        if not can_manage or not names:
            raise Http404("Nothing to confirm.")
        if form.is_valid():
            again = services.outcomes_import_again(actor=request.user, run=run, confirmed=form.confirmed())
            return redirect("wellbeing:import", programme, again.pk)
    return render(
        request,
        "wellbeing/import_report.html",
        {
            "programme": programme_row,
            "run": run,
            "form": form,
            "names": names,
            "can_manage": can_manage,
        },
    )


def _run_of(request, programme: str, code: str, pk: int) -> tuple[object, AnalysisRun]:
    wave = access_wave_by_code(request.user, programme, code)
    return wave, get_object_or_404(AnalysisRun, pk=pk, wave=wave)


@login_required
def analysis(request, programme: str, code: str):
    wave = access_wave_by_code(request.user, programme, code)
    return render(
        request,
        "wellbeing/analysis.html",
        {
            "wave": wave,
            "run": selectors.latest_analysis(wave),
            "can_manage": may_manage_outcomes(request.user, wave.programme),
            "holdings": selectors.outcome_holdings(wave.programme),
        },
    )


@login_required
@require_POST
def analysis_begin(request, programme: str, code: str):
    wave = access_wave_by_code(request.user, programme, code)
    with shown_refusal(request):
        analysis_start(actor=request.user, wave=wave)
    return redirect("wellbeing:analysis", programme, code)


@login_required
def analysis_progress(request, programme: str, code: str, pk: int):
    """The run's state as a fragment; htmx swaps it every 2 s until the run has finished."""
    wave, run = _run_of(request, programme, code, pk)
    return render(
        request,
        "wellbeing/_run.html",
        {
            "wave": wave,
            "run": run,
            "can_manage": may_manage_outcomes(request.user, wave.programme),
        },
    )


@login_required
@xframe_options_sameorigin
def analysis_report(request, programme: str, code: str, pk: int):
    _wave, run = _run_of(request, programme, code, pk)
    if run.status != AnalysisRun.Status.DONE:
        raise Http404("The report is not ready.")
    response = HttpResponse(run.report_html, content_type="text/html; charset=utf-8")
    response["Content-Security-Policy"] = REPORT_POLICY
    return response


@login_required
def analysis_table(request, programme: str, code: str, pk: int, name: str):
    _wave, run = _run_of(request, programme, code, pk)
    if name not in run.tables:
        raise Http404(_("No such table."))
    return download(run.tables[name], filename=f"{programme}-{code}-{name}.csv", content_type=CSV)
