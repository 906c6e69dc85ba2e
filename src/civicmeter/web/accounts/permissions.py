"""The one permission policy (Wagtail's three directions), used by every service and view.

* may this user do this (``user_has_permission``),
* which users may do it (``users_with_permission``),
* which objects this user may see (``responses_visible_to``, ``waves_visible_to``).

Objects are fetched with ``access_*`` helpers that raise the same 404 for "does not exist" and "not
yours", so a respondent of one city cannot learn whether another city's response exists.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from datetime import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import F, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from .role_memo import roles_of


@dataclass(frozen=True)
class SystemActor:
    """The operator at the shell (CLI, demo loader): trusted, recorded as no user in audit trails.

    ``SYSTEM`` acts now. ``SYSTEM.as_of(when, by=user)`` records what it does at ``when`` (and in the
    name of ``user``, when given), for a programme moving in its history: the demo's 2018 wave was
    submitted in 2018, its reviews were the reviewer's. Services take the time from
    ``now_for(actor)`` and the user to record from ``user_of(actor)``, so people always act as
    themselves, now.
    """

    name: str = "system"
    is_authenticated: bool = True
    is_superuser: bool = True
    pk: None = None
    at: datetime | None = None
    by: object = None

    def __str__(self) -> str:
        return self.name

    def as_of(self, when: datetime, *, by=None) -> SystemActor:
        if timezone.is_naive(when):
            raise ValueError(f"as_of needs an aware datetime (with its time zone); got {when!r}")
        return replace(self, at=when, by=by)


SYSTEM = SystemActor()


def user_of(actor):
    """The user to record in an audit trail: the system actor's ``by`` (``None`` unless it records
    history in someone's name), else the actor."""
    return actor.by if isinstance(actor, SystemActor) else actor


def now_for(actor) -> datetime:
    """When ``actor`` acts: the stated time of a system actor recording history, else now."""
    return actor.at if isinstance(actor, SystemActor) and actor.at else timezone.now()


class Action(enum.StrEnum):
    VIEW_WAVE = "view_wave"  # dashboard, histories, exports
    MANAGE_WAVE = "manage_wave"  # invite, remind, return, import, score
    VIEW_RESPONSE = "view_response"
    EDIT_RESPONSE = "edit_response"  # answer and submit
    VALIDATE_RESPONSE = "validate_response"
    REVIEW_RESPONSE = "review_response"  # record each assessment criterion's review outcome
    VIEW_CITY = "view_city"  # the city team page: the city's scores, recommendations, agenda
    EDIT_AGENDA = "edit_agenda"  # the city's implementation agenda: only its own team
    EDIT_GOALS = "edit_goals"  # the city's goals, KPI values and goals page: only its own team
    EDIT_RECOMMENDATIONS = "edit_recommendations"  # a programme's recommendation rules
    ADD_CASES = "add_cases"  # a programme's case library


# Which role kinds grant which action. Respondents are further limited to their own city.
_GRANTS: dict[Action, frozenset[str]] = {
    Action.VIEW_WAVE: frozenset({"admin", "reviewer"}),
    Action.MANAGE_WAVE: frozenset({"admin"}),
    Action.VIEW_RESPONSE: frozenset({"admin", "reviewer", "respondent"}),
    Action.EDIT_RESPONSE: frozenset({"respondent"}),
    Action.VALIDATE_RESPONSE: frozenset({"admin"}),
    Action.REVIEW_RESPONSE: frozenset({"admin", "reviewer"}),
    Action.VIEW_CITY: frozenset({"admin", "reviewer", "respondent"}),
    Action.EDIT_AGENDA: frozenset({"respondent"}),
    Action.EDIT_GOALS: frozenset({"respondent"}),
    Action.EDIT_RECOMMENDATIONS: frozenset({"admin"}),
    Action.ADD_CASES: frozenset({"admin", "reviewer"}),
}


def _is_system(user) -> bool:
    return isinstance(user, SystemActor) or bool(getattr(user, "is_superuser", False))


def user_has_permission(user, action: Action, *, programme, city=None) -> bool:
    """May ``user`` do ``action`` in ``programme`` (and, for city-bound actions, for ``city``)?"""
    if _is_system(user):
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    kinds = _GRANTS[action]
    programme_id, city_id = getattr(programme, "pk", programme), getattr(city, "pk", city)
    return any(
        held.programme_id == programme_id
        and held.kind in kinds
        and (held.kind != "respondent" or held.city_id == city_id)
        for held in roles_of(user)  # read once per request
    )


def require_permission(user, action: Action, *, programme, city=None) -> None:
    if not user_has_permission(user, action, programme=programme, city=city):
        raise PermissionDenied(f"You may not {action.value.replace('_', ' ')} here.")


def require_instrument_admin(user) -> None:
    """Instruments are shared by all programmes: site admins and any programme admin may add them."""
    if _is_system(user):
        return
    if getattr(user, "is_authenticated", False) and any(held.kind == "admin" for held in roles_of(user)):
        return
    raise PermissionDenied("Only programme admins may register instruments.")


def users_with_permission(action: Action, *, programme, city=None) -> QuerySet:
    kinds = _GRANTS[action]
    condition = Q(roles__programme=programme, roles__kind__in=kinds - {"respondent"})
    if "respondent" in kinds and city is not None:
        condition |= Q(roles__programme=programme, roles__kind="respondent", roles__city=city)
    return get_user_model().objects.filter(condition | Q(is_superuser=True)).distinct()


def waves_visible_to(user) -> QuerySet:
    from civicmeter.web.programmes.models import Wave

    waves = Wave.objects.select_related("programme", "instrument")
    if _is_system(user):
        return waves
    if not getattr(user, "is_authenticated", False):
        return waves.none()
    return waves.filter(programme__roles__user=user).distinct()


def responses_visible_to(user) -> QuerySet:
    from civicmeter.web.collection.models import Response

    responses = Response.objects.select_related("wave__programme", "wave__instrument", "city")
    if _is_system(user):
        return responses
    if not getattr(user, "is_authenticated", False):
        return responses.none()
    staff = Q(wave__programme__roles__user=user, wave__programme__roles__kind__in=["admin", "reviewer"])
    own_city = Q(
        wave__programme__roles__user=user,
        wave__programme__roles__kind="respondent",
        wave__programme__roles__city=F("city"),
    )
    return responses.filter(staff | own_city).distinct()


def access_response_by_id(user, response_id: int):
    """The response if ``user`` may see it; otherwise 404, whether it exists or not.

    The same rule as :func:`responses_visible_to` (staff of the programme, or a respondent of the
    response's own city), answered from the user's roles, which the page reads once anyway
    (``role_memo``): a fetch by id without the join on roles and the DISTINCT, which took longer to
    build and plan than the rest of a cached survey page. The instrument's workbook stays in the
    database: the parsed instrument is cached by its digest (``instrument_cache``).
    """
    from civicmeter.web.collection.models import Response

    response = (
        Response.objects.select_related("wave__programme", "wave__instrument", "city")
        .defer("wave__instrument__content")
        .filter(pk=response_id)
        .first()
    )
    if response is None or not user_has_permission(
        user, Action.VIEW_RESPONSE, programme=response.wave.programme_id, city=response.city_id
    ):
        raise Http404("No such response.")
    return response


def access_wave_by_code(user, programme_slug: str, code: str):
    """The wave if ``user`` is staff (admin or reviewer) of its programme; otherwise 404.

    Fetched by its programme and code, then checked against the user's roles (``role_memo``): the
    same answer as :func:`waves_visible_to` followed by the check, without the join on roles and
    the DISTINCT, and without the instrument's workbook (parsed instruments are cached by digest).
    """
    from civicmeter.web.programmes.models import Wave

    wave = (
        Wave.objects.select_related("programme", "instrument")
        .defer("instrument__content")
        .filter(programme__slug=programme_slug, code=code)
        .first()
    )
    if wave is None or not user_has_permission(user, Action.VIEW_WAVE, programme=wave.programme):
        raise Http404("No such wave.")
    return wave


def cities_of_programme(programme) -> QuerySet:
    """The cities taking part in ``programme``: with a respondent, an invitation or a response."""
    from civicmeter.web.programmes.models import City

    return City.objects.filter(
        Q(roles__programme=programme)
        | Q(invitations__wave__programme=programme)
        | Q(responses__wave__programme=programme)
    ).distinct()


def access_city_by_slug(user, programme_slug: str, city_slug: str):
    """``(programme, city)`` if ``user`` may see the city's team page (the programme's admins and
    reviewers, the city's own respondents) and the city takes part in the programme; otherwise 404."""
    from civicmeter.web.programmes.models import Programme

    programme = Programme.objects.filter(slug=programme_slug).first()
    city = cities_of_programme(programme).filter(slug=city_slug).first() if programme else None
    if city is None or not user_has_permission(user, Action.VIEW_CITY, programme=programme, city=city):
        raise Http404("No such city.")
    return programme, city
