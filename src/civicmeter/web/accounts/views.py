"""The sign-in page, the start page after sign-in and the invitation link."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from civicmeter.web.collection.fragment_cache import PageCache
from civicmeter.web.core.refusals import shown_refusal
from civicmeter.web.programmes import services as programme_services
from civicmeter.web.programmes.models import Invitation

from . import selectors
from .forms import InvitationSignupForm

#: The empty sign-in form as drawn, per process (see ``collection.fragment_cache.PageCache``).
_SIGN_IN_PAGES = PageCache(size=64)


class SignInView(auth_views.LoginView):
    """Django's sign-in view; its empty form (a GET) is answered from memory.

    The form is the same for everyone who is not signed in, so drawing it (the base template and
    twenty translated strings, three quarters of the request) once per language and address is
    enough: ``PageCache`` keys it on who asks, the language and the full address (``?next=``) and
    puts each request's own CSRF token in. Posting the form is Django's view, unchanged.
    """

    def get(self, request, *args, **kwargs):
        return _SIGN_IN_PAGES.respond(
            request,
            "sign-in",
            lambda extra: self.render_to_response(self.get_context_data(**extra)).render(),
        )


@login_required
def home(request):
    assignments = selectors.respondent_assignments(request.user)
    return render(
        request,
        "accounts/home.html",
        {
            "assignments": assignments,
            "staff_waves": selectors.staff_waves(request.user),
        },
    )


def invitation(request, token: str):
    """The e-mailed link. Opening it changes nothing: a signed-in user confirms with a POST (accepted
    only when the account's e-mail is the invited address); anyone else signs in or creates an
    account from it."""
    found = Invitation.objects.select_related("wave__programme", "city").filter(token=token).first()
    if found is None and request.user.is_authenticated:
        messages.error(request, programme_services.INVALID_INVITATION)
        return redirect("accounts:home")
    if found is None:
        return render(request, "accounts/invitation.html", {"invalid": True}, status=404)
    if request.user.is_authenticated:
        return _invitation_for_signed_in(request, found)
    form = InvitationSignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with shown_refusal(request):
            user, accepted = programme_services.invitation_signup(
                token=token, username=form.cleaned_data["username"], password=form.cleaned_data["password1"]
            )
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request, _("Welcome. You can now answer for %(city)s.") % {"city": accepted.city.name}
            )
            return redirect("accounts:home")
        return redirect("accounts:login")
    return render(request, "accounts/invitation.html", {"invitation": found, "form": form})


def _invitation_for_signed_in(request, found: Invitation):
    if request.method == "POST":
        with shown_refusal(request):
            accepted = programme_services.invitation_accept(actor=request.user, token=found.token)
            messages.success(request, _("You can now answer for %(city)s.") % {"city": accepted.city.name})
        return redirect("accounts:home")
    matches = (request.user.email or "").strip().lower() == found.email.strip().lower()
    return render(
        request, "accounts/invitation_confirm.html", {"invitation": found, "email_matches": matches}
    )
