"""Find the programme or wave a command names, with a message that says how to name it instead."""

from __future__ import annotations

import typer

#: The options every command naming a wave shares (one wording, one lookup).
WAVE_OPTION = typer.Option(..., "--wave", help="Wave code, e.g. 2020.")
PROGRAMME_OPTION = typer.Option(
    None, "--programme", help="Programme slug (if several have the wave)."
)


class NotFound(LookupError):
    """The command's --wave / --programme names nothing, or more than one thing."""


def find_programme(slug: str | None):
    """The programme called ``slug``, or the only programme when ``slug`` is not given."""
    from civicmeter.web.programmes.models import Programme

    programmes = Programme.objects.all()
    if slug:
        programmes = programmes.filter(slug=slug)
    found = list(programmes[:2])
    if not found:
        raise NotFound(f"no programme {slug!r}" if slug else "no programme yet")
    if len(found) > 1:
        raise NotFound("several programmes exist; name one with --programme SLUG")
    return found[0]


def find_wave(code: str, programme: str | None):
    """The wave with ``code`` (in ``programme`` when given); refuses to guess between programmes."""
    from civicmeter.web.programmes.models import Wave

    waves = Wave.objects.select_related("programme", "instrument").filter(code=code)
    if programme:
        waves = waves.filter(programme__slug=programme)
    found = list(waves[:2])
    if not found:
        where = f" in programme {programme!r}" if programme else ""
        raise NotFound(f"no wave {code!r}{where}; check the code (and --programme)")
    if len(found) > 1:
        raise NotFound(f"several programmes have a wave {code!r}; name one with --programme SLUG")
    return found[0]
