"""A user's roles, read once per user object: the permission checks of a page share one query.

A page checks permissions several times (the view, its service, the template's links); each check
used to ask the database for the user's roles. The user object lives for one request (the
authentication middleware loads it afresh each time), so keeping its roles on it
(``user._civicmeter_roles``) means one roles query per request, and a role granted or withdrawn
by another request is seen on the next one. Within this process a role saved or deleted through the
ORM bumps a generation number that makes every kept copy stale, so a service that grants a role and
then checks it (or a test holding one user object across changes) never reads an old answer.
"""

from __future__ import annotations

from typing import NamedTuple

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

_ATTRIBUTE = "_civicmeter_roles"
_generation = 0


class Held(NamedTuple):
    """One role as the checks need it: ids only, so no further query."""

    programme_id: int
    kind: str
    city_id: int | None


def roles_of(user) -> tuple[Held, ...]:
    """Every role of ``user`` (an authenticated, saved user), from its memo when still current."""
    kept = getattr(user, _ATTRIBUTE, None)
    if kept is not None and kept[0] == _generation:
        return kept[1]
    from .models import Role

    generation = _generation
    rows = Role.objects.filter(user=user).values_list("programme_id", "kind", "city_id")
    roles = tuple(Held(*row) for row in rows)
    setattr(user, _ATTRIBUTE, (generation, roles))
    return roles


@receiver(post_save, sender="accounts.Role", dispatch_uid="accounts-role-memo-save")
@receiver(post_delete, sender="accounts.Role", dispatch_uid="accounts-role-memo-delete")
def _roles_changed(**kwargs) -> None:
    global _generation
    _generation += 1
