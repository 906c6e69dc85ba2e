"""The API tokens page: a signed-in user lists, creates and revokes their own tokens.

A new key is shown once, in the answer to the form that created it (never stored, never put in a
redirect or a message); the list shows each token's prefix, dates and state.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civicmeter.web.core.refusals import refusal_on_form

from .. import selectors, services
from ..forms import TokenCreateForm


@login_required
def tokens_page(request):
    form = TokenCreateForm(request.POST or None)
    issued = None
    if request.method == "POST" and form.is_valid():
        with refusal_on_form(form, field="name"):
            name = form.cleaned_data["name"]
            issued = services.token_create(actor=request.user, user=request.user, name=name)
            form = TokenCreateForm()
    response = render(
        request,
        "api/tokens.html",
        {"form": form, "issued": issued, "tokens": selectors.tokens_of(request.user)},
        status=201 if issued else 200,
    )
    response["Cache-Control"] = "no-store"  # the page may carry a new key
    return response


@login_required
@require_POST
def token_revoke(request, pk: int):
    token = get_object_or_404(selectors.tokens_of(request.user), pk=pk)
    services.token_revoke(actor=request.user, token=token)
    messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
    return redirect("api:tokens")
