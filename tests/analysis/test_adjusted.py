import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf

from civicmeter.analysis import AnalysisError, ComparisonSettings, adjusted_difference


def _statsmodels_reference(inputs, indicator, *, fixed_effects=None, alpha=0.05):
    data = (
        inputs["outcomes"][inputs["outcomes"]["indicator"] == indicator]
        .merge(inputs["capacity"], on="city")
        .merge(inputs["controls"], on="city")
    )
    data["high"] = (data["psi_class"] == "high").astype(float)
    formula = "value ~ high + np.log(population) + np.log(gdp_per_capita)"
    if fixed_effects:
        formula += f" + C({fixed_effects})"
    fit = smf.ols(formula, data=data.dropna(subset=["population", "gdp_per_capita"])).fit(
        cov_type="HC3", use_t=True
    )
    return fit, fit.conf_int(alpha=alpha).loc["high"]


@pytest.mark.parametrize("fixed_effects", [None, "country"])
def test_matches_statsmodels_ols_hc3(inputs, fixed_effects):
    table = adjusted_difference(
        inputs["capacity"], inputs["outcomes"], inputs["controls"],
        settings=ComparisonSettings(fixed_effects=fixed_effects),
    )
    for row in table.rows:
        fit, interval = _statsmodels_reference(inputs, row.outcome, fixed_effects=fixed_effects)
        assert row.estimate == pytest.approx(fit.params["high"])
        assert row.se == pytest.approx(fit.bse["high"])
        assert (row.ci_lower, row.ci_upper) == pytest.approx(tuple(interval))
        assert row.p_value == pytest.approx(fit.pvalues["high"])
        assert row.n == fit.nobs
        assert row.method == "ols-hc3"


def test_hc3_differs_from_classical_errors(inputs):
    row = adjusted_difference(inputs["capacity"], inputs["outcomes"], inputs["controls"]).rows[0]
    fit, _ = _statsmodels_reference(inputs, row.outcome)
    classical = fit.model.fit().bse["high"]
    assert row.se != pytest.approx(classical, rel=1e-6)


def test_missing_controls_are_dropped_and_counted(inputs):
    controls = inputs["controls"].copy()
    controls.loc[[2, 7], "population"] = np.nan
    controls = controls.drop(index=11)
    table = adjusted_difference(inputs["capacity"], inputs["outcomes"], controls)
    row = table.rows[0]
    assert row.n == 57 and row.n_dropped == 3
    assert set(row.dropped) == {"city-002-us", "city-007-us", "city-011-us"}
    assert any("missing control" in note for note in table.notes)


def test_singleton_fixed_effect_groups_are_dropped(inputs):
    controls = inputs["controls"].copy()
    controls.loc[4, "country"] = "lu"
    table = adjusted_difference(
        inputs["capacity"], inputs["outcomes"], controls, settings=ComparisonSettings(fixed_effects="country")
    )
    assert "city-004-us" in table.rows[0].dropped
    assert np.isfinite(table.rows[0].se)


def test_index_measure_and_median_income(inputs):
    controls = inputs["controls"].rename(columns={"gdp_per_capita": "median_income"})
    table = adjusted_difference(
        inputs["capacity"],
        inputs["outcomes"],
        controls,
        settings=ComparisonSettings(capacity_measure="index"),
    )
    data = (
        inputs["outcomes"]
        .query("indicator == 'walkability'")
        .merge(inputs["capacity"], on="city")
        .merge(controls, on="city")
    )
    fit = smf.ols("value ~ psi_index + np.log(population) + np.log(median_income)", data=data).fit(
        cov_type="HC3", use_t=True
    )
    row = next(r for r in table.rows if r.outcome == "walkability")
    assert row.estimate == pytest.approx(fit.params["psi_index"])
    assert "economy (log median income)" in row.controls
    assert table.estimate_label == "per index point"


def test_bad_controls_are_refused(inputs):
    controls = inputs["controls"].copy()
    controls.loc[0, "population"] = -5
    with pytest.raises(AnalysisError, match="analysis.E008"):
        adjusted_difference(inputs["capacity"], inputs["outcomes"], controls)
    with pytest.raises(AnalysisError, match="analysis.E008"):
        adjusted_difference(
            inputs["capacity"],
            inputs["outcomes"],
            inputs["controls"].drop(columns="gdp_per_capita"),
        )


def test_not_estimated_when_capacity_does_not_vary(inputs):
    capacity = inputs["capacity"].assign(psi_class="high")
    row = adjusted_difference(capacity, inputs["outcomes"], inputs["controls"]).rows[0]
    assert row.method == "not estimated" and np.isnan(row.estimate)


def test_only_the_chosen_sample_is_used(make_inputs):
    data = make_inputs(n=90, n_data_use=40)
    psi = adjusted_difference(data["capacity"], data["outcomes"], data["controls"])
    use = adjusted_difference(
        data["capacity"], data["outcomes"], data["controls"], sample="data_use"
    )
    assert psi.rows[0].n == 50 and use.rows[0].n == 40
    assert pd.Series([psi.sample, use.sample]).tolist() == ["psi", "data_use"]
