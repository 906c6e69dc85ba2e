"""The pipeline end to end: cached stages, vectorised replications, weights, panels, unit
summaries."""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from civicmeter.indexing import (
    AggregateSpec,
    IndexDataError,
    NormaliseSpec,
    aggregate_tree,
    normalise_array,
    read_index_data,
    recipe_from_dict,
    run_pipeline,
)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "asem"


def test_restart_from_a_cached_stage_reuses_upstream(asem_data, asem_recipe, asem_result):
    geometric = replace(
        asem_recipe,
        normalise=NormaliseSpec(low=1.0, high=100.0),
        aggregate=AggregateSpec(method="geometric"),
    )
    restarted = run_pipeline(asem_data, geometric, reuse=asem_result, start_at="Normalised")
    assert restarted["Treated"] is asem_result["Treated"]
    assert restarted.treatment is asem_result.treatment
    full = run_pipeline(asem_data, geometric)
    pd.testing.assert_frame_equal(restarted["Aggregated"], full["Aggregated"])


def test_same_recipe_from_aggregation_reproduces_results(asem_data, asem_recipe, asem_result):
    again = run_pipeline(asem_data, asem_recipe, reuse=asem_result, start_at="Aggregated")
    pd.testing.assert_frame_equal(again.results_table(), asem_result.results_table())


def test_restart_needs_a_previous_result(asem_data, asem_recipe):
    with pytest.raises(ValueError, match="needs a previous result"):
        run_pipeline(asem_data, asem_recipe, start_at="Treated")


def test_thousand_replications_vectorised_under_two_seconds(asem_data, asem_result):
    h = asem_data.hierarchy
    treated = asem_result["Treated"].to_numpy()
    rng = np.random.default_rng(1)
    runs = 1000
    weights = np.broadcast_to(np.array([h.weights[c] for c in h.codes]), (runs, len(h.codes)))
    weights = weights * rng.uniform(0.75, 1.25, size=weights.shape)
    start = time.perf_counter()
    stack = np.broadcast_to(treated, (runs,) + treated.shape)
    spec = NormaliseSpec(method="minmax", low=0.0, high=100.0)
    normalised = normalise_array(stack, h.direction_vector(), spec)
    scores = aggregate_tree(normalised, h, weights=weights)
    elapsed = time.perf_counter() - start
    assert scores.shape == (runs, 51, len(h.aggregates))
    assert elapsed < 2.0
    # run 0 with the original weights equals the pipeline
    single = aggregate_tree(normalised[0], h)
    np.testing.assert_allclose(single, asem_result.scores.to_numpy(), rtol=0, atol=1e-9)


@pytest.mark.parametrize(
    "method", ["zscore", "rank", "borda", "prank", "dist2max", "dist2targ", "none"]
)
def test_every_normalisation_runs_on_asem(asem_data, method):
    result = run_pipeline(
        asem_data, recipe_from_dict({"denominate": True, "impute": "mean", "normalise": method})
    )
    assert result.scores["Index"].notna().all()


def test_fracmax_dividing_by_zero_is_an_error_not_infinity(asem_data):
    with pytest.raises(IndexDataError) as info:
        run_pipeline(asem_data, recipe_from_dict({"impute": "mean", "normalise": "fracmax"}))
    assert info.value.codes == ("index.E014",)


def test_dist2ref_uses_the_reference_unit_and_notes_lost_values(asem_data):
    result = run_pipeline(
        asem_data,
        recipe_from_dict(
            {"impute": "mean", "normalise": {"method": "dist2ref", "unit": "CHE", "cap_max": True}}
        ),
    )
    che = result["Normalised"].loc["CHE"]
    assert (che.dropna() == 1).all()
    # CHE has the minimum of Ship (0), so 0/0 leaves Ship missing: said in the notes, not hidden
    assert np.isnan(che["Ship"]) and "Ship" in result.notes[-1]


@pytest.mark.parametrize("weights", ["equal", "pca"])
def test_weight_choices(asem_data, weights):
    result = run_pipeline(asem_data, recipe_from_dict({"impute": "mean", "weights": weights}))
    if weights == "pca":
        children = asem_data.hierarchy.children("Physical")
        assert sum(result.weights[c] for c in children) == pytest.approx(1.0)
    assert result.effective_weights["Index"] == 1.0


def test_named_weight_set_changes_scores(asem_data):
    base = run_pipeline(asem_data, recipe_from_dict({"impute": "mean"}))
    heavy = run_pipeline(
        asem_data,
        recipe_from_dict(
            {"impute": "mean", "weight_sets": {"conn": {"Conn": 3}}, "weights": "conn"}
        ),
    )
    assert heavy.weights["Conn"] == 3.0
    expected = (3 * base.scores["Conn"] + base.scores["Sust"]) / 4
    np.testing.assert_allclose(heavy.scores["Index"], expected)


def test_per_level_methods(asem_data):
    recipe = recipe_from_dict(
        {
            "impute": "mean",
            "aggregate": {"method": "arithmetic", "levels": {4: {"method": "copeland"}}},
        }
    )
    result = run_pipeline(asem_data, recipe)
    # Copeland scores (pairs won minus pairs lost, COINr a_copeland) sum to zero
    assert result.scores["Index"].sum() == 0
    assert result.scores["Index"].between(-50, 50).all()


def test_panel_uses_latest_time_and_screens_like_coinr():
    panel = read_index_data(FIXTURES / "ASEM_iData_p.csv", FIXTURES / "ASEM_iMeta.csv")
    assert panel.is_panel
    result = run_pipeline(
        panel, recipe_from_dict({"time": 2018, "screen": {"min_availability": 0.9}})
    )
    # COINr's example purse: Screen(dset = "Raw", dat_thresh = 0.9) keeps 46 of 51 units in 2018
    assert len(result["Screened"]) == 46
    assert "5 unit(s) removed by screening" in result.notes[0]


def test_results_table_and_strengths(asem_result):
    table = asem_result.results_table()
    assert list(table.columns[:3]) == ["uCode", "Index", "Rank"]
    assert table["Rank"].is_monotonic_increasing
    summary = asem_result.strengths_weaknesses("IND", n=3)
    assert summary["Kind"].tolist() == ["strength"] * 3 + ["weakness"] * 3
    assert summary["Rank"].iloc[0] <= summary["Rank"].iloc[-1]


def test_tidy_frame(asem_result):
    tidy = asem_result.to_frame()
    assert list(tidy.columns) == ["uCode", "iCode", "Level", "Score", "Rank"]
    assert len(tidy) == 51 * (49 + 11)
    che = tidy[(tidy.uCode == "CHE") & (tidy.iCode == "Index")].iloc[0]
    assert che.Level == 4 and che.Rank == 1 and round(che.Score, 2) == 68.38


def test_ties_share_the_minimum_rank():
    from civicmeter.indexing import rank_descending

    ranks = rank_descending(pd.DataFrame({"s": [50.0, 70.0, 70.0, np.nan, 10.0]}))
    assert (
        ranks["s"].tolist()[:3] == [3, 1, 1]
        and pd.isna(ranks["s"].iloc[3])
        and ranks["s"].iloc[4] == 4
    )


def test_write_csv_files(asem_result, tmp_path):
    written = asem_result.write_csv(tmp_path)
    assert {p.name for p in written} == {
        "Raw.csv",
        "Denominated.csv",
        "Imputed.csv",
        "Screened.csv",
        "Treated.csv",
        "Normalised.csv",
        "Aggregated.csv",
        "results.csv",
        "treatment.csv",
    }
    assert pd.read_csv(tmp_path / "Aggregated.csv").columns[0] == "uCode"


def test_reference_unit_removed_by_screening_is_reported():
    panel = read_index_data(FIXTURES / "ASEM_iData_p.csv", FIXTURES / "ASEM_iMeta.csv")
    recipe = recipe_from_dict(
        {
            "time": 2018,
            "screen": {"min_availability": 0.9},
            "normalise": {"method": "dist2ref", "unit": "LAO"},
        }
    )
    with pytest.raises(IndexDataError) as info:
        run_pipeline(panel, recipe)
    assert info.value.codes == ("index.E015",)


def test_insufficient_shift_is_caught_at_run_time(asem_data):
    recipe = recipe_from_dict(
        {"impute": "mean", "normalise": "zscore", "aggregate": {"method": "geometric", "shift": 1}}
    )
    with pytest.raises(IndexDataError) as info:
        run_pipeline(asem_data, recipe)
    assert info.value.codes == ("index.E013",)
    assert "aggregating Physical, ConEcFin" in str(info.value)
    assert "geometric mean needs values > 0" in str(info.value)


def test_aggregation_follows_weights_and_structure_like_coinr_test(asem_data, asem_result):
    """Mirror of COINr's ``agg_coin`` test: random weights, every level recomputed by hand."""
    h = asem_data.hierarchy
    rng = np.random.default_rng(7)
    weights = {c: float(rng.uniform(0.1, 1.0)) for c in h.codes}
    normalised = asem_result["Normalised"]
    scores = aggregate_tree(normalised.to_numpy(), h, weights=weights)
    by_code = dict(zip(h.aggregates, np.moveaxis(scores, -1, 0), strict=True))
    manual = {c: normalised[c].to_numpy() for c in h.indicators}
    for level in range(2, h.n_levels + 1):
        for parent in h.codes_at(level):
            children = h.children(parent)
            w = np.array([weights[c] for c in children])
            manual[parent] = np.column_stack([manual[c] for c in children]) @ w / w.sum()
            np.testing.assert_allclose(by_code[parent], manual[parent], rtol=0, atol=1e-12)
