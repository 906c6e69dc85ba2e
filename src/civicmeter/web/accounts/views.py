"""Start page after sign-in and the invitation link."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from civicmeter.web.collection.models import Response
from civicmeter.web.programmes import services as programme_services

from . import selectors


@login_required
def home(request):
    assignments = []
    for role, wave in selectors.respondent_assignments(request.user):
        response = Response.objects.filter(wave=wave, city=role.city).first()
        assignments.append({"role": role, "wave": wave, "response": response})
    return render(
        request,
        "accounts/home.html",
        {
            "assignments": assignments,
            "staff_waves": selectors.staff_waves(request.user),
        },
    )


def invitation(request, token: str):
    """The e-mailed link: sign in (or be asked to), then get the respondent role for the city."""
    if not request.user.is_authenticated:
        messages.info(
            request,
            _("Sign in with the account programme staff gave you to accept the invitation."),
        )
        return redirect_to_login(request.get_full_path())
    try:
        accepted = programme_services.invitation_accept(actor=request.user, token=token)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("accounts:home")
    messages.success(request, _("You can now answer for %(city)s.") % {"city": accepted.city.name})
    return redirect("accounts:home")
