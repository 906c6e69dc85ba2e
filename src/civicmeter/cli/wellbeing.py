"""``civicmeter outcomes import`` and ``civicmeter analyze``: store outcomes, analyse a wave.

Both call the wellbeing app's services, the same the web pages call: an import from the shell is
recorded like one from the browser (with no user: the operator is the system actor), and
``analyze`` runs the very analysis the background task runs, here in the foreground with a
progress bar, then writes the tables as CSV and ``report.html``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:  # annotations only; the command imports the domain when it runs
    from civicmeter.outcomes import MicrodataSpec

from ._django import setup_django
from ._errors import fail, user_errors
from ._flags import expand
from ._lookup import NotFound, find_programme, find_wave
from ._table_options import TableFlags
from .outcomes import StoreFlags, outcomes_app


def print_run(run) -> None:
    """The import report: how the file was read, how names matched, every problem."""
    report = run.report
    if "reading" in report:
        typer.echo(report["reading"]["text"])
    if "matching" in report:
        typer.echo("")
        typer.echo(report["matching"]["text"])
        if report["matching"]["skipped"]:
            typer.echo("confirmed as none of our cities: " + ", ".join(report["matching"]["skipped"]))
        if report["matching"].get("not_ours"):
            typer.echo("left out (--skip-unmatched): " + ", ".join(report["matching"]["not_ours"]))
    for problem in report.get("problems", []):
        typer.secho(f"error: [{problem['code']}] {problem['message']}", err=True, fg="red")
    if run.status == run.Status.APPLIED:
        typer.echo(
            f"\nImported {run.filename}: {run.inserted} inserted, {run.updated} updated, "
            f"{run.unchanged} unchanged (run {run.pk})."
        )
    else:
        typer.secho(f"\nNothing was written (run {run.pk} rejected).", err=True)
        if _has_unmatched_names(report):
            typer.secho(
                "Confirm the names in a CSV (source_name,country,city_slug; an empty slug = none of "
                "our cities) and pass it with --confirm-mapping. --write-unmatched FILE.csv writes "
                "them ready to edit; --skip-unmatched leaves out names that are none of our cities.",
                err=True,
            )
        raise typer.Exit(code=2)


_SKIP_UNMATCHED = (
    "Leave out names that match none of our cities (listed, not saved); ambiguous names still "
    "need confirming."
)
_WRITE_UNMATCHED = "If names are unmatched, write them to this CSV, ready to edit and confirm."


def _has_unmatched_names(report: dict) -> bool:
    matching = report.get("matching") or {}
    return bool(matching.get("unmatched") or matching.get("ambiguous"))


@expand
def import_command(
    file: Annotated[Path, typer.Argument(help="CSV or XLSX table of city outcome values.")],
    reading: TableFlags,
    source: Annotated[
        str | None, typer.Option(help="Who published the figures, when the file has no source column.")
    ] = None,
    confirm_mapping: Annotated[
        Path | None,
        typer.Option(help="CSV source_name,country,city_slug of names you confirm (saved)."),
    ] = None,
    skip_unmatched: Annotated[bool, typer.Option("--skip-unmatched", help=_SKIP_UNMATCHED)] = False,
    write_unmatched: Annotated[Path | None, typer.Option(help=_WRITE_UNMATCHED)] = None,
    programme: Annotated[
        str | None, typer.Option(help="Programme slug (needed when there are several).")
    ] = None,
) -> None:
    """Import an outcome table into a programme: all of it, or nothing with every problem listed.

    The reading options (``--map`` to ``--sheet``, and ``--source``) form one
    :class:`~civicmeter.outcomes.ImportSpec`.
    """
    from civicmeter.outcomes.confirmations import unmatched_csv
    from civicmeter.params import ParameterError

    with user_errors(ParameterError):
        spec = reading.spec(source=source)
    run = _store(
        "outcomes_import", file, (programme, confirm_mapping), spec=spec, skip_unmatched=skip_unmatched
    )
    if write_unmatched is not None and _has_unmatched_names(run.report):
        write_unmatched.write_text(unmatched_csv(run.report["matching"]), encoding="utf-8")
        typer.secho(
            f"Wrote the unmatched names to {write_unmatched}: check each city_slug (empty = none of "
            "ours), then import again with --confirm-mapping.",
            err=True,
        )
    print_run(run)


def store_microdata(file: Path, spec: MicrodataSpec, storage: StoreFlags) -> None:
    """``outcomes microdata --store``: the same reduction, stored in a programme as one import run.

    ``storage.country`` and ``storage.region`` place the file's cities, to match their names.
    """
    target = (storage.programme, storage.confirm_mapping)
    place = {"country": storage.country, "region": storage.region}
    print_run(_store("microdata_import", file, target, spec=spec, **place))


def _store(service: str, file: Path, target: tuple[str | None, Path | None], **options):
    """Call the wellbeing import ``service`` on ``file`` as the system actor and return its run.

    ``target`` is the programme's slug (None: the only one) and the CSV of confirmed names, if any.
    """
    from civicmeter.outcomes import OutcomesError, read_confirmed

    setup_django()
    from civicmeter.web.accounts.permissions import SYSTEM
    from civicmeter.web.wellbeing import services

    programme, confirm_mapping = target
    with user_errors(NotFound, OutcomesError, OSError):
        return getattr(services, service)(
            actor=SYSTEM,
            programme=find_programme(programme),
            filename=file.name,
            content=file.read_bytes(),
            confirmed=read_confirmed(confirm_mapping) if confirm_mapping else None,
            **options,
        )


def analyze_command(
    wave: Annotated[str, typer.Option("--wave", help="Wave code, e.g. 2020.")],
    out: Annotated[Path, typer.Option("--out", help="Directory for the CSV tables and report.html.")],
    programme: Annotated[
        str | None, typer.Option("--programme", help="Programme slug (if several have the wave).")
    ] = None,
    outcomes: Annotated[
        str | None, typer.Option(help="Comma-separated indicator codes (default: all stored).")
    ] = None,
) -> None:
    """Compare stored outcomes of high- and low-capacity cities of a wave; write tables + report."""
    setup_django()
    from django.core.exceptions import ValidationError
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from civicmeter.analysis import ComparisonSettings
    from civicmeter.web.accounts.permissions import SYSTEM
    from civicmeter.web.wellbeing.services.runs import analysis_execute, analysis_start

    codes = [c.strip() for c in outcomes.split(",") if c.strip()] if outcomes else None
    with user_errors(NotFound, ValidationError):
        chosen = find_wave(wave, programme)
        settings = ComparisonSettings(indicators=tuple(codes) if codes else None)
        run = analysis_start(actor=SYSTEM, wave=chosen, settings=settings, background=False)
    columns = (TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn())
    with Progress(*columns, transient=True) as bar:
        task = bar.add_task("Starting", total=100)
        run = analysis_execute(
            run_id=run.pk,
            on_progress=lambda pct, msg: bar.update(task, completed=pct, description=msg),
        )
    if run.status != run.Status.DONE:
        fail(run.error)
    out.mkdir(parents=True, exist_ok=True)
    for name, text in run.tables.items():
        (out / f"{name}.csv").write_text(text, encoding="utf-8")
    (out / "report.html").write_text(run.report_html, encoding="utf-8")
    summary = run.summary
    if summary["synthetic"]:
        typer.echo("note: the capacity data are synthetic; the report says nothing about real cities")
    typer.echo(f"outcomes: {', '.join(summary['outcomes'])}")
    for group in summary["groups"]:
        sizes = ", ".join(f"{r['outcome']} {r['n_high']}/{r['n_low']}" for r in group["rows"])
        typer.echo(f"{group['table']} (n high/low): {sizes}")
    typer.echo(f"wrote {len(run.tables) + 1} files to {out} (analysis run {run.pk})")


def add_indicators_command(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="Catalogue YAML file.")],
    programme: Annotated[
        str | None, typer.Option(help="Programme slug (needed when there are several).")
    ] = None,
) -> None:
    """Add a programme's own indicators (the layout of the shipped catalogue); all or nothing."""
    from civicmeter.outcomes import OutcomesError

    setup_django()
    from civicmeter.web.accounts.permissions import SYSTEM
    from civicmeter.web.wellbeing.services import indicators_add

    with user_errors(NotFound, OutcomesError):
        added = indicators_add(
            actor=SYSTEM, programme=find_programme(programme), filename=file.name, content=file.read_bytes()
        )
    typer.echo(f"Added {len(added)} indicator(s): {', '.join(i.code for i in added)}")


def register(app: typer.Typer) -> None:
    outcomes_app.command("import")(import_command)
    outcomes_app.command("add-indicators")(add_indicators_command)
    app.command("analyze")(analyze_command)
