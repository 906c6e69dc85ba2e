"""The start step the survey and the data-use assessment share: find the wave and the city, then
open (or create) the city's response through the service.

Both pages start a response the same way, so they answer a refusal the same way too: a wave the user
may not see, or one the city is not in, is "no such wave" (404, nothing learned); the service's own
refusal (e.g. a closed wave) goes into the messages and the caller sends the user home.
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404

from civicmeter.web.accounts.permissions import waves_visible_to
from civicmeter.web.accounts.selectors import waves_for_city
from civicmeter.web.collection import services
from civicmeter.web.collection.models import Response
from civicmeter.web.core.refusals import shown_refusal
from civicmeter.web.programmes.models import City, Wave


def start_response(request, programme: str, code: str, city: str) -> Response | None:
    """The city's response to the wave, opened for ``request.user``; None once the refusal is in messages."""
    wave = waves_visible_to(request.user).filter(programme__slug=programme, code=code).first()
    city_row = get_object_or_404(City, slug=city)
    if wave is None or not waves_for_city(Wave.objects.filter(pk=wave.pk), city_row).exists():
        raise Http404("No such wave.")
    with shown_refusal(request, hidden="No such wave."):
        return services.response_start(actor=request.user, wave=wave, city=city_row)
    return None
