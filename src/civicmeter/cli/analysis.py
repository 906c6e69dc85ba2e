"""``civicmeter analyze-files``: the capacity-outcome analysis on CSV/XLSX files, no database.

A thin shell around :func:`civicmeter.analysis.analyze` and
:func:`civicmeter.analysis.export.write_report`; the wave-based ``civicmeter analyze`` builds the
same tables from the database and calls the same two functions.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ._errors import user_errors
from ._flags import expand, flags

if TYPE_CHECKING:  # annotations only; the command imports pandas and the analysis when it runs
    import pandas as pd

    from civicmeter.analysis import ComparisonSettings


def read_frame(path: Path) -> pd.DataFrame:
    """A table with blank cells as missing (encoding and delimiter detected as in imports)."""
    import numpy as np

    from civicmeter.outcomes.files import read_table

    return read_table(path).frame.replace(r"^\s*$", np.nan, regex=True)


def default_catalogue() -> pd.DataFrame:
    """The default outcome catalogue as the DataFrame the analysis takes (code, name, ...)."""
    import pandas as pd

    from civicmeter.outcomes import load_catalogue

    rows = [
        {
            "code": i.code,
            "name": i.name,
            "dimension": i.dimension.value,
            "direction": i.direction,
            "rescale": i.rescale.value,
        }
        for i in load_catalogue()
    ]
    return pd.DataFrame(rows)


def _codes(text: str | None) -> list[str] | None:
    return [c.strip() for c in text.split(",") if c.strip()] if text else None


@flags
class ComparisonFlags:
    """The comparison's flags: the :class:`~civicmeter.analysis.ComparisonSettings` fields."""

    outcomes_filter: Annotated[
        str | None, typer.Option(help="Comma-separated indicator codes to analyse.")
    ] = None
    groupings: Annotated[
        str | None, typer.Option(help="Comma-separated groupings (psi_class, dedicated_staff, ...).")
    ] = None
    period: Annotated[
        int | None, typer.Option(help="Use only this period (default: each city's latest).")
    ] = None
    alpha: Annotated[float, typer.Option(help="1 - confidence level of every interval.")] = 0.05
    method: Annotated[str, typer.Option(help="auto, welch or bootstrap.")] = "auto"
    bootstrap_method: Annotated[str, typer.Option(help="BCa, percentile or basic.")] = "BCa"
    resamples: Annotated[int, typer.Option(help="Bootstrap and permutation resamples.")] = 9999
    seed: Annotated[
        int | None, typer.Option(help="Bootstrap seed (fixed, so runs repeat; default: the analysis's seed).")
    ] = None
    correction: Annotated[str, typer.Option(help="fdr_bh, holm, bonferroni or none.")] = "fdr_bh"
    capacity_measure: Annotated[str, typer.Option(help="Adjusted model: 'class' (dummy) or 'index'.")] = (
        "class"
    )
    fixed_effects: Annotated[str | None, typer.Option(help="country or region.")] = None

    def settings(self) -> ComparisonSettings:
        """The validated :class:`ComparisonSettings` (code lists split; no seed: the analysis's)."""
        from civicmeter.analysis import ComparisonSettings
        from civicmeter.analysis.settings import DEFAULT_SEED

        return ComparisonSettings(
            alpha=self.alpha,
            method=self.method,
            bootstrap_method=self.bootstrap_method,
            n_resamples=self.resamples,
            seed=DEFAULT_SEED if self.seed is None else self.seed,
            correction=self.correction,
            capacity_measure=self.capacity_measure,
            fixed_effects=self.fixed_effects,
            indicators=_codes(self.outcomes_filter),
            groupings=_codes(self.groupings),
            period=self.period,
        )


@flags
class RecordFlags:
    """What the run is recorded as (provenance only: the numbers do not depend on it)."""

    wave: Annotated[str | None, typer.Option(help="Wave code, recorded as provenance.")] = None
    instrument_version: Annotated[str | None, typer.Option(help="Recorded as provenance.")] = None
    recipe_version: Annotated[str | None, typer.Option(help="Recorded as provenance.")] = None


@expand
def analyze_files(
    capacity: Annotated[Path, typer.Option(help="Capacity per city: city, psi_index, psi_class, ...")],
    outcomes: Annotated[Path, typer.Option(help="Outcomes: city, indicator, period, value (0-100).")],
    out: Annotated[Path, typer.Option(help="Directory for the CSV tables and report.html.")],
    controls: Annotated[
        Path | None, typer.Option(help="city, population, gdp_per_capita or median_income, country, region.")
    ] = None,
    catalogue: Annotated[
        Path | None, typer.Option(help="Indicator names (code, name); default catalogue otherwise.")
    ] = None,
    *,
    comparison: ComparisonFlags,
    recorded: RecordFlags,
) -> None:
    """Compare outcomes between high- and low-capacity cities; write CSV tables and report.html."""
    from civicmeter.analysis import AnalysisError, Provenance, analyze
    from civicmeter.analysis.export import write_report
    from civicmeter.outcomes import OutcomesError
    from civicmeter.params import ParameterError

    with user_errors(AnalysisError, OutcomesError, ParameterError):
        report = analyze(
            read_frame(capacity),
            read_frame(outcomes),
            controls=read_frame(controls) if controls else None,
            catalogue=read_frame(catalogue) if catalogue else default_catalogue(),
            settings=comparison.settings(),
            provenance=Provenance(**vars(recorded), sources=(outcomes.name,)),
        )
        written = write_report(report, out)
    for note in report.notes:
        typer.echo(f"note: {note}")
    for table in report.tables:
        flagged = sum(bool(row.reject) for row in table.rows)
        typer.echo(f"{table.name}: {len(table.rows)} outcomes, {flagged} flagged ({table.correction})")
    typer.echo(f"wrote {len(written)} files to {out}")


def register(app: typer.Typer) -> None:
    app.command("analyze-files")(analyze_files)
