"""Uncertainty and sensitivity analysis of an index's ranks over the choices in a sensitivity spec.

Why it is fast: COINr rebuilds the whole index for every replication. Here each run is a tuple of
choices, and work is shared along the pipeline: the upstream stages (imputation, screening,
treatment) are built once per distinct upstream choice, normalisation once per distinct
(upstream, normalise) pair (both through :func:`~civicmeter.indexing.pipeline.run_pipeline` with
``reuse``), and all runs that share those and the aggregation method are aggregated together under
their different weights by :func:`~civicmeter.indexing.batched.aggregate_runs`, a few matrix
products per level. A thousand ASEM runs thus cost about twenty small pipeline builds.

Design: with ``sensitivity=True`` the runs follow a Saltelli design (:mod:`.sobol`) of
``base = runs // (d + 2)`` rows, so first-order and total Sobol indices can be estimated for the
mean absolute rank shift (COINr's target) and for every unit's rank; otherwise the runs are plain
scrambled Sobol points (uncertainty only). Rank intervals use every run, since each run's choices
are a draw from the spec's distribution (COINr uses only the A and B rows).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.stats import qmc

from civicmeter.indexing.aggregate import NonPositiveValuesError
from civicmeter.indexing.batched import aggregate_runs
from civicmeter.indexing.normalise import rank_min
from civicmeter.indexing.pipeline import normalise_frame, run_pipeline
from civicmeter.indexing.recipe import Recipe
from civicmeter.indexing.results import IndexResult, rank_descending
from civicmeter.indexing.sensitivity_spec import (
    DiscreteInput,
    SensitivitySpec,
    SensitivitySpecError,
    WeightNoise,
    sensitivity_spec_from_dict,
)
from civicmeter.indexing.sobol import SobolIndices, saltelli_design, sobol_indices
from civicmeter.indexing.tables import IndexData
from civicmeter.indexing.tree import weight_array
from civicmeter.params import NONE, InstanceOf, Interval, ParameterError, validate_params

METHOD = (
    "Monte Carlo over the spec's choices on a scrambled Sobol' sequence; ranks descending with "
    "ties at the minimum; Sobol' indices by Saltelli et al. (2010) / Jansen (1999) estimators"
)
RUN_FAILED = "run {run} cannot be computed with {choices}: {reason}"
SHIFT_TARGET = "mean_abs_rank_shift"
_CHUNK_FLOATS = 4_000_000


@dataclass(frozen=True)
class UncertaintyResult:
    """Rank intervals per unit, Sobol indices (if a Saltelli design was run) and every run.

    ``ranks`` and ``scores`` are ``(runs, units)`` arrays in ``units`` order; ``runs_table`` holds
    each run's sampled choices. ``n`` is the number of runs; ``base`` the Saltelli base sample.
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
    method: str = METHOD
    notes: tuple[str, ...] = ()
    provenance: dict[str, str] = field(default_factory=dict)

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


@dataclass
class _Plan:
    """Each run's choice per discrete input (index into its values) and weight factors."""

    choices: dict[str, np.ndarray]
    factors: np.ndarray | None
    blocks: list[str]


def _plan(spec: SensitivitySpec, matrix: np.ndarray, blocks: list[str]) -> _Plan:
    choices: dict[str, np.ndarray] = {}
    factors = None
    start = 0
    for item in spec.inputs:
        cols = matrix[:, start : start + item.width]
        start += item.width
        if isinstance(item, DiscreteInput):
            n_alt = len(item.values)
            choices[item.name] = np.minimum((cols[:, 0] * n_alt).astype(int), n_alt - 1)
        else:
            factors = 1.0 + item.perturb * (2.0 * cols - 1.0)
    return _Plan(choices=choices, factors=factors, blocks=blocks)


def _variant(recipe: Recipe, spec: SensitivitySpec, key: dict[str, int]) -> Recipe:
    """The recipe with the chosen alternative of every discrete input substituted."""
    changes = {}
    for name, k in key.items():
        item = spec.get(name)
        assert isinstance(item, DiscreteInput)
        changes["treat" if name == "winsorise_max" else name] = item.values[k]
    return replace(recipe, **changes)


def _describe(spec: SensitivitySpec, key: dict[str, int]) -> str:
    parts = []
    for name, k in key.items():
        item = spec.get(name)
        assert isinstance(item, DiscreteInput)
        parts.append(f"{name}={item.labels[k]}")
    return ", ".join(parts) or "the recipe's choices"


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


class _Builder:
    """Cache of pipeline stages keyed by the choices that produce them."""

    def __init__(
        self, data: IndexData, recipe: Recipe, spec: SensitivitySpec, nominal: IndexResult
    ):
        self.data, self.recipe, self.spec, self.nominal = data, recipe, spec, nominal
        self.upstream: dict[tuple, IndexResult] = {}
        self.normalised: dict[tuple, tuple[np.ndarray, dict[str, float]]] = {}
        self.notes: list[str] = []

    def _upstream(self, key: dict[str, int]) -> IndexResult:
        up = tuple(
            sorted((k, v) for k, v in key.items() if k in ("impute", "treat", "winsorise_max"))
        )
        if up not in self.upstream:
            if not up:
                self.upstream[up] = self.nominal
            else:
                start = "Imputed" if "impute" in dict(up) else "Treated"
                variant = _variant(self.recipe, self.spec, dict(up))
                built = run_pipeline(self.data, variant, reuse=self.nominal, start_at=start)
                units = built.stages["Treated"].index
                if not units.equals(self.nominal.stages["Treated"].index):
                    self.notes.append(
                        f"with {_describe(self.spec, dict(up))} screening keeps "
                        f"{len(units)} units; units it drops have no rank in those runs"
                    )
                self.upstream[up] = built
        return self.upstream[up]

    def stage(self, key: dict[str, int]) -> tuple[np.ndarray, dict[str, float]]:
        """Normalised indicators (nominal units x indicators) and base weights for ``key``."""
        pca = self.recipe.weights == "pca"
        norm_key = tuple(sorted((k, v) for k, v in key.items() if k != "aggregate" or pca))
        if norm_key not in self.normalised:
            upstream = self._upstream(key)
            variant = _variant(self.recipe, self.spec, dict(norm_key))
            if pca:  # PCA weights depend on the normalised data: let the pipeline derive them
                built = run_pipeline(self.data, variant, reuse=upstream, start_at="Normalised")
                frame, weights = built.stages["Normalised"], built.weights
            else:
                treated = upstream.stages["Treated"]
                frame = normalise_frame(treated, self.data, variant.normalise)
                weights = self.nominal.weights
            frame = frame.reindex(self.nominal.stages["Normalised"].index)
            x = frame[list(self.data.hierarchy.indicators)].to_numpy(dtype=float)
            self.normalised[norm_key] = (x, weights)
        return self.normalised[norm_key]


def _run_all(
    builder: _Builder,
    plan: _Plan,
    spec: SensitivitySpec,
    target: str,
    progress: Callable[[int, int], None] | None,
) -> np.ndarray:
    """Target scores ``(runs, units)``: runs grouped by their discrete choices, batched by
    weights."""
    data, recipe = builder.data, builder.recipe
    h = data.hierarchy
    n_runs = len(plan.blocks)
    names = list(plan.choices)
    keys = np.stack([plan.choices[n] for n in names], axis=1) if names else np.zeros((n_runs, 0))
    groups: dict[tuple, list[int]] = {}
    for run, row in enumerate(keys.astype(int)):
        groups.setdefault(tuple(row), []).append(run)
    noise = spec.get("weights")
    positions = [h.codes.index(c) for c in noise.codes] if isinstance(noise, WeightNoise) else []
    target_pos = h.aggregates.index(target)
    n_units = len(builder.nominal.stages["Normalised"])
    scores = np.empty((n_runs, n_units))
    chunk = max(1, _CHUNK_FLOATS // max(1, n_units * len(h.aggregates)))
    done = 0
    for row, members in groups.items():
        key = dict(zip(names, row, strict=True))
        x, base_weights = builder.stage(key)
        aggregate = _variant(recipe, spec, key).aggregate
        w0 = weight_array(h, base_weights)
        for lo in range(0, len(members), chunk):
            idx = np.asarray(members[lo : lo + chunk])
            weights = np.tile(w0, (len(idx), 1))
            if positions:
                weights[:, positions] *= plan.factors[idx]
            try:
                out = aggregate_runs(x, h, weights, aggregate)
            except NonPositiveValuesError as exc:
                raise SensitivitySpecError.single(
                    "sensitivity.E011",
                    f"{spec.source} key inputs",
                    RUN_FAILED.format(
                        run=int(idx[0]) + 1, choices=_describe(spec, key), reason=exc
                    ),
                ) from exc
            scores[idx] = out[:, target_pos]
            done += len(idx)
            if progress is not None:
                progress(done, n_runs)
    return scores


def _runs_table(
    plan: _Plan, spec: SensitivitySpec, weights: dict[str, float], shift: np.ndarray
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


def _sensitivity_table(
    indices: SobolIndices, spec: SensitivitySpec, targets: list[str]
) -> pd.DataFrame:
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


@validate_params(
    {
        "problem": [InstanceOf(IndexData, "an IndexData")],
        "recipe": [InstanceOf(Recipe, "a Recipe")],
        "spec": [InstanceOf((SensitivitySpec, dict), "a SensitivitySpec or a parsed spec dict")],
        "runs": [Interval(int, 2, None)],
        "seed": [Interval(int, 0, None), NONE],
        "target": [InstanceOf(str, "an aggregate code"), NONE],
        "sensitivity": [InstanceOf(bool, "a bool")],
        "n_boot": [Interval(int, 0, None)],
        "alpha": [Interval(float, 0, 1, closed="neither")],
        "progress": [InstanceOf(Callable, "a callable (done, total)"), NONE],
    }
)
def run_uncertainty(
    problem: IndexData,
    recipe: Recipe,
    spec: SensitivitySpec | dict,
    *,
    runs: int = 1000,
    seed: int | None = None,
    target: str | None = None,
    sensitivity: bool = True,
    n_boot: int = 500,
    alpha: float = 0.1,
    progress: Callable[[int, int], None] | None = None,
) -> UncertaintyResult:
    """Run the spec's uncertainty analysis of ``target`` (default: the index) and summarise ranks.

    ``seed`` defaults to the spec's; the same seed gives identical results. ``runs`` is the total
    number of index builds; with ``sensitivity`` it is rounded down to a multiple of ``d + 2``.
    ``alpha`` sets the Sobol bootstrap interval (0.1: 5th-95th percentile, as COINr). ``progress``
    is called with (runs done, runs in total).
    """
    if isinstance(spec, dict):
        spec = sensitivity_spec_from_dict(spec, recipe, problem)
    seed = spec.seed if seed is None else seed
    h = problem.hierarchy
    target = target or h.top[0]
    if target not in h.aggregates:
        raise ParameterError(
            f"the 'target' parameter of run_uncertainty must be an aggregate code; got {target!r}",
            parameter="target",
            function="run_uncertainty",
        )
    nominal = run_pipeline(problem, recipe)
    widths = [item.width for item in spec.inputs]
    notes: list[str] = []
    design = None
    if sensitivity:
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
        matrix = design.matrix
        blocks = ["A"] * base + ["B"] * base + [f"AB:{n}" for n in spec.names for _ in range(base)]
        notes.extend(design.notes)
        if base * (d + 2) != runs:
            notes.append(f"runs rounded down to {base * (d + 2)} = {base} x ({d} inputs + 2)")
    else:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            matrix = qmc.Sobol(d=sum(widths), scramble=True, seed=seed).random(runs)
        blocks = ["UA"] * runs
    plan = _plan(spec, matrix, blocks)
    builder = _Builder(problem, recipe, spec, nominal)
    scores = _run_all(builder, plan, spec, target, progress)
    notes.extend(builder.notes)
    units = tuple(nominal.stages["Normalised"].index)
    ranks = _rank_rows(scores)
    nominal_rank = rank_descending(nominal.stages["Aggregated"][[target]])[target].to_numpy(
        dtype=float
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        shift = np.nanmean(np.abs(ranks - nominal_rank[None]), axis=1)
        quantiles = _quantiles(ranks, [0.05, 0.5, 0.95])
        intervals = pd.DataFrame(
            {
                "uCode": units,
                "nominal_score": nominal.stages["Aggregated"][target].to_numpy(dtype=float),
                "nominal_rank": nominal_rank,
                "median": quantiles[1],
                "mean": np.nanmean(ranks, axis=0),
                "p05": quantiles[0],
                "p95": quantiles[2],
            }
        )
    table = None
    if design is not None:
        outputs = np.column_stack([shift, ranks])
        indices = sobol_indices(design, outputs, n_boot=n_boot, alpha=alpha, seed=seed)
        table = _sensitivity_table(indices, spec, [SHIFT_TARGET, *units])
        notes.extend(n for n in indices.notes if n not in notes)
    provenance = {
        **nominal.provenance,
        "sensitivity_spec": spec.source,
        "sensitivity_spec_sha256": spec.sha256,
        "seed": str(seed),
        "runs": str(len(blocks)),
    }
    return UncertaintyResult(
        target=target,
        units=units,
        rank_intervals=intervals,
        sensitivity=table,
        runs_table=_runs_table(plan, spec, nominal.weights, shift),
        ranks=ranks,
        scores=scores,
        n=len(blocks),
        base=design.base if design is not None else None,
        alpha=alpha,
        notes=tuple(notes),
        provenance=provenance,
    )
