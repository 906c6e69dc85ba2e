"""Turn errors a user can cause into an ``error:`` message and exit 2, never a traceback.

One way for every command: ``fail`` for a mistake found by the command itself, ``user_errors`` for
the domain's errors, ``refusals`` for a service's refusal (Django's ``ValidationError``, every
problem on a line of its own). Django is imported only by ``refusals``, when a command runs, so
``civicmeter --help`` stays fast.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import NoReturn

import typer


def fail(message: str) -> NoReturn:
    """Print ``error: <message>`` to stderr and exit 2."""
    typer.secho(f"error: {message}", err=True, fg=typer.colors.RED)
    raise typer.Exit(code=2)


@contextlib.contextmanager
def user_errors(*types: type[BaseException]) -> Iterator[None]:
    """``fail`` with the message of any of ``types`` raised inside (each of a ``ValidationError``'s
    messages on its own line)."""
    try:
        yield
    except types as exc:
        messages = getattr(exc, "messages", None)
        try:
            fail("\n".join(messages) if messages else str(exc))
        except typer.Exit as stop:
            raise stop from exc


@contextlib.contextmanager
def refusals(*types: type[BaseException]) -> Iterator[None]:
    """``user_errors`` for a service's ``ValidationError`` and ``types``."""
    from django.core.exceptions import ValidationError

    with user_errors(ValidationError, *types):
        yield
