"""Who may do what with a city's goals, on top of the one policy in ``accounts.permissions``.

The city's own team (its respondents in the programme) edits its goals, values and goals page;
the programme's admins and reviewers read them on the city team page; everyone else, another
city's team included, gets the same 404 as for a city that does not exist. The public goals page
exists only while the city has switched it on.
"""

from __future__ import annotations

from django.http import Http404

from civicmeter.web.accounts.permissions import Action, require_permission, user_has_permission


def may_edit_goals(actor, programme, city) -> bool:
    return user_has_permission(actor, Action.EDIT_GOALS, programme=programme, city=city)


def require_goals_editor(actor, programme, city) -> None:
    """Refuse (403) a reader who may see the city but not edit it; a stranger never gets this far
    (``access_city_by_slug`` answers 404 first)."""
    require_permission(actor, Action.EDIT_GOALS, programme=programme, city=city)


def require_goals_reader(actor, programme, city) -> None:
    if not user_has_permission(actor, Action.VIEW_CITY, programme=programme, city=city):
        raise Http404("No such city.")
