"""``civicmeter assessment review``: record a reviewer's decisions on a city's assessment in bulk."""

from __future__ import annotations

from pathlib import Path

import typer

from ._django import setup_django
from ._errors import user_errors
from ._lookup import PROGRAMME_OPTION, WAVE_OPTION, NotFound, find_wave

assessment_app = typer.Typer(help="Review data-use assessments.", no_args_is_help=True)


@assessment_app.command("review")
def review(
    file: Path = typer.Argument(
        ..., exists=True, dir_okay=False, help="CSV or XLSX with columns criterion, decision, comment."
    ),
    wave: str = WAVE_OPTION,
    city: str = typer.Option(..., "--city", help="City code (slug), e.g. baltimore-us."),
    programme: str = PROGRAMME_OPTION,
) -> None:
    """Record one decision per row (accepted, needs_evidence or not_met) for the city's response,
    all or nothing: every bad row is reported and nothing is written."""
    setup_django()
    from django.core.exceptions import ValidationError

    from civicmeter.instruments import ResponsesImportError
    from civicmeter.web.accounts.permissions import SYSTEM
    from civicmeter.web.collection.models import Response
    from civicmeter.web.collection.services import criteria_review_import

    with user_errors(NotFound, ResponsesImportError):
        target = find_wave(wave, programme)
        response = Response.objects.filter(wave=target, city__slug=city).first()
        if response is None:
            raise NotFound(
                f"{city} has no response in wave {target.code}; check the city code (its slug) and the wave"
            )
    try:
        reviews = criteria_review_import(
            actor=SYSTEM, response=response, filename=file.name, content=file.read_bytes()
        )
    except ValidationError as exc:
        typer.secho("error: " + "\n".join(exc.messages), err=True, fg=typer.colors.RED)
        raise typer.Exit(code=2) from exc
    typer.echo(f"Recorded {len(reviews)} review decisions for {city} in wave {target.code}.")


def register(app: typer.Typer) -> None:
    app.add_typer(assessment_app, name="assessment")
