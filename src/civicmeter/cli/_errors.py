"""Turn errors a user can cause into a one-line message and a non-zero exit, never a traceback."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import typer


@contextlib.contextmanager
def user_errors(*types: type[BaseException]) -> Iterator[None]:
    """Print ``error: <message>`` to stderr and exit 2 for any of ``types`` raised inside."""
    try:
        yield
    except types as exc:
        typer.secho(f"error: {exc}", err=True, fg=typer.colors.RED)
        raise typer.Exit(code=2) from exc
