"""``civicmeter demo`` and ``civicmeter serve``: run the web platform."""

from __future__ import annotations

import os

import typer

from . import _server
from ._django import setup_django
from ._errors import fail


def _migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def demo(
    port: int = typer.Option(8000, help="Port to serve on."),
    serve: bool = typer.Option(True, "--serve/--no-serve", help="Start the web server after loading."),
) -> None:
    """Set up a local demo: migrate, load the demo programme, print the logins, serve.

    The demo runs like production (no DEBUG, gunicorn) on 127.0.0.1; it only generates its secret key
    into CIVICMETER_HOME and writes e-mail to files there instead of sending it.
    """
    os.environ["CIVICMETER_DEMO"] = "1"
    if serve:
        _refuse_busy_port("127.0.0.1", port)
    _allow_local_http("127.0.0.1", port)
    setup_django()
    _migrate()
    from rich.console import Console

    from civicmeter.web.programmes.demo import DEMO_PASSWORD, DemoIncomplete, demo_load

    from ._errors import user_errors

    console = Console(stderr=True)
    with user_errors(DemoIncomplete), console.status("Loading the demo programme") as status:
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
        _serve("127.0.0.1", port, _server.ServerSize.choose(None, None), dev=False)


LOOPBACK_NOTE = (
    "Listening on a loopback address: plain HTTP and the host names 127.0.0.1 and localhost are "
    "allowed. Any other address keeps HTTPS-only cookies and redirects (docs/operations.md)."
)


def serve(
    port: int = typer.Option(8000, help="Port to serve on."),
    host: str = typer.Option("127.0.0.1", help="Interface to listen on."),
    workers: int = typer.Option(
        None, min=1, help="Web server processes [default: CIVICMETER_WORKERS, else 2 x CPUs + 1, at most 8]."
    ),
    threads: int = typer.Option(
        None, min=1, help="Threads per process [default: CIVICMETER_THREADS, else 2]."
    ),
    dev: bool = typer.Option(
        False, "--dev", help="Django's development server with DEBUG on instead (never in production)."
    ),
) -> None:
    """Serve an existing installation with gunicorn and a background-task worker (Ctrl-C stops both).

    Migrates first. Static files are served by the app (WhiteNoise). On a loopback address plain HTTP
    works as is; elsewhere, set ALLOWED_HOSTS and put a TLS-terminating proxy in front.
    """
    if dev:
        os.environ.setdefault("DEBUG", "1")
    _refuse_busy_port(host, port)
    _allow_local_http(host, port)
    try:
        size = _server.ServerSize.choose(workers, threads)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from exc
    setup_django()
    _migrate()
    _serve(host, port, size, dev=dev)


def _refuse_busy_port(host: str, port: int) -> None:
    """Stop before any work when the address is taken: a client would reach the other server."""
    if _server.port_in_use(host, port):
        fail(
            f"{host}:{port} is already in use (another server, perhaps an earlier "
            "`civicmeter serve` or `make demo` still running). Stop it, or choose another --port."
        )


def _allow_local_http(host: str, port: int) -> None:
    """Mark a loopback-only server and its port for the settings (read by this process and every
    child): plain HTTP, and a post from any loopback name of this port accepted (CSRF origin)."""
    if _server.is_loopback(host):
        os.environ["CIVICMETER_LOCAL_HTTP"] = "1"
        os.environ["CIVICMETER_LOCAL_PORT"] = str(port)


def _serve(host: str, port: int, size: _server.ServerSize, *, dev: bool) -> None:
    from django.conf import settings
    from django.db import connections

    if not settings.DEBUG and not settings.ALLOWED_HOSTS:
        fail(
            f"ALLOWED_HOSTS is empty, so every request to {host} would be refused. Set ALLOWED_HOSTS "
            "to the site's host names (comma-separated), or serve on 127.0.0.1."
        )
    connections.close_all()  # the children open their own
    supervisor = _server.Supervisor({**os.environ, "DJANGO_SETTINGS_MODULE": "civicmeter.web.settings"})
    supervisor.start(_server.worker_argv())
    if dev:
        web = supervisor.start(_server.django_argv("runserver", f"{host}:{port}", "--noreload"))
        typer.echo(f"Development server (DEBUG on) at http://{host}:{port}/ (Ctrl-C to stop)")
    else:
        web = supervisor.start(_server.gunicorn_argv(host, port, size))
        typer.echo(
            f"Serving on http://{host}:{port}/ with gunicorn ({size.workers} processes x {size.threads} "
            "threads) and a background-task worker (Ctrl-C to stop)"
        )
        if _server.is_loopback(host):
            typer.echo(LOOPBACK_NOTE)
    code = supervisor.run(web)
    if code:
        raise typer.Exit(code=code)


def register(app: typer.Typer) -> None:
    app.command()(demo)
    app.command()(serve)
