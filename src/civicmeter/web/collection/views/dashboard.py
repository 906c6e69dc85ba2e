"""The wave dashboard for programme staff: status of every city, invitations, reminders, returns."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civicmeter.web.accounts.permissions import (
    Action,
    access_response_by_id,
    access_wave_by_code,
    user_has_permission,
)
from civicmeter.web.programmes import services as programme_services
from civicmeter.web.programmes.models import Wave

from .. import selectors, services
from ..models import Response
from ..staff_forms import InviteForm, ReturnForm


@login_required
def dashboard(request, programme: str, code: str):
    wave = access_wave_by_code(request.user, programme, code)
    status = request.GET.get("status") or None
    query = request.GET.get("q", "").strip()
    all_rows = selectors.wave_dashboard_rows(wave)
    rows = selectors.filter_rows(all_rows, status=status, query=query)
    can_manage = user_has_permission(request.user, Action.MANAGE_WAVE, programme=wave.programme)
    return render(
        request,
        "collection/dashboard.html",
        {
            "wave": wave,
            "rows": rows,
            "counts": selectors.status_counts(all_rows),
            "total": len(all_rows),
            "status": status or "",
            "query": query,
            "statuses": [("not_started", _("Not started"))] + list(Response.Status.choices),
            "can_manage": can_manage,
            "wave_statuses": Wave.Status.choices,
            "invite_form": InviteForm() if can_manage else None,
            "return_form": ReturnForm() if can_manage else None,
        },
    )


@login_required
@require_POST
def invite(request, programme: str, code: str):
    wave = access_wave_by_code(request.user, programme, code)
    form = InviteForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            messages.error(
                request,
                f"{form.fields[field].label if field in form.fields else ''}: {' '.join(errors)}",
            )
        return redirect("collection:dashboard", programme, code)
    invitation = programme_services.invitation_send(
        actor=request.user,
        wave=wave,
        city=form.cleaned_data["city"],
        email=form.cleaned_data["email"],
    )
    messages.success(
        request,
        _("Invitation sent to %(email)s for %(city)s.")
        % {"email": invitation.email, "city": invitation.city.name},
    )
    return redirect("collection:dashboard", programme, code)


@login_required
@require_POST
def remind(request, programme: str, code: str):
    wave = access_wave_by_code(request.user, programme, code)
    city_ids = [int(pk) for pk in request.POST.getlist("city") if pk.isdigit()] or None
    sent = programme_services.invitation_remind(actor=request.user, wave=wave, city_ids=city_ids)
    messages.success(request, _("%(n)d reminder(s) sent to cities that have not submitted.") % {"n": sent})
    return redirect("collection:dashboard", programme, code)


@login_required
@require_POST
def set_status(request, programme: str, code: str):
    """Open, close or publish the wave (drafts and returned responses can be edited only while open)."""
    wave = access_wave_by_code(request.user, programme, code)
    try:
        programme_services.wave_set_status(
            actor=request.user, wave=wave, status=request.POST.get("status", "")
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("The wave is now %(status)s.") % {"status": wave.get_status_display().lower()}
        )
    return redirect("collection:dashboard", programme, code)


def _staff_response(request, pk: int) -> Response:
    response = access_response_by_id(request.user, pk)
    if not user_has_permission(request.user, Action.VIEW_WAVE, programme=response.wave.programme):
        raise PermissionDenied
    return response


@login_required
@require_POST
def return_response(request, pk: int):
    response = _staff_response(request, pk)
    form = ReturnForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors["note"])
        services.response_return(actor=request.user, response=response, note=form.cleaned_data["note"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("%(city)s's response was returned for changes.") % {"city": response.city.name},
        )
    return redirect("collection:dashboard", response.wave.programme.slug, response.wave.code)


@login_required
@require_POST
def validate_response(request, pk: int):
    response = _staff_response(request, pk)
    try:
        services.response_validate(actor=request.user, response=response)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(city)s's response is validated.") % {"city": response.city.name})
    return redirect("collection:dashboard", response.wave.programme.slug, response.wave.code)
