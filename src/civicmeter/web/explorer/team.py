"""The city team's side of publication: the snapshot panel on the team page (order 20), the
preview of the city's own snapshot before its wave is published, and what the city agrees to
publish (``disclosure_set``).

The preview is built by the same code as the public page from ``published.preview_wave`` (the same
filters: validated responses, consent, private text) and is shown only to people
``access_city_by_slug`` lets see the city's team page; it is never cached with public pages.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from civicmeter.web.accounts.permissions import Action, access_city_by_slug, user_has_permission
from civicmeter.web.collection.models import Response
from civicmeter.web.core.refusals import shown_refusal
from civicmeter.web.programmes import services
from civicmeter.web.programmes.instrument_cache import instrument_for
from civicmeter.web.programmes.models import CityDisclosure, Instrument, Wave

from . import published
from .snapshot import PEER_KINDS, build_snapshot


@dataclass(frozen=True)
class WaveLine:
    wave: Wave
    public: bool
    validated: bool
    answered: bool


def _may_set_disclosure(user, programme, city) -> bool:
    return user_has_permission(user, Action.MANAGE_WAVE, programme=programme) or user_has_permission(
        user, Action.EDIT_RESPONSE, programme=programme, city=city
    )


def _text_questions(programme) -> list[tuple[str, str]]:
    """(name, label) of the free-text questions outside the profile in the programme's surveys."""
    seen: dict[str, str] = {}
    rows = Instrument.objects.filter(waves__programme=programme, kind=Instrument.Kind.SURVEY).distinct()
    for row in rows.defer("content"):
        instrument = instrument_for(row)
        for question in instrument.iter_questions(answerable_only=True):
            if question.type in ("text", "url") and question.path[0] != "profile":
                seen.setdefault(question.name, instrument.text(question.labels))
    return sorted(seen.items(), key=lambda item: item[0])


def panel_context(request, programme, city) -> dict | None:
    """The snapshot panel: each survey wave's state for the city, with its public page or preview,
    and the consent form (for the city's respondents and the programme's admins)."""
    statuses = dict(
        Response.objects.filter(wave__programme=programme, city=city).values_list("wave_id", "status")
    )
    waves = programme.waves.filter(instrument__kind=Instrument.Kind.SURVEY).order_by("-code")
    lines = [
        WaveLine(
            wave,
            wave.status == Wave.Status.PUBLISHED,
            statuses.get(wave.pk) in published.PUBLIC_RESPONSES,
            wave.pk in statuses,
        )
        for wave in waves
    ]
    if not lines:
        return None
    disclosure = CityDisclosure.objects.filter(city=city).first()
    agreed = set(disclosure.profile_fields) if disclosure else set()
    private = set(disclosure.private_texts) if disclosure else set()
    labels = {
        "mayor": gettext("Mayor"),
        "website": gettext("Innovation website"),
        "lead_officers": gettext("Lead innovation officer(s)"),
        "spotlight": gettext("Spotlight"),
    }
    return {
        "lines": lines,
        "may_edit": _may_set_disclosure(request.user, programme, city),
        "profile_fields": [(f, labels[f], f in agreed) for f in CityDisclosure.PROFILE_FIELDS],
        "text_questions": [(name, label, name in private) for name, label in _text_questions(programme)],
    }


@login_required
def preview(request, programme: str, city: str, code: str):
    """The city's snapshot in ``code`` as it will look once published (or as it is, if it is)."""
    programme_row, city_row = access_city_by_slug(request.user, programme, city)
    wave = programme_row.waves.filter(code=code).select_related("instrument").first()
    heading = gettext("No preview yet")
    if wave is None:
        message = gettext("Programme %(programme)s has no wave %(wave)s.") % {
            "programme": programme,
            "wave": code,
        }
        return render(request, "explorer/notice.html", {"heading": heading, "message": message}, status=404)
    kind = request.GET.get("peers", "all")
    kind = kind if kind in PEER_KINDS else "all"
    preview_data = published.preview_wave(wave)
    previous = published.previous_wave(wave)
    snapshot = build_snapshot(
        preview_data, city_row.slug, kind, published.public_wave(previous) if previous else None
    )
    if snapshot is None:
        message = gettext(
            "%(city)s has no validated response in wave %(wave)s yet: the snapshot is built from "
            "validated answers only, so it appears here once the programme validates the response."
        ) % {"city": city_row.name, "wave": code}
        return render(request, "explorer/notice.html", {"heading": heading, "message": message})
    context = {"s": snapshot, "waves": [wave], "print": False, "preview": True}
    body = render_to_string("explorer/_snapshot.html", context)
    return render(
        request,
        "explorer/preview.html",
        {
            "body": body,
            "city": city_row,
            "wave": wave,
            "programme": programme_row,
            "public": wave.status == Wave.Status.PUBLISHED,
        },
    )


@login_required
@require_POST
def disclosure(request, programme: str, city: str):
    """Save what the city publishes of its profile and which free-text answers it keeps private."""
    programme_row, city_row = access_city_by_slug(request.user, programme, city)
    with shown_refusal(request):
        services.disclosure_set(
            actor=request.user,
            programme=programme_row,
            city=city_row,
            profile_fields=request.POST.getlist("publish"),
            private_texts=request.POST.getlist("private"),
        )
        messages.success(request, gettext("Saved what %(city)s publishes.") % {"city": city_row.name})
    return redirect("cityhome:page", programme_row.slug, city_row.slug)
