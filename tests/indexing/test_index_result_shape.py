"""An index build in the shared result shape: the top aggregate per unit, with rank intervals from
an uncertainty analysis when one is given."""

from __future__ import annotations

import numpy as np

from civicmeter.indexing.sensitivity import UncertaintySettings, run_uncertainty

SPEC = {"seed": 2, "inputs": {"weights": {"perturb": 0.1, "levels": [2]}}}


def test_summary_frame_is_the_top_aggregate_per_unit_best_first(asem_result):
    frame = asem_result.summary_frame()
    top = asem_result.hierarchy.top[0]
    assert frame.index.name == "uCode" and len(frame) == 51
    np.testing.assert_array_equal(frame["estimate"], asem_result.scores.loc[frame.index, top])
    assert frame["rank"].is_monotonic_increasing and frame["rank"].iloc[0] == 1
    assert frame[["se", "ci_lower", "ci_upper"]].isna().all().all()
    assert frame["reason"].str.contains("no standard error").all()
    raw = asem_result["Raw"].loc[frame.index, list(asem_result.hierarchy.indicators)]
    assert frame["n"].tolist() == raw.notna().sum(axis=1).tolist()


def test_rank_intervals_come_from_the_uncertainty_runs(asem_data, asem_recipe, asem_result):
    runs = run_uncertainty(
        asem_data, asem_recipe, SPEC, UncertaintySettings(runs=32, sensitivity=False)
    )
    frame = asem_result.summary_frame(runs)
    intervals = runs.rank_intervals.set_index("uCode").loc[frame.index]
    assert frame[["rank_p5", "rank_median", "rank_p95"]].to_numpy().tolist() == (
        intervals[["p05", "median", "p95"]].to_numpy().tolist()
    )
    assert (frame["rank_p5"] <= frame["rank_p95"]).all()
    assert frame["reason"].str.contains(f"over {runs.n} uncertainty runs").all()
    assert list(frame.columns)[-1] == "reason"
    assert "rank_p95" in asem_result.to_csv(uncertainty=runs).splitlines()[0]
