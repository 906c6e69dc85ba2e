"""Uncertainty analysis: Civicmeter's cached, batched runs against a naive full rebuild per run.

Two problems: COINr's ASEM example (51 units, 49 indicators) and a seeded synthetic index of
10,000 units x 60 indicators. The naive baseline replays the *same* sampled runs, each as a full
``run_pipeline`` build with the run's choices (what COINr's ``get_sensitivity`` does); for the large
problem only a few naive runs are timed and the per-run time is extrapolated, as printed.
``CIVICMETER_BENCH_QUICK=1`` shrinks both problems.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from civicmeter.indexing import load_recipe, read_index_data, recipe_from_dict, run_pipeline
from civicmeter.indexing.sensitivity import UncertaintySettings, run_uncertainty
from civicmeter.indexing.sensitivity_spec import DiscreteInput, sensitivity_spec_from_dict

ROOT = Path(__file__).resolve().parents[1]
ASEM = ROOT / "tests" / "fixtures" / "asem"
ASEM_RECIPE = ROOT / "src" / "civicmeter" / "content" / "recipes" / "examples" / "asem.yaml"
QUICK = os.environ.get("CIVICMETER_BENCH_QUICK") == "1"

ASEM_SPEC = {
    "seed": 1,
    "inputs": {
        "winsorise_max": {"values": [1, 2, 3, 4, 5]},
        "normalise": {
            "values": [
                {"method": "minmax", "range": [1, 100]},
                {"method": "zscore", "mean": 10, "sd": 2},
            ]
        },
        "weights": {"perturb": 0.25, "levels": [2, 3]},
        "aggregate": {"values": [{"method": "arithmetic"}, {"method": "geometric", "shift": 10}]},
    },
}
BIG_SPEC = {
    "seed": 1,
    "inputs": {
        "winsorise_max": {"values": [2, 5]},
        "normalise": {"values": [{"method": "minmax", "range": [1, 100]}, {"method": "rank"}]},
        "weights": {"perturb": 0.25, "levels": [1, 2]},
        "aggregate": {"values": [{"method": "arithmetic"}, {"method": "geometric"}]},
    },
}
BIG_RECIPE = {
    "name": "synthetic",
    "impute": {"method": "mean"},
    "treat": {"winsorise_max": 5},
    "normalise": {"method": "minmax", "range": [1, 100]},
    "aggregate": {"method": "arithmetic"},
}


def synthetic_tables(
    units: int, indicators: int, seed: int = 0
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """iData and iMeta of a seeded index: pillars of 10 indicators, two sub-indices, one index.

    Indicators share a latent factor per pillar, a third are log-normal (skewed, so outlier
    treatment has work to do), a quarter have Direction -1 and 2% of cells are missing.
    """
    rng = np.random.default_rng(seed)
    pillars = indicators // 10
    latent = rng.normal(size=(units, pillars))
    columns = {}
    meta = []
    for j in range(indicators):
        value = latent[:, j // 10] + rng.normal(scale=1.0, size=units)
        if j % 3 == 0:
            value = np.exp(value)
        value[rng.random(units) < 0.02] = np.nan
        code = f"x{j:02d}"
        columns[code] = value
        direction = -1 if j % 4 == 3 else 1
        meta.append((1, code, code, direction, 1.0, f"P{j // 10}", "Indicator"))
    for p in range(pillars):
        meta.append((2, f"P{p}", f"Pillar {p}", 1, 1.0, f"S{p % 2}", "Aggregate"))
    meta += [(3, "S0", "Sub 0", 1, 1.0, "Index", "Aggregate"),
             (3, "S1", "Sub 1", 1, 1.0, "Index", "Aggregate"),
             (4, "Index", "Index", 1, 1.0, None, "Aggregate")]  # fmt: skip
    codes = [f"U{i:05d}" for i in range(units)]
    data = pd.DataFrame({"uCode": codes, "uName": codes, **columns})
    cols = ["Level", "iCode", "iName", "Direction", "Weight", "Parent", "Type"]
    return data, pd.DataFrame(meta, columns=cols)


def naive_recipes(result, spec, recipe) -> list:
    """The recipe each sampled run stands for, weights included as a named weight set."""
    by_label = {
        item.name: dict(zip(item.labels, item.values, strict=True))
        for item in spec.inputs
        if isinstance(item, DiscreteInput)
    }
    recipes = []
    for row in result.runs_table.to_dict("records"):
        changes = {}
        for name, options in by_label.items():
            changes["treat" if name == "winsorise_max" else name] = options[row[name]]
        weights = {k.split(":", 1)[1]: v for k, v in row.items() if k.startswith("weight:")}
        recipes.append(replace(recipe, **changes, weights="run", weight_sets={"run": weights}))
    return recipes


def bench(label: str, data, recipe, spec_dict: dict, runs: int, naive_runs: int | None) -> None:
    spec = sensitivity_spec_from_dict(spec_dict, recipe, data)
    start, cpu = time.perf_counter(), time.process_time()
    result = run_uncertainty(data, recipe, spec, UncertaintySettings(runs=runs, n_boot=500))
    ours, ours_cpu = time.perf_counter() - start, time.process_time() - cpu
    recipes = naive_recipes(result, spec, recipe)
    timed = recipes if naive_runs is None else recipes[:naive_runs]
    target = result.target
    start, cpu = time.perf_counter(), time.process_time()
    naive_scores = [run_pipeline(data, r).stages["Aggregated"][target].to_numpy() for r in timed]
    per_run = (time.perf_counter() - start) / len(timed)
    naive, naive_cpu = per_run * result.n, (time.process_time() - cpu) / len(timed) * result.n
    gap = np.nanmax(np.abs(np.asarray(naive_scores) - result.scores[: len(timed)]))
    how = "measured" if naive_runs is None else f"extrapolated from {len(timed)} timed runs"
    print(f"{label}: {result.n} runs, {len(spec.inputs)} inputs, Sobol indices with 500 bootstraps")
    print("  (wall clock, and CPU time of this process, which a busy shared machine inflates less)")
    print(f"  civicmeter (cached + batched)   {ours:8.2f} s wall {ours_cpu:8.2f} s CPU")
    print(
        f"  naive full rebuild per run      {naive:8.2f} s wall {naive_cpu:8.2f} s CPU"
        f"  ({how}, {per_run * 1e3:.1f} ms/run)"
    )
    print(
        f"  speed-up                        {naive / ours:8.1f} x wall "
        f"{naive_cpu / ours_cpu:8.1f} x CPU   (target >= 20 x)"
    )
    print(f"  largest score difference, ours vs naive on the same runs: {gap:.2e}")


def main() -> None:
    print(f"cores available: {os.cpu_count()}; quick mode: {QUICK}")
    data = read_index_data(ASEM / "ASEM_iData.csv", ASEM / "ASEM_iMeta.csv")
    runs = 200 if QUICK else 1000
    bench("ASEM", data, load_recipe(ASEM_RECIPE), ASEM_SPEC, runs, None)
    print("  targets: ASEM 1,000 runs under 2 s on 2 cores (COINr: ~70 s for 1,000 runs)")
    units, indicators = (1000, 30) if QUICK else (10_000, 60)
    idata, imeta = synthetic_tables(units, indicators)
    big = read_index_data(idata, imeta)
    recipe = recipe_from_dict(BIG_RECIPE, source="synthetic recipe")
    bench(f"synthetic {units} x {indicators}", big, recipe, BIG_SPEC, runs, 3)
    print("  spec: " + json.dumps(BIG_SPEC["inputs"], sort_keys=True))


if __name__ == "__main__":
    main()
