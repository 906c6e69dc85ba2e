"""``civicmeter programme create``, ``cities import``, ``members add`` and ``instrument register``: set
up a programme.

Each command calls the programme service the demo loader calls, as the system actor (the operator
at the shell). Refusals print every problem and exit 2; nothing is half-written.
"""

from __future__ import annotations

from pathlib import Path

import typer

from ._django import setup_django
from ._errors import refusals, user_errors
from ._flags import input_file
from ._lookup import PROGRAMME_OPTION, NotFound, find_programme
from .instrument import instrument_app

programme_app = typer.Typer(help="Create a programme.", no_args_is_help=True)
cities_app = typer.Typer(help="Add or update the cities programmes work with.", no_args_is_help=True)
members_app = typer.Typer(help="Give people their role in a programme.", no_args_is_help=True)


@programme_app.command("create")
def create(
    slug: str = typer.Option(
        ..., "--slug", help="The programme's code in addresses, e.g. innovation-capacity."
    ),
    name: str = typer.Option(..., "--name", help="Its name, in the site's default language."),
    description: str = typer.Option("", "--description", help="What the programme is, for its pages."),
) -> None:
    """Create a programme; then add cities, members and waves."""
    setup_django()
    from civicmeter.web.accounts.permissions import SYSTEM
    from civicmeter.web.programmes.services import programme_create

    with refusals():
        programme = programme_create(actor=SYSTEM, slug=slug, name=name, description=description)
    typer.echo(f"Created programme {programme.slug} ('{programme.name}').")


@cities_app.command("import")
def cities_import_command(
    file: Path = input_file(
        "CSV or XLSX with columns name, country and optionally slug, region, population, "
        "population_year, latitude, longitude, mayor."
    ),
) -> None:
    """Add the file's cities and update those already known (matched by slug), all or nothing."""
    setup_django()
    from civicmeter.instruments import ResponsesImportError
    from civicmeter.web.accounts.permissions import SYSTEM
    from civicmeter.web.programmes.cities_file import read_cities
    from civicmeter.web.programmes.services import cities_import

    with refusals(), user_errors(ResponsesImportError):
        cities = cities_import(actor=SYSTEM, cities=read_cities(file.name, file.read_bytes()))
    typer.echo(f"Imported {len(cities)} cities from {file.name}.")


@members_app.command("add")
def members_add_command(
    file: Path = input_file("CSV or XLSX with columns username, email, role, city."),
    programme: str = PROGRAMME_OPTION,
) -> None:
    """Give each row's person a role (admin, reviewer, or respondent for a city's slug), creating
    missing accounts without a password: each sets one with "Forgot your password?"."""
    setup_django()
    from civicmeter.instruments import ResponsesImportError, files
    from civicmeter.web.accounts.permissions import SYSTEM
    from civicmeter.web.programmes.services import Member, members_add

    with user_errors(NotFound, ResponsesImportError):
        target = find_programme(programme)
        frame = files.read_table(file.read_bytes(), name=file.name)
        missing = [c for c in ("username", "email", "role") if c not in frame.columns]
        if missing:
            raise NotFound(f"{file.name} has no {' or '.join(missing)} column (username, email, role, city)")
    members = [
        Member(
            username=row["username"].strip(),
            email=row["email"].strip(),
            kind=row["role"].strip().lower(),
            city=str(row.get("city", "")).strip(),
        )
        for row in frame.to_dict("records")
    ]
    with refusals():
        roles = members_add(actor=SYSTEM, programme=target, members=members)
    typer.echo(f"Gave {len(roles)} people their role in {target.slug}.")


def register_instrument(
    file: Path = input_file("XLSForm workbook (.xlsx)."),
    kind: str = typer.Option("survey", "--kind", help="survey (a questionnaire) or assessment."),
) -> None:
    """Store a checked instrument version so waves can use it (same bytes again: nothing changes)."""
    setup_django()
    from civicmeter.instruments import InstrumentError
    from civicmeter.web.accounts.permissions import SYSTEM
    from civicmeter.web.programmes.models import Instrument
    from civicmeter.web.programmes.services import instrument_register

    if kind not in Instrument.Kind.values:
        raise typer.BadParameter(f"use survey or assessment; got {kind!r}", param_hint="--kind")
    with refusals(), user_errors(InstrumentError):
        row = instrument_register(actor=SYSTEM, filename=file.name, content=file.read_bytes(), kind=kind)
    typer.echo(f"Registered {row.form_id} version {row.version} ({row.get_kind_display().lower()}).")


def register(app: typer.Typer) -> None:
    instrument_app.command("register")(register_instrument)
    app.add_typer(programme_app, name="programme")
    app.add_typer(cities_app, name="cities")
    app.add_typer(members_app, name="members")
