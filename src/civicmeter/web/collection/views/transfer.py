"""Import and export a wave's responses from the web (the same services as the CLI)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from civicmeter.instruments import ResponsesImportError
from civicmeter.web.accounts.permissions import Action, access_wave_by_code, require_permission
from civicmeter.web.core.downloads import download
from civicmeter.web.core.upload_limits import IMPORTS, upload_limit

from ..services import transfer
from ..staff_forms import ImportForm

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@login_required
def export(request, programme: str, code: str, fmt: str):
    wave = access_wave_by_code(request.user, programme, code)
    if fmt not in CONTENT_TYPES:
        return HttpResponse(_("Unknown export format; use csv or xlsx."), status=404)
    labels = request.GET.get("labels") or None
    try:
        content = transfer.responses_export(actor=request.user, wave=wave, fmt=fmt, labels=labels)
    except ValidationError as exc:
        return HttpResponseBadRequest(" ".join(exc.messages))
    suffix = f"-labels-{labels}" if labels else ""
    filename = f"{programme}-{code}-responses{suffix}.{fmt}"
    return download(content, filename=filename, content_type=CONTENT_TYPES[fmt])


@login_required
def import_responses(request, programme: str, code: str):
    wave = access_wave_by_code(request.user, programme, code)
    require_permission(request.user, Action.MANAGE_WAVE, programme=wave.programme)
    form = ImportForm(request.POST or None, request.FILES or None)
    context = {"wave": wave, "form": form, "problems": None, "more": 0, "run": None}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size > upload_limit(IMPORTS):
                # Refused from its declared size: the file is never read into memory.
                transfer.refuse_too_large(
                    actor=request.user, wave=wave, filename=upload.name, size=upload.size
                )
            run = transfer.responses_import(
                actor=request.user,
                wave=wave,
                filename=upload.name,
                content=upload.read(),
                city_column=form.cleaned_data["city_column"],
                allow_closed=form.cleaned_data["allow_closed"],
                encoding=form.cleaned_data["encoding"] or None,
            )
        except ResponsesImportError as exc:
            context["problems"] = exc.problems
            context["more"] = exc.more
            return render(request, "collection/import.html", context, status=400)
        messages.success(
            request,
            _(
                "Imported %(file)s: %(inserted)d answers added, %(updated)d changed, "
                "%(cleared)d cleared, %(unchanged)d unchanged."
            )
            % {
                "file": run.filename,
                "inserted": run.inserted,
                "updated": run.updated,
                "cleared": run.cleared,
                "unchanged": run.unchanged,
            },
        )
        return redirect("collection:dashboard", programme, code)
    return render(request, "collection/import.html", context)
