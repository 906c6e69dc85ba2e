"""``Authorization: Token <key>`` (or ``Bearer <key>``) for the REST API.

The key identifies one of the user's API tokens (``models.ApiToken``); the request then acts as that
user. Sessions are not accepted by the API: a browser signed in to the site reads the API as anyone
does, and a write always names its token, so no cross-site request can write through a cookie.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from . import selectors, services

SCHEMES = ("token", "bearer")


class ApiTokenAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].decode(errors="replace").lower() not in SCHEMES:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                _("The Authorization header must be “Token <key>”, with the key and nothing else.")
            )
        token = selectors.active_token(header[1].decode(errors="replace"))
        if token is None:
            raise exceptions.AuthenticationFailed(
                _("This API token is unknown or revoked; create a new one on your API tokens page.")
            )
        services.token_mark_used(actor=token.user, token=token)
        return token.user, token

    def authenticate_header(self, request) -> str:
        return 'Token realm="api"'


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """Describes the token header in the OpenAPI schema (drf-spectacular finds it by subclassing)."""

    target_class = "civicmeter.web.api.authentication.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "“Token <key>”: a personal API token (your API tokens page or "
            "`civicmeter token create`).",
        }
