"""``civicmeter outcomes ...``: inspect outcome files and reduce survey microdata, without storing.

These commands call the same domain functions the web import service calls
(:func:`~civicmeter.outcomes.read_outcome_table`, :func:`~civicmeter.outcomes.summarise_microdata`),
so a file that passes ``outcomes check`` imports the same way on the web.
"""

from __future__ import annotations

import sys
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:  # annotations only; the command imports the domain when it runs
    from civicmeter.outcomes import MicrodataSpec

from ._errors import user_errors
from ._flags import expand, flags
from ._table_options import TableFlags

outcomes_app = typer.Typer(
    help="Outcome indicators: catalogue, file checks, microdata.", no_args_is_help=True
)


_MISSING_CODES = (
    "Codes meaning don't know / no answer, e.g. 99,DK (must lie outside --scale). "
    "Default: 9 and 99 where they are not valid answers."
)
_HALF_POINTS = "Answers such as 7.5 on a whole-number scale: drop (default, reported) or keep."
_CONFIRM_MAPPING = "With --store: CSV source_name,country,city_slug of names you confirm."


def _scale(text: str) -> tuple[float, float]:
    try:
        low, high = (float(part) for part in text.split("-", 1))
    except ValueError as exc:
        raise typer.BadParameter(f"expected MIN-MAX such as 1-5; got {text!r}") from exc
    return low, high


def _codes(text: str) -> tuple[float | str, ...]:
    """ "9,99,DK" -> (9.0, 99.0, "DK"): numbers stay numbers, other codes are matched as text."""
    codes: list[float | str] = []
    for part in (p.strip() for p in text.split(",")):
        if part:
            try:
                codes.append(float(part))
            except ValueError:
                codes.append(part)
    return tuple(codes)


def _statistic(text: str) -> tuple[str, float | None]:
    name, _, threshold = text.partition(":")
    name = name.replace("-", "_")
    if name == "share_at_least":
        try:
            return name, float(threshold)
        except ValueError as exc:
            raise typer.BadParameter("share-at-least needs a threshold, e.g. share-at-least:4") from exc
    if threshold or name not in ("mean", "top2"):
        raise typer.BadParameter(f"expected mean, top2 or share-at-least:K; got {text!r}")
    return name, None


@outcomes_app.command("catalogue")
def catalogue_command(
    extra: Annotated[
        list[Path] | None, typer.Option("--catalogue", help="Programme catalogue file(s) to merge.")
    ] = None,
) -> None:
    """List the outcome indicators: code, dimension, unit, direction and rescaling rule."""
    from civicmeter.outcomes import OutcomesError, load_catalogue

    with user_errors(OutcomesError):
        catalogue = load_catalogue(extra or [])
    for ind in catalogue:
        arrow = "+" if ind.direction == 1 else "-"
        rule = ind.rescale.value
        typer.echo(f"{ind.code:30} {ind.dimension.value:19} {ind.unit:13} {arrow} {rule:6} {ind.name}")


@outcomes_app.command("check")
@expand
def check_command(
    file: Annotated[Path, typer.Argument(help="CSV or XLSX table of city outcome values.")],
    reading: TableFlags,
    catalogue_files: Annotated[
        list[Path] | None, typer.Option("--catalogue", help="Programme catalogue file(s).")
    ] = None,
    show: Annotated[int, typer.Option(help="Rows of the tidy result to print.")] = 5,
) -> None:
    """Read and validate an outcome table and print the import report; nothing is stored."""
    from civicmeter.outcomes import OutcomesError, load_catalogue, read_outcome_table
    from civicmeter.params import ParameterError

    with user_errors(OutcomesError, ParameterError):
        table = read_outcome_table(file, reading.spec(), catalogue=load_catalogue(catalogue_files or []))
    typer.echo(table.report.to_text())
    if show:
        typer.echo("")
        columns = ["city_name", "region", "period", "indicator", "value", "unit"]
        typer.echo(table.data[columns].head(show).to_string(index=False))
    if not table.report.clean:
        typer.echo("\nSome values were dropped; see the report above.")


#: Seconds a reduction runs before its progress bar appears: a quick file shows none (and does not
#: pay the 0.1 s of importing rich), a large one shows how far DuckDB has read.
BAR_AFTER = 1.0


@contextmanager
def _progress_bar(description: str):
    """A progress callback that draws a bar on stderr once reading has taken :data:`BAR_AFTER`;
    None when stderr is not a terminal (a log or a pipe gets no bar, and the run neither imports
    rich nor has DuckDB track its progress)."""
    if not sys.stderr.isatty():
        yield None
        return
    started = time.monotonic()
    with ExitStack() as stack:
        shown: list = []

        def report(percent: float) -> None:
            if not shown and time.monotonic() - started >= BAR_AFTER:
                shown.append(stack.enter_context(_rich_bar(description)))
            if shown:
                shown[0](percent)

        yield report


@contextmanager
def _rich_bar(description: str):
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.percentage:>3.0f}%"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(description, total=100)
        yield lambda percent: bar.update(task, completed=percent)


def _spec_file(path: Path) -> dict:
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise typer.BadParameter(f"--spec {path}: cannot read it as YAML ({exc})") from exc
    if not isinstance(data, dict):
        raise typer.BadParameter(f"--spec {path}: expected a mapping of option: value")
    return data


@flags
class ReductionFlags:
    """The reduction's flags: the :class:`MicrodataSpec` fields, as text where a flag needs parsing.

    A flag named like a spec field passes through as it is, so a new spec option needs only its
    field and its flag here; ``--spec FILE.yaml`` supplies a stored set of options, flags given on
    the command line win.
    """

    item: Annotated[str | None, typer.Option(help="Column of the survey item.")] = None
    scale: Annotated[str | None, typer.Option(help="Valid answer range MIN-MAX, e.g. 1-5.")] = None
    indicator: Annotated[str | None, typer.Option(help="Indicator code the result is stored under.")] = None
    statistic: Annotated[str | None, typer.Option(help="mean (default), top2 or share-at-least:K.")] = None
    city: Annotated[str | None, typer.Option(help="City name when the whole file is one city.")] = None
    city_column: Annotated[str | None, typer.Option(help="Column naming each respondent's city.")] = None
    period_column: Annotated[str | None, typer.Option(help="Column naming the period (wave, quarter).")] = (
        None
    )
    period: Annotated[str | None, typer.Option(help="Period label when the file has no period column.")] = (
        None
    )
    missing_codes: Annotated[str | None, typer.Option(help=_MISSING_CODES)] = None
    weight_column: Annotated[str | None, typer.Option(help="Column of survey weights.")] = None
    dont_know_in_denominator: Annotated[
        bool,
        typer.Option(
            "--dont-know-in-denominator", help="Count don't-know answers as not satisfied (shares)."
        ),
    ] = False
    half_points: Annotated[str | None, typer.Option(help=_HALF_POINTS)] = None
    interval: Annotated[str | None, typer.Option(help="Interval for shares: wilson, logit or wald.")] = None
    alpha: Annotated[float | None, typer.Option(help="1 - confidence level of the intervals.")] = None
    encoding: Annotated[str | None, typer.Option(help="File encoding (detected when omitted).")] = None
    spec_file: Annotated[
        Path | None, typer.Option("--spec", help="YAML file of these options (flags given here win).")
    ] = None

    def spec(self) -> MicrodataSpec:
        """The flags -> one validated :class:`MicrodataSpec` (text flags parsed here)."""
        from civicmeter.outcomes import MicrodataSpec

        given = {k: v for k, v in vars(self).items() if k != "spec_file"}
        given["scale"] = _scale(self.scale) if self.scale else None
        given["statistic"], given["threshold"] = (
            _statistic(self.statistic) if self.statistic else (None, None)
        )
        if self.missing_codes is not None:
            given["missing_codes"] = _codes(self.missing_codes)
        if not self.dont_know_in_denominator:
            given.pop("dont_know_in_denominator")
        base = _spec_file(self.spec_file) if self.spec_file else {}
        return MicrodataSpec.from_mapping({**base, **{k: v for k, v in given.items() if v is not None}})


@flags
class StoreFlags:
    """``--store`` and where to: the programme and how to match the file's city names to its cities."""

    store: Annotated[
        bool, typer.Option("--store", help="Also store the estimates in a programme (uses the database).")
    ] = False
    programme: Annotated[str | None, typer.Option(help="With --store: the programme's slug.")] = None
    country: Annotated[str, typer.Option(help="With --store: the city's ISO country code.")] = ""
    region: Annotated[str, typer.Option(help="With --store: the city's state or region.")] = ""
    confirm_mapping: Annotated[Path | None, typer.Option(help=_CONFIRM_MAPPING)] = None


@outcomes_app.command("microdata")
@expand
def microdata_command(
    file: Annotated[Path, typer.Argument(help="Respondent-level CSV or XLSX (one row per respondent).")],
    *,
    reduction: ReductionFlags,
    out: Annotated[Path | None, typer.Option(help="Write the estimates to this CSV.")] = None,
    storage: StoreFlags,
) -> None:
    """Reduce survey microdata to city indicators with intervals and print the cleaning report.

    The reduction's options (item to encoding, or ``--spec``) form one
    :class:`~civicmeter.outcomes.MicrodataSpec`. With ``--store`` the same estimates (value, n,
    se, interval) and the cleaning report are stored in a programme as one import run, matched to
    its cities.
    """
    from civicmeter.outcomes import OutcomesError, summarise_microdata
    from civicmeter.params import ParameterError

    with user_errors(OutcomesError, ParameterError):
        spec = reduction.spec()
    if storage.store:
        from .wellbeing import store_microdata

        store_microdata(file, spec, storage)
        return
    with user_errors(OutcomesError, ParameterError), _progress_bar(f"Reading {file.name}") as progress:
        result = summarise_microdata(file, spec, progress=progress)
    typer.echo(result.to_text())
    if out is not None:
        result.write_estimates(out)
        typer.echo(f"\nWrote {len(result.table_columns['estimate'])} row(s) to {out}")


def register(app: typer.Typer) -> None:
    app.add_typer(outcomes_app, name="outcomes")
