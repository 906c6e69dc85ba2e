"""``civicmeter index audit`` and ``civicmeter index sensitivity``: check and stress-test an index.

Both commands only read the inputs, call the engine (:func:`~civicmeter.indexing.audit.audit_index`,
:func:`~civicmeter.indexing.sensitivity.run_uncertainty`) and write its tables, so a notebook or the
web interface gets exactly the same numbers.
"""

from __future__ import annotations

from pathlib import Path

import typer

from civicmeter.cli._errors import user_errors
from civicmeter.cli.index import index_app

DATA = typer.Option(..., "--data", help="iData table (CSV or XLSX): one row per unit.")
META = typer.Option(..., "--meta", help="iMeta table (CSV or XLSX): one row per code.")
RECIPE = typer.Option(..., "--recipe", help="Recipe file (YAML) naming every method.")
AUDIT_OUT = typer.Option(..., "--out", help="Directory for the CSV tables and report.html.")
SPEC = typer.Option(..., "--spec", help="Sensitivity spec (YAML): the uncertain inputs.")
SENSITIVITY_OUT = typer.Option(
    ..., "--out", help="Directory for rank_intervals, sensitivity, runs."
)


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
            provenance=dict(built.provenance.items()),
        )
        written = result.write(out)
    typer.echo(f"{chosen.name} v{chosen.version}: audited {len(result.stats)} indicators")
    counts = result.flags["flag"].value_counts()
    for flag, count in counts.items():
        typer.echo(f"  {flag:<22} {count}")
    for note in result.notes:
        typer.echo(f"note: {note}")
    typer.echo(f"wrote {len(written)} files to {out}")


def sensitivity(
    data: Path = DATA,
    meta: Path = META,
    recipe: Path = RECIPE,
    spec: Path = SPEC,
    runs: int = typer.Option(1000, "--runs", help="Total number of index builds."),
    out: Path = SENSITIVITY_OUT,
    seed: int | None = typer.Option(None, "--seed", help="Override the spec's seed."),
    n_boot: int = typer.Option(500, "--n-boot", help="Bootstrap replicates for Sobol intervals."),
    uncertainty_only: bool = typer.Option(
        False, "--uncertainty-only", help="Rank intervals only: no Saltelli design, no indices."
    ),
) -> None:
    """Sample the spec's choices, report rank intervals and first-order/total Sobol indices."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    from civicmeter.indexing import IndexInputError, load_recipe, read_index_data
    from civicmeter.indexing.sensitivity import UncertaintySettings, run_uncertainty
    from civicmeter.indexing.sensitivity_spec import load_sensitivity_spec
    from civicmeter.params import ParameterError

    with user_errors(IndexInputError, ParameterError, ValueError, OSError):
        chosen = load_recipe(recipe)
        index_data = read_index_data(data, meta)
        parsed = load_sensitivity_spec(spec, chosen, index_data)
        columns = (BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        with Progress(*columns, transient=True) as bar:
            task = bar.add_task("runs", total=runs)
            result = run_uncertainty(
                index_data,
                chosen,
                parsed,
                UncertaintySettings(
                    runs=runs, seed=seed, sensitivity=not uncertainty_only, n_boot=n_boot
                ),
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
