"""The wave dashboard for programme staff: status of every city, invitations, reminders, returns."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civicmeter.web.accounts.permissions import (
    Action,
    access_response_by_id,
    access_wave_by_code,
    user_has_permission,
)
from civicmeter.web.core.refusals import shown_refusal
from civicmeter.web.mail import selectors as mail_selectors
from civicmeter.web.programmes import services as programme_services
from civicmeter.web.programmes.models import City, Wave
from civicmeter.web.results import selectors as results_selectors

from .. import selectors, services
from ..fragment_cache import CSRF_PLACEHOLDER, FragmentCache, PageCache
from ..models import Response
from ..staff_forms import InviteForm, ReturnForm

#: Cities per dashboard page: a wave of 152 cities is four short pages, not one 24,000 px page.
PAGE_SIZE = 50
#: The query parameters that describe what the dashboard shows; actions redirect back with them.
VIEW_PARAMS = ("q", "status", "sort", "dir", "page")


def _view_query(params) -> str:
    """The dashboard's own query string from ``params`` (only :data:`VIEW_PARAMS`, re-encoded)."""
    kept = QueryDict(mutable=True)
    for name in VIEW_PARAMS:
        value = params.get(name, "").strip()
        if value:
            kept[name] = value
    return kept.urlencode()


def _back_to_dashboard(request, programme: str, code: str):
    """Redirect to the dashboard as the form's page showed it (filter, sort and page kept)."""
    url = reverse("collection:dashboard", args=[programme, code])
    query = _view_query(QueryDict(request.POST.get("view", "")))
    return redirect(f"{url}?{query}" if query else url)


def _sort_links(view: QueryDict, sort: str, descending: bool) -> dict[str, dict[str, str]]:
    """For each sortable column: the query string that sorts by it and its ``aria-sort`` state."""
    links = {}
    for column in selectors.SORT_KEYS:
        params = view.copy()
        params.pop("page", None)
        params["sort"] = column
        active = column == sort
        params["dir"] = "asc" if active and descending else ("desc" if active else "asc")
        links[column] = {
            "query": params.urlencode(),
            "aria": ("descending" if descending else "ascending") if active else "none",
        }
    return links


#: The table's rows as rendered, per process, shared by every staff member (see ``fragment_cache``).
_rows_cache = FragmentCache(size=64)
#: Whole dashboard pages per process and user (see ``fragment_cache.PageCache``).
PAGES = PageCache(size=64)


@login_required
def dashboard(request, programme: str, code: str):
    wave = access_wave_by_code(request.user, programme, code)
    fingerprint, all_rows = selectors.dashboard_snapshot(wave)
    can_manage = user_has_permission(request.user, Action.MANAGE_WAVE, programme=wave.programme)
    key = (
        fingerprint,
        can_manage,
        (wave.status, wave.closes_on, wave.instrument_id, wave.programme.name),
        str(wave.programme.name_translations),
        results_selectors.runs_fingerprint(wave),  # the scores summary at the foot of the page
    )
    return PAGES.respond(
        request,
        key,
        lambda extra: render(
            request,
            "collection/dashboard.html",
            _context(request, wave, all_rows, fingerprint, can_manage=can_manage) | extra,
        ),
        # Drawn on every request: the mail app's block reads deliveries the key does not cover.
        live={"undelivered_mail": lambda: _undelivered_mail(request, wave)} if can_manage else None,
    )


def _undelivered_mail(request, wave: Wave) -> str:
    """The mail app's block, drawn only when it has something to show (usually it has not)."""
    if not mail_selectors.has_undelivered(wave):
        return ""
    return render_to_string("collection/_dashboard_mail.html", {"wave": wave}, request=request)


def _context(request, wave: Wave, all_rows, fingerprint, *, can_manage: bool) -> dict:
    status = request.GET.get("status") or None
    query = request.GET.get("q", "").strip()
    sort = request.GET.get("sort") if request.GET.get("sort") in selectors.SORT_KEYS else "city"
    descending = request.GET.get("dir") == "desc"
    rows = selectors.sort_rows(
        selectors.filter_rows(all_rows, status=status, query=query), sort, descending=descending
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    view = QueryDict(_view_query(request.GET), mutable=True)
    without_page = view.copy()
    without_page.pop("page", None)
    rows_key = (fingerprint, get_language(), can_manage, view.urlencode(), page.number)
    rows_html = _rows_cache.get_or_render(
        rows_key,
        lambda: render_to_string(
            "collection/_dashboard_rows.html",
            {
                "rows": page.object_list,
                "programme_slug": wave.programme.slug,
                "can_manage": can_manage,
                "view_query": view.urlencode(),
                "csrf_token": CSRF_PLACEHOLDER,  # the page puts each request's own token in
            },
        ),
    )
    return {
        "wave": wave,
        "rows": page.object_list,
        "rows_html": mark_safe(rows_html),  # noqa: S308 - our template's output, escaped when rendered
        "page": page,
        "matching": len(rows),
        "counts": selectors.status_counts(all_rows),
        "total": len(all_rows),
        "status": status or "",
        "query": query,
        "sort_links": _sort_links(view, sort, descending),
        "view_query": view.urlencode(),
        "page_query": without_page.urlencode(),
        "statuses": [("not_started", _("Not started"))] + list(Response.Status.choices),
        "can_manage": can_manage,
        "wave_statuses": Wave.Status.choices,
        "invite_form": InviteForm() if can_manage else None,
        "sort": request.GET.get("sort") and sort,
        "sort_dir": "desc" if descending else "asc",
        # The city choice is drawn by the template: Django's select widget renders one
        # sub-template per option, which cost more than the whole table of cities.
        "invite_cities": City.objects.order_by("name").values_list("slug", "name", "country")
        if can_manage
        else [],
        "return_form": ReturnForm() if can_manage else None,
    }


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
        return _back_to_dashboard(request, programme, code)
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
    return _back_to_dashboard(request, programme, code)


@login_required
@require_POST
def remind(request, programme: str, code: str):
    wave = access_wave_by_code(request.user, programme, code)
    city_ids = [int(pk) for pk in request.POST.getlist("city") if pk.isdigit()] or None
    sent = programme_services.invitation_remind(actor=request.user, wave=wave, city_ids=city_ids)
    messages.success(request, _("%(n)d reminder(s) sent to cities that have not submitted.") % {"n": sent})
    return _back_to_dashboard(request, programme, code)


@login_required
@require_POST
def set_status(request, programme: str, code: str):
    """Open, close or publish the wave (drafts and returned responses can be edited only while open)."""
    wave = access_wave_by_code(request.user, programme, code)
    with shown_refusal(request):
        programme_services.wave_set_status(
            actor=request.user, wave=wave, status=request.POST.get("status", "")
        )
        messages.success(
            request, _("The wave is now %(status)s.") % {"status": wave.get_status_display().lower()}
        )
    return _back_to_dashboard(request, programme, code)


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
    with shown_refusal(request):
        if not form.is_valid():
            raise ValidationError(form.errors["note"])
        services.response_return(actor=request.user, response=response, note=form.cleaned_data["note"])
        messages.success(
            request,
            _("%(city)s's response was returned for changes.") % {"city": response.city.name},
        )
    return _back_to_dashboard(request, response.wave.programme.slug, response.wave.code)


@login_required
@require_POST
def validate_response(request, pk: int):
    response = _staff_response(request, pk)
    with shown_refusal(request):
        services.response_validate(actor=request.user, response=response)
        messages.success(request, _("%(city)s's response is validated.") % {"city": response.city.name})
    return _back_to_dashboard(request, response.wave.programme.slug, response.wave.code)
