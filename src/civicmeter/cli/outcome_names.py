"""``civicmeter outcomes confirm``: record which of a programme's cities the names in outcome files are."""

from __future__ import annotations

from pathlib import Path

import typer

from ._django import setup_django
from ._errors import refusals, user_errors
from ._flags import input_file
from ._lookup import PROGRAMME_OPTION, NotFound, find_programme
from .outcomes import outcomes_app


def confirm_command(
    file: Path = input_file(
        "CSV with columns source_name, country, city_slug (empty: none of our cities), e.g. "
        "the file --write-unmatched wrote, edited."
    ),
    programme: str = PROGRAMME_OPTION,
) -> None:
    """Confirm names once, all or nothing: every later import into the programme matches them."""
    setup_django()
    from civicmeter.outcomes import OutcomesError, read_confirmed
    from civicmeter.web.accounts.permissions import SYSTEM
    from civicmeter.web.wellbeing.services import mappings_confirm

    with user_errors(NotFound, OutcomesError):
        target = find_programme(programme)
        confirmed = read_confirmed(file)
    with refusals():
        mappings = mappings_confirm(actor=SYSTEM, programme=target, confirmed=confirmed)
    typer.echo(f"Confirmed {len(mappings)} names in {target.slug}.")


def register(app: typer.Typer) -> None:
    outcomes_app.command("confirm")(confirm_command)
