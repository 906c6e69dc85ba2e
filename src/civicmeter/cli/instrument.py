"""``civicmeter instrument validate|xform``: check an XLSForm workbook, or export it for ODK/Kobo.

Both commands call the same loader the web uses when a programme registers an instrument, so a
workbook that validates here is accepted there.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ._errors import user_errors

instrument_app = typer.Typer(help="Questionnaires as XLSForm workbooks.", no_args_is_help=True)

Workbook = Annotated[Path, typer.Argument(dir_okay=False, help="XLSForm workbook (.xlsx).")]


@instrument_app.command("validate")
def validate(file: Workbook) -> None:
    """Check the workbook; print a one-line summary, or every problem with its sheet/row/column."""
    from civicmeter.instruments import InstrumentError, load_instrument

    with user_errors(InstrumentError):
        instrument = load_instrument(file)
    questions = sum(1 for _ in instrument.iter_questions(answerable_only=True))
    typer.echo(
        f"{file.name}: form {instrument.form_id} version {instrument.version}, "
        f"{len(instrument.sections)} sections, {questions} questions, "
        f"languages {', '.join(instrument.languages)} (default {instrument.default_language})"
    )


@instrument_app.command("xform")
def xform(
    file: Workbook,
    out: Annotated[
        Path | None, typer.Option(help="File to write; standard output if omitted.")
    ] = None,
) -> None:
    """Write the ODK XForm (XML) for ODK Collect, Enketo or KoboToolbox."""
    from civicmeter.instruments import InstrumentError
    from civicmeter.instruments.xform import to_xform

    with user_errors(InstrumentError):
        xml = to_xform(file)
    if out is None:
        typer.echo(xml)
        return
    out.write_text(xml, encoding="utf-8")
    typer.echo(f"Wrote {out} ({len(xml.encode('utf-8')):,} bytes).")


def register(app: typer.Typer) -> None:
    app.add_typer(instrument_app, name="instrument")
