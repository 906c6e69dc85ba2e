"""Create, revoke and record the use of personal API tokens (the token page and ``civicmeter token``).

A token carries no rights of its own: a request with it acts as its user, so what a script may do is
exactly what its user's roles allow, checked by the same services the web pages call. Only the user
(or the operator at the shell) creates and revokes a user's tokens.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from civicmeter.web.accounts.permissions import SystemActor, now_for, user_of

from .models import ApiToken
from .selectors import key_digest

#: Keys start with this mark so a leaked one is recognisable (and findable by secret scanners).
KEY_MARK = "cm_"
MAX_NAME = 100
#: ``last_used_at`` is written at most this often per token: a script's every request must not write.
USE_RESOLUTION = timedelta(minutes=1)


@dataclass(frozen=True)
class IssuedToken:
    """A new token and its key: the key is shown once and never stored."""

    token: ApiToken
    key: str


def _require_owner(actor, user) -> None:
    if isinstance(actor, SystemActor) or getattr(actor, "is_superuser", False):
        return
    if not getattr(actor, "is_authenticated", False) or actor.pk != user.pk:
        raise PermissionDenied(_("You may only manage your own API tokens."))


@transaction.atomic(durable=True)
def token_create(*, actor, user, name: str) -> IssuedToken:
    """A new token for ``user`` named ``name``; the returned key is the only copy there will be."""
    _require_owner(actor, user)
    name = (name or "").strip()
    if not name:
        raise ValidationError(_("Give the token a name that says what it is for, e.g. “import script”."))
    if len(name) > MAX_NAME:
        raise ValidationError(_("A token name has at most %(max)d characters.") % {"max": MAX_NAME})
    if not user.is_active:
        raise ValidationError(_("The account %(user)s is deactivated.") % {"user": user.get_username()})
    prefix = secrets.token_hex(4)
    key = f"{KEY_MARK}{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        user=user, name=name, prefix=prefix, key_sha256=key_digest(key), created_at=now_for(actor)
    )
    return IssuedToken(token=token, key=key)


@transaction.atomic(durable=True)
def token_revoke(*, actor, token: ApiToken) -> ApiToken:
    """Revoke ``token`` at once (requests with its key fail from now on); revoking twice is a no-op."""
    _require_owner(actor, token.user)
    if token.revoked_at is None:
        token.revoked_at = now_for(actor)
        token.revoked_by = user_of(actor)
        token.save(update_fields=["revoked_at", "revoked_by"])
    return token


def token_mark_used(*, actor, token: ApiToken) -> None:
    """Record that ``token`` was used now (shown on the token page), at most once a minute."""
    now = now_for(actor)
    if token.last_used_at and now - token.last_used_at < USE_RESOLUTION:
        return
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now
