"""Uncertainty and sensitivity analysis of an index's ranks over the choices in a sensitivity spec.

Why it is fast: COINr rebuilds the whole index for every replication. Here work is shared along
the pipeline (:mod:`.sensitivity_runs`): upstream stages once per distinct upstream choice,
normalisation once per distinct (upstream, normalise) pair, and all runs sharing those and the
aggregation method aggregated together under their different weights, a few matrix products per
level. A thousand ASEM runs thus cost about twenty small pipeline builds.

Design: with ``sensitivity=True`` the runs follow a Saltelli design (:mod:`.sobol`) of
``base = runs // (d + 2)`` rows, so first-order and total Sobol indices can be estimated for the
mean absolute rank shift (COINr's target) and for every unit's rank; otherwise the runs are plain
scrambled Sobol points (uncertainty only). Rank intervals use every run, since each run's choices
are a draw from the spec's distribution (COINr uses only the A and B rows).
"""

from __future__ import annotations

import dataclasses
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.stats import qmc

from civicmeter.indexing.normalise import rank_min
from civicmeter.indexing.pipeline import run_pipeline
from civicmeter.indexing.recipe import Recipe
from civicmeter.indexing.results import RANK_INTERVAL, rank_descending
from civicmeter.indexing.sensitivity_runs import RunPlan, StageCache, plan_runs, run_scores
from civicmeter.indexing.sensitivity_spec import (
    DiscreteInput,
    SensitivitySpec,
    sensitivity_spec_from_dict,
)
from civicmeter.indexing.sobol import (
    SaltelliDesign,
    SobolIndices,
    saltelli_design,
    sobol_indices,
)
from civicmeter.indexing.tables import IndexData
from civicmeter.params import (
    NONE,
    InstanceOf,
    Interval,
    ParameterError,
    check_fields,
    validate_params,
)
from civicmeter.provenance import Provenance, now
from civicmeter.results_protocol import text_summary, write_csv

METHOD = (
    "Monte Carlo over the spec's choices on a scrambled Sobol' sequence; ranks descending with "
    "ties at the minimum; Sobol' indices by Saltelli et al. (2010) / Jansen (1999) estimators"
)
SHIFT_TARGET = "mean_abs_rank_shift"

#: The constraints of every setting of an uncertainty analysis, declared once.
CONSTRAINTS = {
    "runs": [Interval(int, 2, None)],
    "seed": [Interval(int, 0, None), NONE],
    "target": [InstanceOf(str, "an aggregate code"), NONE],
    "sensitivity": [InstanceOf(bool, "a bool")],
    "n_boot": [Interval(int, 0, None)],
    "alpha": [Interval(float, 0, 1, closed="neither")],
}


@dataclass(frozen=True)
class UncertaintySettings:
    """How an uncertainty analysis runs, checked once when made and passed whole.

    ``runs`` is the total number of index builds; with ``sensitivity`` (a Saltelli design, for
    Sobol indices) it is rounded down to a multiple of ``d + 2``. ``seed`` defaults to the spec's;
    the same seed gives identical results. ``target`` is the aggregate analysed (default: the
    index). ``n_boot`` bootstrap replicates give the Sobol intervals at ``alpha`` (0.1: the 5th to
    95th percentile, as COINr).
    """

    runs: int = 1000
    seed: int | None = None
    target: str | None = None
    sensitivity: bool = True
    n_boot: int = 500
    alpha: float = 0.1

    def __post_init__(self) -> None:
        check_fields(self, CONSTRAINTS)


@dataclass(frozen=True)
class UncertaintyResult:
    """Rank intervals per unit, Sobol indices (if a Saltelli design was run) and every run.

    ``ranks`` and ``scores`` are ``(runs, units)`` arrays in ``units`` order; ``runs_table`` holds
    each run's sampled choices. ``n`` is the number of runs; ``base`` the Saltelli base sample.
    ``provenance`` is the nominal build's, with the method, runs and seed added to its recipe and the
    sensitivity spec (by hash) to its sources. In the shared result shape a unit's row holds its
    nominal score and its rank interval over the runs (:meth:`summary_frame`).
    """

    target: str
    units: tuple[str, ...]
    rank_intervals: pd.DataFrame
    sensitivity: pd.DataFrame | None
    runs_table: pd.DataFrame
    ranks: np.ndarray
    scores: np.ndarray
    n: int
    base: int | None
    alpha: float
    seed: int
    provenance: Provenance
    method: str = METHOD
    notes: tuple[str, ...] = ()

    def summary_frame(self) -> pd.DataFrame:
        """One row per unit (index ``uCode``), nominal best first: the nominal score of the target
        as ``estimate``, NaN se and interval (the runs bound the rank, not the score; see ``reason``),
        ``n`` runs that ranked the unit, then ``rank`` (nominal), ``rank_p5``, ``rank_median``,
        ``rank_p95``."""
        intervals = self.rank_intervals.set_index("uCode")
        frame = pd.DataFrame(
            {
                "estimate": intervals["nominal_score"],
                "se": np.nan,
                "ci_lower": np.nan,
                "ci_upper": np.nan,
                "n": np.isfinite(self.ranks).sum(axis=0),
                "rank": intervals["nominal_rank"],
                "rank_p5": intervals["p05"],
                "rank_median": intervals["median"],
                "rank_p95": intervals["p95"],
                "reason": RANK_INTERVAL.format(runs=self.n),
            },
            index=intervals.index,
        )
        return frame.sort_values(["rank", "uCode"], na_position="last")

    def to_csv(self, path_or_buffer=None) -> str | None:
        """:meth:`summary_frame` plus the provenance columns; the text when no path is given."""
        return write_csv(self.summary_frame(), self.provenance, path_or_buffer)

    def __str__(self) -> str:
        widest = self.rank_intervals.assign(width=lambda t: t["p95"] - t["p05"]).nlargest(3, "width")
        spread = ", ".join(f"{r.uCode} {r.p05:g}-{r.p95:g}" for r in widest.itertuples(index=False))
        headline = (
            f"{self.n} runs of {self.target} over {len(self.units)} units; widest rank intervals "
            f"(5th-95th percentile): {spread}"
        )
        return text_summary(headline, self.provenance, self.notes)

    def write(self, directory: Path) -> list[Path]:
        """Write rank_intervals.csv, runs.csv and (with a Saltelli design) sensitivity.csv."""
        directory.mkdir(parents=True, exist_ok=True)
        tables = {"rank_intervals": self.rank_intervals, "runs": self.runs_table}
        if self.sensitivity is not None:
            tables["sensitivity"] = self.sensitivity
        written = []
        for name, table in tables.items():
            path = directory / f"{name}.csv"
            table.to_csv(path, index=False)
            written.append(path)
        return written


def _rank_rows(scores: np.ndarray) -> np.ndarray:
    """Descending ranks per run (row), ties at the minimum, NaN scores keep NaN ranks."""
    return rank_min(-scores[..., None])[..., 0]


def _quantiles(ranks: np.ndarray, probs: list[float]) -> np.ndarray:
    """Column quantiles (R type 7); the NaN-aware path only for units missing from some runs."""
    out = np.full((len(probs), ranks.shape[1]), np.nan)
    complete = ~np.isnan(ranks).any(axis=0)
    out[:, complete] = np.quantile(ranks[:, complete], probs, axis=0)
    if (~complete).any():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            out[:, ~complete] = np.nanquantile(ranks[:, ~complete], probs, axis=0)
    return out


def _runs_table(
    plan: RunPlan, spec: SensitivitySpec, weights: dict[str, float], shift: np.ndarray
) -> pd.DataFrame:
    table = pd.DataFrame({"run": np.arange(1, len(plan.blocks) + 1), "block": plan.blocks})
    for item in spec.inputs:
        if isinstance(item, DiscreteInput):
            table[item.name] = np.asarray(item.labels, dtype=object)[plan.choices[item.name]]
        else:
            for j, code in enumerate(item.codes):
                table[f"weight:{code}"] = weights[code] * plan.factors[:, j]
    table[SHIFT_TARGET] = shift
    return table


def _sensitivity_table(indices: SobolIndices, spec: SensitivitySpec, targets: list[str]) -> pd.DataFrame:
    rows = []
    for t, target in enumerate(targets):
        for i, name in enumerate(spec.names):
            rows.append(
                {
                    "target": target,
                    "input": name,
                    "first_order": indices.first[i, t],
                    "first_order_ci_lower": indices.first_ci[0][i, t],
                    "first_order_ci_upper": indices.first_ci[1][i, t],
                    "total": indices.total[i, t],
                    "total_ci_lower": indices.total_ci[0][i, t],
                    "total_ci_upper": indices.total_ci[1][i, t],
                    "n": indices.n,
                }
            )
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class _Design:
    """The runs to make: the unit-cube ``matrix``, each run's ``blocks`` label, the Saltelli
    ``design`` (None for uncertainty only) and notes on how the design was built."""

    matrix: np.ndarray
    blocks: list[str]
    design: SaltelliDesign | None
    notes: tuple[str, ...]


def _check_target(problem: IndexData, target: str | None) -> str:
    """The aggregate to analyse: ``target`` or the index; refuse a code that is not an aggregate."""
    h = problem.hierarchy
    target = target or h.top[0]
    if target not in h.aggregates:
        raise ParameterError(
            f"the 'target' parameter of run_uncertainty must be an aggregate code; got {target!r}",
            parameter="target",
            function="run_uncertainty",
        )
    return target


def _plan_design(spec: SensitivitySpec, runs: int, seed: int, sensitivity: bool) -> _Design:
    """A Saltelli design of ``runs // (d + 2)`` base rows, or ``runs`` scrambled Sobol points."""
    widths = [item.width for item in spec.inputs]
    if not sensitivity:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            matrix = qmc.Sobol(d=sum(widths), scramble=True, seed=seed).random(runs)
        return _Design(matrix, ["UA"] * runs, None, ())
    d = len(widths)
    base = runs // (d + 2)
    if base < 2:
        raise ParameterError(
            f"the 'runs' parameter of run_uncertainty must be at least {2 * (d + 2)} for a "
            f"sensitivity analysis of {d} inputs; got {runs}",
            parameter="runs",
            function="run_uncertainty",
        )
    design = saltelli_design(widths, base, seed=seed)
    blocks = ["A"] * base + ["B"] * base + [f"AB:{n}" for n in spec.names for _ in range(base)]
    notes = list(design.notes)
    if base * (d + 2) != runs:
        notes.append(f"runs rounded down to {base * (d + 2)} = {base} x ({d} inputs + 2)")
    return _Design(design.matrix, blocks, design, tuple(notes))


def _rank_summary(
    nominal_scores: pd.Series, ranks: np.ndarray, units: tuple[str, ...]
) -> tuple[pd.DataFrame, np.ndarray]:
    """Each unit's rank interval against its nominal rank, and each run's mean absolute shift."""
    nominal_rank = rank_descending(nominal_scores.to_frame())[nominal_scores.name].to_numpy(dtype=float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        shift = np.nanmean(np.abs(ranks - nominal_rank[None]), axis=1)
        quantiles = _quantiles(ranks, [0.05, 0.5, 0.95])
        intervals = pd.DataFrame(
            {
                "uCode": units,
                "nominal_score": nominal_scores.to_numpy(dtype=float),
                "nominal_rank": nominal_rank,
                "median": quantiles[1],
                "mean": np.nanmean(ranks, axis=0),
                "p05": quantiles[0],
                "p95": quantiles[2],
            }
        )
    return intervals, shift


@validate_params(
    {
        "problem": [InstanceOf(IndexData, "an IndexData")],
        "recipe": [InstanceOf(Recipe, "a Recipe")],
        "spec": [InstanceOf((SensitivitySpec, dict), "a SensitivitySpec or a parsed spec dict")],
        "settings": [InstanceOf(UncertaintySettings, "an UncertaintySettings"), NONE],
        "progress": [InstanceOf(Callable, "a callable (done, total)"), NONE],
    }
)
def run_uncertainty(
    problem: IndexData,
    recipe: Recipe,
    spec: SensitivitySpec | dict,
    settings: UncertaintySettings | None = None,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> UncertaintyResult:
    """Run the spec's uncertainty analysis as ``settings`` say (default: :class:`UncertaintySettings`)
    and summarise the ranks. ``progress`` is called with (runs done, runs in total).
    """
    settings = settings or UncertaintySettings()
    if isinstance(spec, dict):
        spec = sensitivity_spec_from_dict(spec, recipe, problem)
    seed = spec.seed if settings.seed is None else settings.seed
    target = _check_target(problem, settings.target)
    nominal = run_pipeline(problem, recipe)
    plan_design = _plan_design(spec, settings.runs, seed, settings.sensitivity)
    notes = list(plan_design.notes)
    plan = plan_runs(spec, plan_design.matrix, plan_design.blocks)
    cache = StageCache(problem, recipe, spec, nominal)
    scores = run_scores(cache, plan, spec, target, progress)
    notes.extend(cache.notes)
    units = tuple(nominal.stages["Normalised"].index)
    ranks = _rank_rows(scores)
    intervals, shift = _rank_summary(nominal.stages["Aggregated"][target], ranks, units)
    table = None
    design = plan_design.design
    if design is not None:
        outputs = np.column_stack([shift, ranks])
        indices = sobol_indices(design, outputs, n_boot=settings.n_boot, alpha=settings.alpha, seed=seed)
        table = _sensitivity_table(indices, spec, [SHIFT_TARGET, *units])
        notes.extend(n for n in indices.notes if n not in notes)
    n = len(plan_design.blocks)
    base_provenance = nominal.provenance
    provenance = dataclasses.replace(
        base_provenance,
        recipe_version=f"{base_provenance.recipe_version}; uncertainty: {n} runs, seed {seed}",
        sources=(*base_provenance.sources, f"sensitivity spec {spec.source} sha256 {spec.sha256}"),
        run_at=now(),
    )
    return UncertaintyResult(
        target=target,
        units=units,
        rank_intervals=intervals,
        sensitivity=table,
        runs_table=_runs_table(plan, spec, nominal.weights, shift),
        ranks=ranks,
        scores=scores,
        n=n,
        base=design.base if design is not None else None,
        alpha=settings.alpha,
        seed=seed,
        notes=tuple(notes),
        provenance=provenance,
    )
