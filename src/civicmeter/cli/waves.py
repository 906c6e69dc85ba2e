"""``civicmeter wave pair``: show an assessment wave's data-use scores beside a survey wave."""

from __future__ import annotations

import typer

from ._django import setup_django
from ._errors import user_errors
from ._lookup import PROGRAMME_OPTION, WAVE_OPTION, NotFound, find_wave

wave_app = typer.Typer(help="Set up a programme's waves.", no_args_is_help=True)


@wave_app.command("pair")
def pair(
    wave: str = WAVE_OPTION,
    with_: str = typer.Option(None, "--with", help="The survey wave whose results show the scores."),
    none: bool = typer.Option(False, "--none", help="Unpair the assessment wave instead."),
    programme: str = PROGRAMME_OPTION,
) -> None:
    """Pair an assessment wave with a survey wave of its programme (or unpair it with --none)."""
    if (with_ is None) == (not none):
        raise typer.BadParameter(
            "name the survey wave with --with CODE, or unpair with --none", param_hint="--with"
        )
    setup_django()
    from django.core.exceptions import ValidationError

    from civicmeter.web.accounts.permissions import SYSTEM
    from civicmeter.web.programmes.services import wave_pair

    with user_errors(NotFound):
        assessment = find_wave(wave, programme)
        survey = None if none else find_wave(with_, assessment.programme.slug)
    try:
        wave_pair(actor=SYSTEM, assessment_wave=assessment, survey_wave=survey)
    except ValidationError as exc:
        typer.secho("error: " + " ".join(exc.messages), err=True, fg=typer.colors.RED)
        raise typer.Exit(code=2) from exc
    if survey is None:
        typer.echo(f"Unpaired assessment wave {assessment.code}.")
    else:
        typer.echo(f"Paired assessment wave {assessment.code} with survey wave {survey.code}.")


def register(app: typer.Typer) -> None:
    app.add_typer(wave_app, name="wave")
