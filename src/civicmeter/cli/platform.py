"""``civicmeter demo`` and ``civicmeter serve``: run the web platform."""

from __future__ import annotations

import os
import subprocess
import sys

import typer

from ._django import setup_django


def _migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def demo(
    port: int = typer.Option(8000, help="Port to serve on."),
    serve: bool = typer.Option(True, "--serve/--no-serve", help="Start the web server after loading."),
) -> None:
    """Set up a local demo: migrate, load the demo programme, print the logins, serve."""
    os.environ.setdefault("DEBUG", "1")
    setup_django()
    _migrate()
    from rich.console import Console

    from civicmeter.web.programmes.demo import DEMO_PASSWORD, demo_load

    console = Console(stderr=True)
    with console.status("Loading the demo programme") as status:
        summary = demo_load(progress=lambda msg: status.update(f"Loading the demo programme: {msg}"))
    if summary.created:
        from civicmeter.web.accounts.permissions import SYSTEM
        from civicmeter.web.results.services import scores_compute

        for wave in summary.programme.waves.order_by("code"):
            with console.status(f"Scoring the {wave.code} wave with rank intervals"):
                scores_compute(actor=SYSTEM, wave=wave)
    from civicmeter.web.wellbeing.demo import load_demo_outcomes

    with console.status("Importing the demo outcome data"):
        imports = load_demo_outcomes(summary.programme)
    verb = "Loaded" if summary.created else "Found"
    typer.echo(
        f"{verb} demo programme '{summary.programme.name}': {summary.cities} cities, "
        f"{summary.responses} responses (synthetic answers, labelled so)."
    )
    typer.echo(
        "Outcome data (real, sources on the outcomes page): "
        + ", ".join(f"{run.filename} ({run.get_status_display()})" for run in imports)
    )
    typer.echo(f"Demo logins (password '{DEMO_PASSWORD}' for all, local use only):")
    typer.echo("  admin          programme admin (wave dashboards, import/export)")
    typer.echo("  reviewer       reviewer (reads everything; reviews data-use criteria)")
    typer.echo("  baltimore-us   respondent for Baltimore; every city has one, named by its slug")
    if serve:
        _runserver(port)


def serve(
    port: int = typer.Option(8000, help="Port to serve on."),
    host: str = typer.Option("127.0.0.1", help="Interface to listen on."),
) -> None:
    """Serve the web platform with Django's development server (for a single machine).

    For production, run a WSGI server on ``civicmeter.web.wsgi:application`` (docs/operations.md).
    """
    setup_django()
    _migrate()
    _runserver(port, host)


def _start_worker() -> subprocess.Popen:
    """The background-task worker (analysis reports, large imports), beside the web server."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "civicmeter.web.settings"}
    return subprocess.Popen(  # noqa: S603 - our own interpreter and Django's management command
        [sys.executable, "-m", "django", "db_worker", "--interval", "1"], env=env
    )


def _runserver(port: int, host: str = "127.0.0.1") -> None:
    from django.core.management import call_command

    worker = _start_worker()
    typer.echo(f"Serving on http://{host}:{port}/ with a background worker (Ctrl+C to stop)")
    try:
        call_command("runserver", f"{host}:{port}", use_reloader=False, use_threading=True)
    finally:
        worker.terminate()
        worker.wait(timeout=10)


def register(app: typer.Typer) -> None:
    app.command()(demo)
    app.command()(serve)
