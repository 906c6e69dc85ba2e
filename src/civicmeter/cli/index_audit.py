"""``civicmeter index audit`` and ``civicmeter index sensitivity``: check and stress-test an index.

Both commands only read the inputs, call the engine (:func:`~civicmeter.indexing.audit.audit_index`,
:func:`~civicmeter.indexing.sensitivity.run_uncertainty`) and write its tables, so a notebook or the
web interface gets exactly the same numbers.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from civicmeter.cli._errors import user_errors
from civicmeter.cli._flags import expand, flags

if TYPE_CHECKING:  # annotations only; the command imports the engine when it runs
    from civicmeter.indexing.sensitivity import UncertaintySettings
from civicmeter.cli.index import index_app

DATA = typer.Option(..., "--data", help="iData table (CSV or XLSX): one row per unit.")
META = typer.Option(..., "--meta", help="iMeta table (CSV or XLSX): one row per code.")
RECIPE = typer.Option(..., "--recipe", help="Recipe file (YAML) naming every method.")
AUDIT_OUT = typer.Option(..., "--out", help="Directory for the CSV tables and report.html.")
SPEC = typer.Option(..., "--spec", help="Sensitivity spec (YAML): the uncertain inputs.")
SENSITIVITY_OUT = typer.Option(..., "--out", help="Directory for rank_intervals, sensitivity, runs.")


def audit(
    data: Path = DATA,
    meta: Path = META,
    recipe: Path = RECIPE,
    out: Path = AUDIT_OUT,
) -> None:
    """Statistics, correlations, Cronbach's alpha, PCA and flags; CSVs and an HTML report in OUT."""
    from civicmeter.indexing import IndexInputError, load_recipe, read_index_data, run_pipeline
    from civicmeter.indexing.audit import audit_index

    with user_errors(IndexInputError, ValueError, OSError):
        chosen = load_recipe(recipe)
        built = run_pipeline(read_index_data(data, meta), chosen)
        result = audit_index(
            built.stages["Raw"],
            built.stages["Aggregated"],
            built.hierarchy,
            provenance=built.provenance,
        )
        written = result.write(out)
    typer.echo(f"{chosen.name} v{chosen.version}: audited {len(result.stats)} indicators")
    counts = result.flags["flag"].value_counts()
    for flag, count in counts.items():
        typer.echo(f"  {flag:<22} {count}")
    for note in result.notes:
        typer.echo(f"note: {note}")
    typer.echo(f"wrote {len(written)} files to {out}")


@flags
class RunFlags:
    """How many runs, with which seed, and whether to estimate Sobol indices too."""

    runs: Annotated[int, typer.Option("--runs", help="Total number of index builds.")] = 1000
    seed: Annotated[int | None, typer.Option("--seed", help="Override the spec's seed.")] = None
    n_boot: Annotated[int, typer.Option("--n-boot", help="Bootstrap replicates for Sobol intervals.")] = 500
    uncertainty_only: Annotated[
        bool,
        typer.Option("--uncertainty-only", help="Rank intervals only: no Saltelli design, no indices."),
    ] = False

    def settings(self) -> UncertaintySettings:
        from civicmeter.indexing.sensitivity import UncertaintySettings

        return UncertaintySettings(
            runs=self.runs, seed=self.seed, sensitivity=not self.uncertainty_only, n_boot=self.n_boot
        )


@expand
def sensitivity(
    data: Path = DATA,
    meta: Path = META,
    recipe: Path = RECIPE,
    spec: Path = SPEC,
    out: Path = SENSITIVITY_OUT,
    *,
    sampling: RunFlags,
) -> None:
    """Sample the spec's choices, report rank intervals and first-order/total Sobol indices."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    from civicmeter.indexing import IndexInputError, load_recipe, read_index_data
    from civicmeter.indexing.sensitivity import run_uncertainty
    from civicmeter.indexing.sensitivity_spec import load_sensitivity_spec
    from civicmeter.params import ParameterError

    with user_errors(IndexInputError, ParameterError, ValueError, OSError):
        chosen = load_recipe(recipe)
        index_data = read_index_data(data, meta)
        parsed = load_sensitivity_spec(spec, chosen, index_data)
        columns = (BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        with Progress(*columns, transient=True) as bar:
            task = bar.add_task("runs", total=sampling.runs)
            result = run_uncertainty(
                index_data,
                chosen,
                parsed,
                sampling.settings(),
                progress=lambda done, total: bar.update(task, completed=done, total=total),
            )
        written = result.write(out)
    typer.echo(f"{result.n} runs of {result.target} over {', '.join(parsed.names)}")
    if result.sensitivity is not None:
        shift = result.sensitivity[result.sensitivity["target"] == "mean_abs_rank_shift"]
        typer.echo("mean absolute rank shift: first-order / total Sobol index")
        for row in shift.itertuples(index=False):
            typer.echo(f"  {row.input:<14} {row.first_order:6.3f} / {row.total:6.3f}")
    for note in result.notes:
        typer.echo(f"note: {note}")
    typer.echo(f"wrote {len(written)} files to {out}")


def register(app: typer.Typer) -> None:
    """Add ``audit`` and ``sensitivity`` to the ``index`` command group."""
    del app  # the commands belong to the index group, which civicmeter.cli.index registers
    index_app.command("audit")(audit)
    index_app.command("sensitivity")(sensitivity)
