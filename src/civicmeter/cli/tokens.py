"""``civicmeter token create|list|revoke``: personal API tokens from the shell.

The operator at the shell (the system actor) manages any user's tokens through the same services as
the user's own API tokens page; a new key is printed once and never stored.
"""

from __future__ import annotations

import typer

from ._django import setup_django
from ._errors import user_errors

token_app = typer.Typer(
    help="Personal API tokens (the API's Authorization: Token <key>).", no_args_is_help=True
)
USER_OPTION = typer.Option(..., "--user", help="The user the token acts as (username).")


class NoSuchUser(LookupError):
    """The --user names no account."""


def _user(username: str):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise NoSuchUser(f"no user {username!r}; check the username (civicmeter token list --user NAME)")
    return user


@token_app.command("create")
def create(
    user: str = USER_OPTION,
    name: str = typer.Option(..., "--name", help="What the token is for, e.g. 'import script'."),
) -> None:
    """Create a token; the key is printed once (keep it like a password)."""
    setup_django()
    from django.core.exceptions import ValidationError

    from civicmeter.web.accounts.permissions import SYSTEM
    from civicmeter.web.api import services

    with user_errors(NoSuchUser, ValidationError):
        issued = services.token_create(actor=SYSTEM, user=_user(user), name=name)
    token = issued.token
    typer.echo(f"created token {token.pk} ({token.name!r}) for {user}; its key, shown only now:")
    typer.echo(issued.key)


@token_app.command("list")
def list_tokens(user: str = USER_OPTION) -> None:
    """List a user's tokens: id, prefix, name, created, last used, state."""
    setup_django()
    from civicmeter.web.api import selectors

    with user_errors(NoSuchUser):
        tokens = list(selectors.tokens_of(_user(user)))
    if not tokens:
        typer.echo(f"{user} has no API tokens")
    for token in tokens:
        used = f"{token.last_used_at:%Y-%m-%d %H:%M}" if token.last_used_at else "never used"
        state = "active" if token.is_active else f"revoked {token.revoked_at:%Y-%m-%d %H:%M}"
        created = f"created {token.created_at:%Y-%m-%d %H:%M}"
        typer.echo(f"{token.pk}\tcm_{token.prefix}…\t{token.name}\t{created}\t{used}\t{state}")


@token_app.command("revoke")
def revoke(
    token_id: int = typer.Argument(..., help="The token's id (first column of `civicmeter token list`)."),
    user: str = USER_OPTION,
) -> None:
    """Revoke a token at once: requests with its key are refused from now on."""
    setup_django()
    from civicmeter.web.accounts.permissions import SYSTEM
    from civicmeter.web.api import selectors, services

    with user_errors(NoSuchUser, LookupError):
        token = selectors.tokens_of(_user(user)).filter(pk=token_id).first()
        if token is None:
            raise LookupError(f"{user} has no token {token_id}; see civicmeter token list --user {user}")
        services.token_revoke(actor=SYSTEM, token=token)
    typer.echo(f"revoked token {token.pk} ({token.name!r}) of {user}")


def register(app: typer.Typer) -> None:
    app.add_typer(token_app, name="token")
