"""Django's CSRF check, kept as it is, with one allowance: signing in when the client kept no cookie.

Django insists on its CSRF cookie for every POST. A script that reads the sign-in page without a
cookie jar and then posts the form (an operator's health check with ``curl``, say) was therefore
refused with 403 although it sent the page's own token. For the sign-in view only, this middleware
accepts such a post when

* the posted token unmasks to a secret this site issued (every visitor without a cookie is given
  a *signed* secret: random characters, the minute it was issued, and an HMAC of both under
  ``SECRET_KEY``), issued less than :data:`MAX_AGE_SECONDS` ago, so a token cannot be made up; and
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

from django.conf import settings
from django.middleware.csrf import (
    CSRF_TOKEN_LENGTH,
    InvalidTokenFormat,
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


class CookielessSignInMiddleware:
    """Placed just before Django's ``CsrfViewMiddleware``, which stays in charge of every check.

    A visitor without the CSRF cookie is given a signed secret (:func:`issued_secret`) for the
    pages it reads. A cookieless post to the sign-in view whose token carries such a secret, fresh,
    and no cross-site signal, has that secret put in place of the missing cookie, so Django's own
    check then compares the token with it as usual.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.CSRF_COOKIE_NAME not in request.COOKIES:
            request.META["CSRF_COOKIE"] = issued_secret()  # Django leaves it unset without a cookie
        return self.get_response(request)

    def process_view(self, request, callback, callback_args, callback_kwargs):
        if settings.CSRF_COOKIE_NAME not in request.COOKIES:
            secret = _signed_in_secret(request)
            if secret is not None:
                request.COOKIES[settings.CSRF_COOKIE_NAME] = secret
        return None


def _signed_in_secret(request) -> str | None:
    """The issued secret a cookieless sign-in post carries, or None (see the module docstring)."""
    match = getattr(request, "resolver_match", None)
    if request.method != "POST" or match is None or match.view_name != SIGN_IN_VIEW:
        return None
    if request.META.get("HTTP_SEC_FETCH_SITE", "same-origin") not in ("same-origin", "none"):
        return None
    token = request.POST.get("csrfmiddlewaretoken", "")
    try:
        _check_token_format(token)
    except InvalidTokenFormat:
        return None
    secret = _unmask_cipher_token(token) if len(token) == CSRF_TOKEN_LENGTH else token
    return secret if was_issued(secret) else None
