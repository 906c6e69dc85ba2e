"""``civicmeter responses export|import``: move a wave's answers in and out as CSV or XLSX."""

from __future__ import annotations

from pathlib import Path

import typer

from ._django import setup_django
from ._errors import user_errors
from ._flags import input_file
from ._lookup import NotFound, find_wave

responses_app = typer.Typer(
    help="Import and export a wave's responses (one row per city).", no_args_is_help=True
)


@responses_app.command("export")
def export(
    wave: str = typer.Option(..., help="Wave code, e.g. 2020."),
    out: Path = typer.Option(..., help="File to write (.csv or .xlsx)."),
    fmt: str = typer.Option(None, "--format", help="csv or xlsx (default: from the file name)."),
    programme: str = typer.Option(None, help="Programme slug, if several have this wave code."),
    labels: str = typer.Option(
        None,
        help="Write choice labels in this language (en, es, fr) for reading; such a file is not "
        "imported again.",
    ),
) -> None:
    """Write one row per invited or answering city (with its status) and one column per question."""
    setup_django()
    from civicmeter.web.accounts.permissions import SYSTEM
    from civicmeter.web.collection.services.transfer import responses_export

    fmt = (fmt or out.suffix.lstrip(".") or "csv").lower()
    if fmt not in ("csv", "xlsx"):
        raise typer.BadParameter(f"format must be csv or xlsx; got {fmt!r}", param_hint="--format")
    from django.core.exceptions import ValidationError

    with user_errors(NotFound):
        target = find_wave(wave, programme)
    try:
        content = responses_export(actor=SYSTEM, wave=target, fmt=fmt, labels=labels)
    except ValidationError as exc:
        raise typer.BadParameter(" ".join(exc.messages), param_hint="--labels") from exc
    out.write_bytes(content)
    typer.echo(f"Wrote {out} ({len(content):,} bytes).")


@responses_app.command("import")
def import_(
    file: Path = input_file("CSV or XLSX file."),
    wave: str = typer.Option(..., help="Wave code, e.g. 2020."),
    programme: str = typer.Option(None, help="Programme slug, if several have this wave code."),
    city_column: str = typer.Option(
        "city",
        help="Column naming the city: its code (slug) or, in a KoboToolbox export, "
        "'_submitted_by' when each city answered from its own account.",
    ),
    encoding: str = typer.Option(None, help="Encoding of a CSV that is not UTF-8, e.g. cp1252."),
    allow_closed: bool = typer.Option(
        False,
        "--allow-closed",
        help="Also write into a closed or published wave and into validated responses.",
    ),
    provenance: str = typer.Option(
        None,
        "--provenance",
        help="Where the answers came from, noted on every response the file writes, e.g. "
        "'Paper survey 2018, keyed in by the secretariat'.",
    ),
    synthetic: bool = typer.Option(
        False, "--synthetic", help="Mark the responses as generated, not real (training, demos)."
    ),
) -> None:
    """Import answers all-or-nothing: every bad cell is reported and nothing is written."""
    setup_django()
    from civicmeter.instruments import ResponsesImportError
    from civicmeter.web.accounts.permissions import SYSTEM
    from civicmeter.web.collection.services.transfer import Origin, refuse_too_large, responses_import
    from civicmeter.web.core.upload_limits import IMPORTS, upload_limit

    with user_errors(ResponsesImportError, NotFound):
        target = find_wave(wave, programme)
        size = file.stat().st_size
        if size > upload_limit(IMPORTS):  # refused before it is read into memory
            refuse_too_large(actor=SYSTEM, wave=target, filename=file.name, size=size)
        run = responses_import(
            actor=SYSTEM,
            wave=target,
            filename=file.name,
            content=file.read_bytes(),
            city_column=city_column,
            encoding=encoding,
            allow_closed=allow_closed,
            origin=Origin(provenance or "", synthetic) if provenance is not None or synthetic else None,
        )
    typer.echo(
        f"Imported {file.name}: {run.inserted} answers added, {run.updated} changed, "
        f"{run.cleared} cleared, {run.unchanged} unchanged, {len(run.report.get('cities', []))} cities."
    )


def register(app: typer.Typer) -> None:
    app.add_typer(responses_app, name="responses")
