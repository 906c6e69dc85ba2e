"""Staff resend an e-mail that was not delivered."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civicmeter.web.accounts.permissions import Action, user_has_permission
from civicmeter.web.core.refusals import shown_refusal

from . import services
from .models import Delivery


def _access_delivery(user, pk: int) -> Delivery:
    """The same 404 for a delivery that does not exist and one of a wave the user does not manage."""
    delivery = Delivery.objects.select_related("wave__programme").filter(pk=pk, wave__isnull=False).first()
    if delivery is None or not user_has_permission(
        user, Action.MANAGE_WAVE, programme=delivery.wave.programme
    ):
        raise Http404
    return delivery


@login_required
@require_POST
def resend(request, pk: int):
    delivery = _access_delivery(request.user, pk)
    with shown_refusal(request):
        services.delivery_resend(actor=request.user, delivery=delivery)
        messages.success(
            request, _("The e-mail to %(to)s is queued again.") % {"to": ", ".join(delivery.recipients)}
        )
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("collection:dashboard", args=[delivery.wave.programme.slug, delivery.wave.code])
    return redirect(target)
