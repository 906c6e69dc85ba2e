"""The city's agenda: board and timeline, add and change an action, CSV out and in, the council PDF.

Everyone who may see the city team page sees its agenda; only the city's own team changes it (the
services check ``Action.EDIT_AGENDA``; the pages hide the controls from others).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civicmeter.web.accounts.permissions import Action, access_city_by_slug, user_has_permission
from civicmeter.web.core.downloads import CSV, download
from civicmeter.web.core.refusals import refusal_on_form, shown_refusal

from . import pdf, selectors, services, table
from .forms import ActionForm, ImportForm, SourceForm
from .models import Source, Status
from .suggestions import recommendation_titles, roadmap_items, suggestion


def _city(request, programme: str, city: str):
    programme_row, city_row = access_city_by_slug(request.user, programme, city)
    can_edit = user_has_permission(request.user, Action.EDIT_AGENDA, programme=programme_row, city=city_row)
    return programme_row, city_row, can_edit


def _editor(request, programme: str, city: str):
    programme_row, city_row, can_edit = _city(request, programme, city)
    if not can_edit:
        raise PermissionDenied(_("Only the city's own team changes its agenda."))
    return programme_row, city_row


def _context(programme, city, can_edit, **more) -> dict:
    return {"programme": programme, "city": city, "can_edit": can_edit, "statuses": Status.choices, **more}


@login_required
def board(request, programme: str, city: str):
    programme_row, city_row, can_edit = _city(request, programme, city)
    columns = selectors.board(programme_row, city_row)
    return render(
        request,
        "agenda/board.html",
        _context(
            programme_row,
            city_row,
            can_edit,
            columns=columns,
            import_form=ImportForm(),
            today=timezone.localdate(),
        ),
    )


@login_required
def timeline(request, programme: str, city: str):
    programme_row, city_row, can_edit = _city(request, programme, city)
    today = timezone.localdate()
    return render(
        request,
        "agenda/timeline.html",
        _context(
            programme_row,
            city_row,
            can_edit,
            timeline=selectors.timeline(programme_row, city_row, today),
            today=today,
        ),
    )


@login_required
def add(request, programme: str, city: str):
    """A new action. From a recommendation's button (``?recommendation=N&wave=CODE``) or a roadmap
    step (``?roadmap=CODE``) its title, notes and source are filled in; without either the page
    offers those to start from."""
    programme_row, city_row = _editor(request, programme, city)
    starts: dict = {}
    if request.method == "POST":
        form, source = ActionForm(request.POST), SourceForm(request.POST)
        if form.is_valid() and source.is_valid():
            spec = services.ActionSpec(**form.values(), **source.cleaned_data)
            with refusal_on_form(form):
                services.action_create(actor=request.user, programme=programme_row, city=city_row, spec=spec)
                messages.success(request, _("Action added to the agenda."))
                return redirect("agenda:board", programme_row.slug, city_row.slug)
    else:
        lang = get_language() or "en"
        initial = suggestion(request.user, programme_row, city_row, request.GET, lang)
        form, source = ActionForm(initial=initial), SourceForm(initial=initial)
        if initial["source"] == Source.OWN:
            starts = {
                "recommendations": recommendation_titles(programme_row, lang),
                "roadmap": roadmap_items(request.user, programme_row, city_row, lang),
            }
    return render(
        request,
        "agenda/action_form.html",
        _context(programme_row, city_row, True, form=form, source=source, action=None, **starts),
        status=400 if form.errors else 200,
    )


@login_required
def edit(request, programme: str, city: str, action: int):
    programme_row, city_row, can_edit = _city(request, programme, city)
    row = selectors.access_action(action, programme=programme_row, city=city_row)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied(_("Only the city's own team changes its agenda."))
        form = ActionForm(request.POST, instance=None)
        if form.is_valid():
            with refusal_on_form(form):
                services.action_update(
                    actor=request.user, action=row, values=form.values(), version=form.cleaned_data["version"]
                )
                messages.success(request, _("Action saved."))
                return redirect("agenda:board", programme_row.slug, city_row.slug)
    else:
        form = ActionForm(
            initial={**{f: getattr(row, f) for f in ActionForm.Meta.fields}, "version": row.version}
        )
    return render(
        request,
        "agenda/action_form.html",
        _context(
            programme_row,
            city_row,
            can_edit,
            form=form,
            action=row,
            events=selectors.history(row),
        ),
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def set_status(request, programme: str, city: str, action: int):
    """The board's quick status change."""
    programme_row, city_row = _editor(request, programme, city)
    row = selectors.access_action(action, programme=programme_row, city=city_row)
    status = request.POST.get("status", "")
    if status not in Status.values:
        raise Http404("No such status.")
    version = request.POST.get("version")
    with shown_refusal(request):
        services.action_update(
            actor=request.user,
            action=row,
            values={"status": status},
            version=int(version) if version and version.isdigit() else None,
        )
        messages.success(
            request,
            _("“%(title)s” is now %(status)s.")
            % {"title": row.title, "status": Status(status).label.lower()},
        )
    return redirect("agenda:board", programme_row.slug, city_row.slug)


@login_required
def export(request, programme: str, city: str):
    programme_row, city_row, _can_edit = _city(request, programme, city)
    text = table.write_csv(selectors.city_actions(programme_row, city_row).order_by("id"))
    return download(text, filename=f"{city_row.slug}-agenda.csv", content_type=CSV)


@login_required
@require_POST
def import_csv(request, programme: str, city: str):
    programme_row, city_row = _editor(request, programme, city)
    form = ImportForm(request.POST, request.FILES)
    problems: list[str] = []
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            run = services.agenda_import(
                actor=request.user,
                programme=programme_row,
                city=city_row,
                filename=upload.name,
                content=upload.read(),
            )
        except table.AgendaFileError as exc:
            problems = [str(p) for p in exc.problems]
        else:
            messages.success(
                request,
                _("Imported: %(created)d added, %(updated)d changed, %(unchanged)d unchanged.")
                % {"created": run.created, "updated": run.updated, "unchanged": run.unchanged},
            )
            return redirect("agenda:board", programme_row.slug, city_row.slug)
    else:
        problems = [m for errors in form.errors.values() for m in errors]
    return render(
        request,
        "agenda/import_problems.html",
        _context(programme_row, city_row, True, problems=problems, import_form=ImportForm()),
        status=400,
    )


@login_required
def council_pdf(request, programme: str, city: str):
    programme_row, city_row, _can_edit = _city(request, programme, city)
    try:
        data = pdf.agenda_pdf(request, programme_row, city_row)
    except pdf.PdfUnavailable as exc:
        return render(
            request,
            "agenda/pdf_unavailable.html",
            _context(programme_row, city_row, False, reason=str(exc)),
            status=503,
        )
    return download(data, filename=f"{city_row.slug}-agenda.pdf", content_type="application/pdf", inline=True)
