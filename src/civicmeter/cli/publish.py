"""``civicmeter publish``: write a published wave's public site as static files (no Python needed
to serve them), with a progress bar."""

from __future__ import annotations

import time
from pathlib import Path

import typer

from ._django import setup_django
from ._errors import user_errors
from ._lookup import PROGRAMME_OPTION, WAVE_OPTION, NotFound, find_wave


def publish(
    wave: str = WAVE_OPTION,
    out: Path = typer.Option(..., "--out", help="Folder to write the site into (created if needed)."),
    language: list[str] = typer.Option(
        None, "--language", help="A page language (repeat for several) [default: every language]."
    ),
    pdf: bool = typer.Option(True, "--pdf/--no-pdf", help="Write each snapshot and the findings as PDF."),
    workers: int = typer.Option(
        None, "--workers", min=1, help="Processes rendering pages [default: one per core]."
    ),
    programme: str = PROGRAMME_OPTION,
) -> None:
    """Write the public site of a published wave into OUT: map, city snapshots, findings, PDFs and
    the published data (CSV, a Frictionless Data Package, compare.json), in each language, with
    relative links so any static web server (or a folder on a USB stick) serves it."""
    setup_django()
    from django.conf import settings
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from civicmeter.web.explorer.static_site import PublishError, build_site

    known = [code for code, _name in settings.LANGUAGES]
    languages = tuple(language or known)
    unknown = [code for code in languages if code not in known]
    with user_errors(NotFound, PublishError):
        if unknown:
            raise NotFound(f"no page language {', '.join(unknown)}; choose from {', '.join(known)}")
        target = find_wave(wave, programme)
        started = time.perf_counter()
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        with Progress(*columns, transient=True) as progress:
            task = progress.add_task(f"Publishing wave {target.code}", total=None)
            report = build_site(
                target,
                out,
                languages=languages,
                pdfs=pdf,
                workers=workers,
                on_start=lambda total: progress.update(task, total=total),
                on_step=lambda path: progress.advance(task),
            )
    seconds = time.perf_counter() - started
    typer.echo(
        f"Wrote {report.pages} pages, {report.pdfs} PDFs, {report.data_files} data files and "
        f"{report.static_files} static files to {out} in {seconds:.1f} s."
    )
    if report.dropped_links:
        dropped = len(report.dropped_links)
        typer.echo(f"Links to pages outside this site left as plain text: {dropped}.")
    typer.echo(f"Serve it with any web server, e.g. python -m http.server --directory {out} --bind 127.0.0.1")


def register(app: typer.Typer) -> None:
    app.command("publish")(publish)
