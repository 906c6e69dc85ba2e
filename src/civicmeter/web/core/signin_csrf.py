"""Django's CSRF check, with one allowance: signing in when the client kept no cookie.

Django insists on its CSRF cookie for every POST. A script that reads the sign-in page without a
cookie jar and then posts the form (an operator's health check with ``curl``, say) was therefore
refused with 403 although it sent the page's own token. For the sign-in view only, this middleware
accepts such a post when

* the posted token unmasks to a secret this site issued (every visitor without a cookie is given
  a *signed* secret: random characters, the minute it was issued, and an HMAC of both under
  ``SECRET_KEY``), issued less than :data:`MAX_AGE` ago, so a token cannot be made up; and
* nothing says the post comes from another site: Django has already refused a mismatching
  ``Origin``, and a ``Sec-Fetch-Site`` other than ``same-origin`` or ``none`` is refused here.

Login CSRF needs a victim's browser, and browsers send ``Origin`` (and ``Sec-Fetch-Site``) with
every cross-site POST, so that is what guards the cookieless case; a client with the cookie, and
every other view, get Django's check unchanged.
"""

from __future__ import annotations

import secrets
import string
import time

from django.middleware.csrf import (
    CSRF_TOKEN_LENGTH,
    REASON_NO_CSRF_COOKIE,
    CsrfViewMiddleware,
    InvalidTokenFormat,
    RejectRequest,
    _check_token_format,
    _unmask_cipher_token,
)
from django.utils.crypto import constant_time_compare, salted_hmac

#: How long a token issued without a cookie signs in.
MAX_AGE_SECONDS = 24 * 3600
SIGN_IN_VIEW = "accounts:login"
_ALPHABET = string.ascii_letters + string.digits  # Django's secret alphabet (62 characters)
_RANDOM, _MINUTE, _MAC = 10, 6, 16  # 32 characters, Django's secret length
_SALT = "civicmeter.web.core.signin_csrf"


def _base62(number: int, width: int) -> str:
    digits = []
    for _ in range(width):
        number, digit = divmod(number, 62)
        digits.append(_ALPHABET[digit])
    return "".join(reversed(digits))


def _mac(body: str) -> str:
    return "".join(_ALPHABET[byte % 62] for byte in salted_hmac(_SALT, body).digest()[:_MAC])


def issued_secret(now: float | None = None) -> str:
    """A CSRF secret this site can recognise later without having stored it."""
    minute = int((time.time() if now is None else now) // 60)
    body = "".join(secrets.choice(_ALPHABET) for _ in range(_RANDOM)) + _base62(minute, _MINUTE)
    return body + _mac(body)


def was_issued(secret: str, now: float | None = None) -> bool:
    """Is ``secret`` one of :func:`issued_secret`'s, issued less than :data:`MAX_AGE_SECONDS` ago?"""
    body, mac = secret[: _RANDOM + _MINUTE], secret[_RANDOM + _MINUTE :]
    if not constant_time_compare(mac, _mac(body)):
        return False
    minute = 0
    for char in body[_RANDOM:]:
        minute = minute * 62 + _ALPHABET.index(char)
    age = (time.time() if now is None else now) - minute * 60
    return -60 <= age < MAX_AGE_SECONDS


class SignInCsrfViewMiddleware(CsrfViewMiddleware):
    """``CsrfViewMiddleware`` (see the module docstring for the one allowance)."""

    def process_request(self, request):
        super().process_request(request)
        if "CSRF_COOKIE" not in request.META:  # no cookie: the secret a page will use is a signed one
            request.META["CSRF_COOKIE"] = issued_secret()

    def _check_token(self, request):
        try:
            super()._check_token(request)
        except RejectRequest as refused:
            if refused.reason != REASON_NO_CSRF_COOKIE or not self._signs_in_without_cookie(request):
                raise

    def _signs_in_without_cookie(self, request) -> bool:
        match = getattr(request, "resolver_match", None)
        if request.method != "POST" or match is None or match.view_name != SIGN_IN_VIEW:
            return False
        if request.META.get("HTTP_SEC_FETCH_SITE", "same-origin") not in ("same-origin", "none"):
            return False
        token = request.POST.get("csrfmiddlewaretoken", "")
        try:
            _check_token_format(token)
        except InvalidTokenFormat:
            return False
        secret = _unmask_cipher_token(token) if len(token) == CSRF_TOKEN_LENGTH else token
        return was_issued(secret)
