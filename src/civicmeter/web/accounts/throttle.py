"""The client address that sign-in throttling counts failures against."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """REMOTE_ADDR, or behind the TLS proxy the address that proxy appended to X-Forwarded-For.

    Only the last entry is the proxy's own; earlier ones come from the client and could be forged to
    dodge the per-address limit. Without a proxy the header is ignored for the same reason.
    """
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if forwarded[-1]:
            return forwarded[-1]
    return request.META.get("REMOTE_ADDR", "")
