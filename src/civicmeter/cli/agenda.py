"""``civicmeter agenda remind|export|import``: e-mail owners of overdue actions (for a scheduler, e.g.
daily from cron), and a city's agenda as CSV out and in (the same services as the web pages)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import typer

from ._django import setup_django
from ._errors import user_errors
from ._lookup import PROGRAMME_OPTION, NotFound, find_programme

agenda_app = typer.Typer(help="Cities' implementation agendas.", no_args_is_help=True)
CITY_OPTION = typer.Option(..., "--city", help="The city's slug, e.g. baltimore-us.")


def _city(slug: str):
    from civicmeter.web.programmes.models import City

    city = City.objects.filter(slug=slug).first()
    if city is None:
        raise NotFound(f"no city {slug!r}; use its slug (name and country code, e.g. baltimore-us)")
    return city


@agenda_app.command("remind")
def remind(
    today: datetime = typer.Option(
        None, "--today", formats=["%Y-%m-%d"], help="Count overdue as of this day [default: today]."
    ),
) -> None:
    """E-mail the owner of every overdue open action (at most once a week per action)."""
    setup_django()
    from civicmeter.web.accounts.permissions import SYSTEM
    from civicmeter.web.agenda.services import reminders_send

    reminded = reminders_send(actor=SYSTEM, today=today.date() if today else None)
    for action in reminded:
        typer.echo(f"reminded {action.owner_email}: {action.city.slug}, {action.title} (due {action.due_on})")
    typer.echo(f"{len(reminded)} reminder(s) queued.")


@agenda_app.command("export")
def export(
    city: str = CITY_OPTION,
    out: Path = typer.Option(None, "--out", help="Write here instead of standard output."),
    programme: str = PROGRAMME_OPTION,
) -> None:
    """A city's agenda as CSV (the columns the import reads)."""
    setup_django()
    from civicmeter.web.agenda import selectors, table

    with user_errors(NotFound):
        target, found = find_programme(programme), _city(city)
    text = table.write_csv(selectors.city_actions(target, found).order_by("id"))
    if out:
        out.write_text(text, encoding="utf-8")
    else:
        typer.echo(text, nl=False)


@agenda_app.command("import")
def import_(
    file: Path = typer.Argument(..., help="An agenda CSV (id empty for a new action)."),
    city: str = CITY_OPTION,
    programme: str = PROGRAMME_OPTION,
) -> None:
    """Create and change a city's actions from a CSV, all or nothing; every bad cell is reported."""
    setup_django()
    from civicmeter.web.accounts.permissions import SYSTEM
    from civicmeter.web.agenda import services, table

    with user_errors(NotFound, table.AgendaFileError, OSError):
        target, found = find_programme(programme), _city(city)
        run = services.agenda_import(
            actor=SYSTEM, programme=target, city=found, filename=file.name, content=file.read_bytes()
        )
    typer.echo(
        f"Imported {file.name}: {run.created} added, {run.updated} changed, {run.unchanged} unchanged."
    )


def register(app: typer.Typer) -> None:
    app.add_typer(agenda_app, name="agenda")
