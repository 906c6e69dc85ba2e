"""Execute the runs of an uncertainty analysis: choose, cache stages, aggregate in batches.

Why separate from :mod:`.sensitivity`: this is the part that makes thousands of runs cheap, and it
is independent of how the runs are summarised. Each run is a tuple of discrete choices plus weight
factors (:class:`RunPlan`). :class:`StageCache` builds the upstream stages (imputation, screening,
treatment) once per distinct upstream choice and the normalised indicators once per distinct
(upstream, normalise) pair, both with the pipeline's own functions; :func:`run_scores` then groups
the runs sharing those and the aggregation method and aggregates each group under its weights with
:func:`~civicmeter.indexing.batched.aggregate_runs`, a few matrix products per level.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from civicmeter.indexing.aggregate import NonPositiveValuesError
from civicmeter.indexing.batched import aggregate_runs
from civicmeter.indexing.pipeline import normalise_frame, run_pipeline
from civicmeter.indexing.recipe import Recipe
from civicmeter.indexing.results import IndexResult
from civicmeter.indexing.sensitivity_spec import (
    DiscreteInput,
    SensitivitySpec,
    SensitivitySpecError,
    WeightNoise,
)
from civicmeter.indexing.tables import IndexData
from civicmeter.indexing.tree import weight_array
from civicmeter.params import NONE, InstanceOf, validate_params

RUN_FAILED = "run {run} cannot be computed with {choices}: {reason}"
# Runs are aggregated in chunks holding about this many floats per intermediate array.
_CHUNK_FLOATS = 4_000_000


@dataclass
class RunPlan:
    """Each run's choice per discrete input (index into its values) and weight factors."""

    choices: dict[str, np.ndarray]
    factors: np.ndarray | None
    blocks: list[str]


@validate_params(
    {
        "spec": [InstanceOf(SensitivitySpec, "a SensitivitySpec")],
        "matrix": [InstanceOf(np.ndarray, "a numpy array of points in [0, 1), one row per run")],
        "blocks": [InstanceOf(list, "a list of block labels, one per run")],
    }
)
def plan_runs(spec: SensitivitySpec, matrix: np.ndarray, blocks: list[str]) -> RunPlan:
    """Map each run's quasi-random point to its choices: column blocks in the spec's input order."""
    choices: dict[str, np.ndarray] = {}
    factors = None
    start = 0
    for item in spec.inputs:
        cols = matrix[:, start : start + item.width]
        start += item.width
        if isinstance(item, DiscreteInput):
            choices[item.name] = item.choose(cols[:, 0])
        else:
            factors = 1.0 + item.perturb * (2.0 * cols - 1.0)
    return RunPlan(choices=choices, factors=factors, blocks=blocks)


_KEY = {
    "recipe": [InstanceOf(Recipe, "a Recipe")],
    "spec": [InstanceOf(SensitivitySpec, "a SensitivitySpec")],
    "key": [InstanceOf(dict, "a dict of input name to alternative index")],
}


@validate_params(_KEY)
def variant_recipe(recipe: Recipe, spec: SensitivitySpec, key: dict[str, int]) -> Recipe:
    """The recipe with the chosen alternative of every discrete input substituted."""
    changes = {}
    for name, k in key.items():
        item = spec.get(name)
        assert isinstance(item, DiscreteInput)
        changes["treat" if name == "winsorise_max" else name] = item.values[k]
    return replace(recipe, **changes)


@validate_params({name: _KEY[name] for name in ("spec", "key")})
def describe_choices(spec: SensitivitySpec, key: dict[str, int]) -> str:
    """The choices of ``key`` as written in the spec, for messages and notes."""
    parts = []
    for name, k in key.items():
        item = spec.get(name)
        assert isinstance(item, DiscreteInput)
        parts.append(f"{name}={item.labels[k]}")
    return ", ".join(parts) or "the recipe's choices"


class StageCache:
    """Cache of pipeline stages keyed by the choices that produce them."""

    def __init__(self, data: IndexData, recipe: Recipe, spec: SensitivitySpec, nominal: IndexResult):
        self.data, self.recipe, self.spec, self.nominal = data, recipe, spec, nominal
        self.upstream: dict[tuple, IndexResult] = {}
        self.normalised: dict[tuple, tuple[np.ndarray, dict[str, float]]] = {}
        self.notes: list[str] = []

    def _upstream(self, key: dict[str, int]) -> IndexResult:
        up = tuple(sorted((k, v) for k, v in key.items() if k in ("impute", "treat", "winsorise_max")))
        if up not in self.upstream:
            if not up:
                self.upstream[up] = self.nominal
            else:
                start = "Imputed" if "impute" in dict(up) else "Treated"
                variant = variant_recipe(self.recipe, self.spec, dict(up))
                built = run_pipeline(self.data, variant, reuse=self.nominal, start_at=start)
                units = built.stages["Treated"].index
                if not units.equals(self.nominal.stages["Treated"].index):
                    self.notes.append(
                        f"with {describe_choices(self.spec, dict(up))} screening keeps "
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
            variant = variant_recipe(self.recipe, self.spec, dict(norm_key))
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


@validate_params(
    {
        "cache": [InstanceOf(StageCache, "a StageCache")],
        "plan": [InstanceOf(RunPlan, "a RunPlan")],
        "spec": [InstanceOf(SensitivitySpec, "a SensitivitySpec")],
        "target": [InstanceOf(str, "an aggregate code")],
        "progress": [InstanceOf(Callable, "a callable (done, total)"), NONE],
    }
)
def run_scores(
    cache: StageCache,
    plan: RunPlan,
    spec: SensitivitySpec,
    target: str,
    progress: Callable[[int, int], None] | None,
) -> np.ndarray:
    """Target scores ``(runs, units)``: runs grouped by discrete choices, batched by weights."""
    data, recipe = cache.data, cache.recipe
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
    n_units = len(cache.nominal.stages["Normalised"])
    scores = np.empty((n_runs, n_units))
    chunk = max(1, _CHUNK_FLOATS // max(1, n_units * len(h.aggregates)))
    done = 0
    for row, members in groups.items():
        key = dict(zip(names, row, strict=True))
        x, base_weights = cache.stage(key)
        aggregate = variant_recipe(recipe, spec, key).aggregate
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
                    RUN_FAILED.format(run=int(idx[0]) + 1, choices=describe_choices(spec, key), reason=exc),
                ) from exc
            scores[idx] = out[:, target_pos]
            done += len(idx)
            if progress is not None:
                progress(done, n_runs)
    return scores
