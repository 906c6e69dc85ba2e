"""``civicmeter index``: build a composite index from COINr-layout tables and a recipe."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from civicmeter.cli._errors import user_errors

index_app = typer.Typer(
    help="Build, audit and stress-test composite indicators (COINr-compatible engine).",
    no_args_is_help=True,
)


@index_app.command("build")
def build(
    data: Annotated[
        Path, typer.Option("--data", help="iData table (CSV or XLSX): one row per unit.")
    ],
    meta: Annotated[
        Path,
        typer.Option("--meta", help="iMeta table (CSV or XLSX): one row per indicator/aggregate."),
    ],
    recipe: Annotated[
        Path, typer.Option("--recipe", help="Recipe file (YAML) naming every method.")
    ],
    out: Annotated[
        Path,
        typer.Option("--out", help="Directory for every stage, results.csv and treatment.csv."),
    ],
) -> None:
    """Run the recipe and write Raw..Aggregated, results.csv and treatment.csv into OUT."""
    from civicmeter.indexing import IndexInputError, load_recipe, read_index_data, run_pipeline

    with user_errors(IndexInputError, ValueError, OSError):
        chosen = load_recipe(recipe)
        index_data = read_index_data(data, meta)
        result = run_pipeline(index_data, chosen)
        written = result.write_csv(out)
    table = result.results_table()
    top = result.hierarchy.top[0]
    typer.echo(f"{chosen.name} v{chosen.version} (sha256 {chosen.sha256[:12]}): {len(table)} units")
    for row in table.head(5).itertuples(index=False):
        typer.echo(f"  {row.Rank:>3}  {row.uCode:<8} {getattr(row, top):8.2f}")
    for note in result.notes:
        typer.echo(f"note: {note}")
    typer.echo(f"wrote {len(written)} files to {out}")


def register(app: typer.Typer) -> None:
    app.add_typer(index_app, name="index")
