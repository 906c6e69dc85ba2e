"""Who may do what with outcomes and analyses, on top of the one policy in ``accounts.permissions``.

Programme admins import outcomes, confirm city names and start analyses (the wave-management
grant); reviewers read them (the wave-viewing grant); respondents and anonymous users get nothing.
"""

from __future__ import annotations

from django.http import Http404

from civicmeter.web.accounts.permissions import Action, require_permission, user_has_permission
from civicmeter.web.programmes.models import Programme


def require_outcomes_manager(actor, programme: Programme) -> None:
    require_permission(actor, Action.MANAGE_WAVE, programme=programme)


def require_outcomes_reader(actor, programme: Programme) -> None:
    require_permission(actor, Action.VIEW_WAVE, programme=programme)


def may_manage_outcomes(actor, programme: Programme) -> bool:
    return user_has_permission(actor, Action.MANAGE_WAVE, programme=programme)


def access_programme_by_slug(user, slug: str) -> Programme:
    """The programme if ``user`` is its staff; otherwise the same 404 whether it exists or not."""
    programme = Programme.objects.filter(slug=slug).first()
    if programme is None or not user_has_permission(user, Action.VIEW_WAVE, programme=programme):
        raise Http404("No such programme.")
    return programme
