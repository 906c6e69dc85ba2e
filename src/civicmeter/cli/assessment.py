"""``civicmeter assessment review``: record a reviewer's decisions on a city's assessment in bulk;
``civicmeter assessment roadmap``: a city's roadmap as CSV or PDF."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import typer

from ._django import setup_django
from ._errors import fail, user_errors
from ._lookup import PROGRAMME_OPTION, WAVE_OPTION, NotFound, find_wave

assessment_app = typer.Typer(help="Review data-use assessments.", no_args_is_help=True)


@assessment_app.command("review")
def review(
    file: Path = typer.Argument(
        ..., exists=True, dir_okay=False, help="CSV or XLSX with columns criterion, decision, comment."
    ),
    wave: str = WAVE_OPTION,
    city: str = typer.Option(..., "--city", help="City code (slug), e.g. baltimore-us."),
    reviewer: str = typer.Option(
        None, "--reviewer", help="Username whose decisions these are; must be assigned to the assessment."
    ),
    decided_on: datetime = typer.Option(
        None, "--decided-on", formats=["%Y-%m-%d"], help="Day the decisions were made (past reviews)."
    ),
    programme: str = PROGRAMME_OPTION,
) -> None:
    """Record one decision per row (accepted, needs_evidence or not_met) for the city's response,
    all or nothing: every bad row is reported and nothing is written. The rules of the review page
    apply: the assessment must be under review, and an accepted criterion's dated evidence must be
    inside its freshness window on the day of the decision (today, or --decided-on)."""
    setup_django()
    from django.contrib.auth import get_user_model
    from django.core.exceptions import PermissionDenied, ValidationError
    from django.utils import timezone

    from civicmeter.instruments import ResponsesImportError
    from civicmeter.web.accounts.permissions import SYSTEM
    from civicmeter.web.assessment.services import review_import
    from civicmeter.web.collection.models import Response

    with user_errors(NotFound, ResponsesImportError):
        target = find_wave(wave, programme)
        response = Response.objects.filter(wave=target, city__slug=city).first()
        if response is None:
            raise NotFound(
                f"{city} has no response in wave {target.code}; check the city code (its slug) and the wave"
            )
        user = None
        if reviewer:
            user = get_user_model().objects.filter(username=reviewer).first()
            if user is None:
                raise NotFound(f"--reviewer: no user is named {reviewer!r}; check the username")
    when = timezone.make_aware(decided_on) if decided_on else timezone.now()
    try:
        reviews = review_import(
            actor=SYSTEM.as_of(when, by=user),
            response=response,
            filename=file.name,
            content=file.read_bytes(),
        )
    except ValidationError as exc:
        fail("\n".join(exc.messages))
    except PermissionDenied as exc:
        fail(f"--reviewer: {exc}")
    typer.echo(f"Recorded {len(reviews)} review decisions for {city} in wave {target.code}.")


@assessment_app.command("roadmap")
def roadmap(
    wave: str = WAVE_OPTION,
    city: str = typer.Option(..., "--city", help="City code (slug), e.g. baltimore-us."),
    out: Path = typer.Option(..., "--out", dir_okay=False, help="Where to write it: FILE.csv or FILE.pdf."),
    language: str = typer.Option("en", "--language", help="en, es or fr."),
    programme: str = PROGRAMME_OPTION,
) -> None:
    """Write the city's roadmap: its unmet criteria, prerequisites first, then the nearest wins, each
    with the evidence that would satisfy it and the peer cities that meet it."""
    fmt = out.suffix.lower().lstrip(".")
    if fmt not in ("csv", "pdf"):
        fail(f"{out.name}: give a file ending in .csv or .pdf")
    setup_django()
    from django.utils import translation

    from civicmeter.web.assessment.roadmap_export import roadmap_csv, roadmap_pdf
    from civicmeter.web.collection.models import Response

    with user_errors(NotFound):
        target = find_wave(wave, programme)
        response = Response.objects.filter(wave=target, city__slug=city).first()
        if response is None or target.instrument.kind != "assessment":
            raise NotFound(
                f"{city} has no assessment in wave {target.code}; check the city code (its slug) and that "
                "the wave is an assessment wave"
            )
    with translation.override(language):
        body = roadmap_csv(response, language) if fmt == "csv" else roadmap_pdf(response, language)
    out.write_bytes(body)
    typer.echo(f"Wrote the roadmap of {city} in wave {target.code} to {out}.")


def register(app: typer.Typer) -> None:
    app.add_typer(assessment_app, name="assessment")
