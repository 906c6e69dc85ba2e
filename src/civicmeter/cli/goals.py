"""``civicmeter goals import|export``: a city's KPI values in bulk, through the same service and
layout as the goals page's upload and download."""

from __future__ import annotations

from pathlib import Path

import typer

from ._django import setup_django
from ._errors import user_errors
from ._lookup import PROGRAMME_OPTION, NotFound, find_programme

goals_app = typer.Typer(help="A city's goals and KPI values.", no_args_is_help=True)
CITY_OPTION = typer.Option(..., "--city", help="City code (slug), e.g. baltimore-us.")


def _city(slug: str, programme):
    from civicmeter.web.goals.selectors import city_indicators
    from civicmeter.web.programmes.models import City

    city = City.objects.filter(slug=slug).first()
    if city is None:
        raise NotFound(f"no city {slug!r}; use its code (slug), e.g. baltimore-us")
    if not city_indicators(programme, city):
        raise NotFound(
            f"{slug} has no indicators in programme {programme.slug!r} yet; its team adds goals and "
            "indicators on its goals page first"
        )
    return city


@goals_app.command("import")
def import_values(
    file: Path = typer.Argument(
        ..., exists=True, dir_okay=False, help="CSV or XLSX with columns indicator, period, value[, note]."
    ),
    city: str = CITY_OPTION,
    programme: str = PROGRAMME_OPTION,
) -> None:
    """Apply a file of KPI values to the city's indicators, all or nothing: every bad cell is
    reported with its row and column and nothing is written."""
    setup_django()
    from civicmeter.performance import ValuesFileError
    from civicmeter.web.accounts.permissions import SYSTEM
    from civicmeter.web.goals.services import values_import

    with user_errors(NotFound, ValuesFileError):
        target = find_programme(programme)
        city_row = _city(city, target)
        run = values_import(
            actor=SYSTEM, programme=target, city=city_row, filename=file.name, content=file.read_bytes()
        )
    typer.echo(
        f"Imported {file.name} for {city}: {run.inserted} new, {run.updated} changed, "
        f"{run.unchanged} unchanged."
    )


@goals_app.command("export")
def export_values(
    city: str = CITY_OPTION,
    out: Path = typer.Option(None, "--out", dir_okay=False, help="CSV file to write [default: print it]."),
    programme: str = PROGRAMME_OPTION,
) -> None:
    """Write every stored value of the city's indicators as CSV, in the layout the import reads."""
    setup_django()
    from civicmeter.performance import write_values
    from civicmeter.web.goals.selectors import export_rows

    with user_errors(NotFound):
        target = find_programme(programme)
        text = write_values(export_rows(target, _city(city, target)))
    if out is None:
        typer.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")
        typer.echo(f"Wrote {len(text.splitlines()) - 1} values of {city} to {out}.")


def register(app: typer.Typer) -> None:
    app.add_typer(goals_app, name="goals")
