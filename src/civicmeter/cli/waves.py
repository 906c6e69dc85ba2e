"""``civicmeter wave create``, ``wave pair`` and ``wave close|publish|unpublish``: add a wave to a
programme; show an assessment wave's data-use scores beside a survey wave; change what is public."""

from __future__ import annotations

from datetime import datetime

import typer

from ._django import setup_django
from ._errors import refusals, user_errors
from ._lookup import PROGRAMME_OPTION, WAVE_OPTION, NotFound, find_programme, find_wave

wave_app = typer.Typer(help="Set up a programme's waves.", no_args_is_help=True)


@wave_app.command("create")
def create(
    code: str = typer.Option(..., "--code", help="The wave's code, e.g. 2022."),
    instrument: str = typer.Option(
        ..., "--instrument", help="Form id of a registered instrument, e.g. innovation_capacity."
    ),
    version: str = typer.Option(None, "--version", help="Its version [default: the only one]."),
    title: str = typer.Option("", "--title", help="e.g. Third survey."),
    status: str = typer.Option("draft", "--status", help="draft, open, closed or published."),
    opens: datetime = typer.Option(None, "--opens", formats=["%Y-%m-%d"], help="First day, YYYY-MM-DD."),
    closes: datetime = typer.Option(None, "--closes", formats=["%Y-%m-%d"], help="Last day, YYYY-MM-DD."),
    programme: str = PROGRAMME_OPTION,
) -> None:
    """Add a wave of a registered instrument to a programme."""
    setup_django()
    from civicmeter.web.accounts.permissions import SYSTEM
    from civicmeter.web.programmes.models import Instrument
    from civicmeter.web.programmes.services import WaveSpec, wave_create

    from .programme import refusals

    with user_errors(NotFound):
        target = find_programme(programme)
        versions = Instrument.objects.filter(form_id=instrument)
        if version:
            versions = versions.filter(version=version)
        found = list(versions[:2])
        if len(found) != 1:
            raise NotFound(
                f"no instrument {instrument!r}{' version ' + version if version else ''}; register it first"
                if not found
                else f"instrument {instrument!r} has several versions; name one with --version"
            )
    spec = WaveSpec(
        code=code,
        title=title,
        status=status,
        opens_on=opens.date() if opens else None,
        closes_on=closes.date() if closes else None,
    )
    with refusals():
        wave = wave_create(actor=SYSTEM, programme=target, instrument=found[0], spec=spec)
    typer.echo(f"Created wave {wave.code} ({wave.get_status_display().lower()}) in {target.slug}.")


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
    from civicmeter.web.accounts.permissions import SYSTEM
    from civicmeter.web.programmes.services import wave_pair

    with user_errors(NotFound):
        assessment = find_wave(wave, programme)
        survey = None if none else find_wave(with_, assessment.programme.slug)
    with refusals():
        wave_pair(actor=SYSTEM, assessment_wave=assessment, survey_wave=survey)
    if survey is None:
        typer.echo(f"Unpaired assessment wave {assessment.code}.")
    else:
        typer.echo(f"Paired assessment wave {assessment.code} with survey wave {survey.code}.")


def _status_change(service_name: str, wave: str, programme: str | None, done: str) -> None:
    """Run one publication service on the named wave as the system actor; a refusal is one line."""
    setup_django()
    from civicmeter.web.accounts.permissions import SYSTEM
    from civicmeter.web.programmes import services

    with user_errors(NotFound):
        target = find_wave(wave, programme)
    with refusals():
        getattr(services, service_name)(actor=SYSTEM, wave=target)
    typer.echo(done.format(wave=target.code, programme=target.programme.slug))
    if service_name == "wave_publish":
        _say_what_is_public(target)


def _say_what_is_public(wave) -> None:
    """Only validated responses are public: say how many are, and how many wait for validation."""
    from django.db.models import Count

    from civicmeter.web.collection.models import Response

    statuses = dict(
        Response.objects.filter(wave=wave)
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    typer.echo(f"  {statuses.get('validated', 0)} validated responses are public.")
    waiting = statuses.get("submitted", 0)
    if waiting:
        typer.echo(
            f"  {waiting} submitted responses are not validated yet and stay private; validate them on "
            "the wave dashboard and they appear at once."
        )


@wave_app.command("close")
def close(wave: str = WAVE_OPTION, programme: str = PROGRAMME_OPTION) -> None:
    """Close a wave to answers (a published wave is unpublished)."""
    _status_change("wave_close", wave, programme, "Closed wave {wave} of {programme}.")


@wave_app.command("publish")
def publish(wave: str = WAVE_OPTION, programme: str = PROGRAMME_OPTION) -> None:
    """Publish a closed wave: its validated responses' aggregates, scores and agreed profile facts
    appear on the public pages (/cities/..., /map/)."""
    _status_change(
        "wave_publish", wave, programme, "Published wave {wave} of {programme}: its results are public."
    )


@wave_app.command("unpublish")
def unpublish(wave: str = WAVE_OPTION, programme: str = PROGRAMME_OPTION) -> None:
    """Take a published wave off the public pages (it is closed again)."""
    _status_change(
        "wave_unpublish", wave, programme, "Unpublished wave {wave} of {programme}: it is closed again."
    )


def register(app: typer.Typer) -> None:
    app.add_typer(wave_app, name="wave")
