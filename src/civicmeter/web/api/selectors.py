"""Reads of API tokens: a user's own list, and the token a request presents."""

from __future__ import annotations

import hashlib

from django.db.models import QuerySet

from .models import ApiToken


def key_digest(key: str) -> str:
    """The stored form of a key (see ``models``: a digest of a random key, never the key)."""
    return hashlib.sha256(key.encode()).hexdigest()


def tokens_of(user) -> QuerySet:
    """Every token ``user`` created, newest first, revoked ones included (they stay listed)."""
    return ApiToken.objects.filter(user=user)


def active_token(key: str) -> ApiToken | None:
    """The unrevoked token with this key, with its active user, or None."""
    return (
        ApiToken.objects.select_related("user")
        .filter(key_sha256=key_digest(key), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
