import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf

from civicmeter.analysis import AnalysisError, ComparisonSettings, adjusted_difference, analyze
from civicmeter.analysis.report_html import render_html


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


def test_a_negative_control_drops_its_city_and_a_missing_economy_column_is_refused(inputs):
    controls = inputs["controls"].copy()
    controls.loc[0, "population"] = -5
    table = adjusted_difference(inputs["capacity"], inputs["outcomes"], controls)
    assert "city-000-us" in table.rows[0].dropped and table.rows[0].n == 59
    assert any("'city-000-us'" in note and "population is -5," in note for note in table.notes)
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


def _few_high(inputs, n_high):
    """The inputs with only the first ``n_high`` high-class cities kept high; the rest low."""
    capacity = inputs["capacity"].copy()
    high = capacity.index[capacity["psi_class"] == "high"]
    capacity.loc[high[n_high:], "psi_class"] = "low"
    return capacity


@pytest.mark.parametrize("n_high", [1, 2])
def test_a_class_with_one_or_two_cities_is_refused_with_its_reason(inputs, n_high):
    capacity = _few_high(inputs, n_high)
    table = adjusted_difference(capacity, inputs["outcomes"], inputs["controls"])
    for row in table.rows:
        assert row.method == "not estimated" and np.isnan(row.estimate) and np.isnan(row.se)
        assert f"only {n_high} cit" in row.reason and "high PSI capacity" in row.reason
        assert row.reject is None
    shown = table.display_frame()
    assert shown["adjusted difference"].str.startswith("not estimated: only").all()


def test_a_constant_outcome_is_refused_not_reported_as_a_tiny_difference(inputs):
    outcomes = inputs["outcomes"].assign(value=70.0)
    row = adjusted_difference(inputs["capacity"], outcomes, inputs["controls"]).rows[0]
    assert row.method == "not estimated" and np.isnan(row.p_value)
    assert row.reason == "not estimated: all values equal (70 for every city)"


def test_an_outcome_constant_within_each_class_is_refused(inputs):
    capacity = inputs["capacity"].set_index("city")
    outcomes = inputs["outcomes"].copy()
    outcomes["value"] = np.where(
        outcomes["city"].map(capacity["psi_class"]).eq("high"), 80.0, 70.0
    )
    table = adjusted_difference(inputs["capacity"], outcomes, inputs["controls"])
    row = table.rows[0]
    assert row.method == "not estimated" and row.reject is None
    assert "constant within each class" in row.reason


def test_a_city_with_leverage_one_is_refused_not_given_a_meaningless_hc3_error(inputs):
    capacity = _few_high(inputs, 1).set_index("city")
    lone = capacity.index[capacity["psi_class"] == "high"][0]
    # with the index as regressor, a single city far from all others dominates its own fit
    capacity["psi_index"] = 1.0 + np.arange(len(capacity)) % 2 * 1e-9
    capacity.loc[lone, "psi_index"] = 10.0
    table = adjusted_difference(
        capacity.reset_index(),
        inputs["outcomes"],
        inputs["controls"],
        settings=ComparisonSettings(capacity_measure="index"),
    )
    row = table.rows[0]
    assert row.method == "not estimated", (row.estimate, row.se)
    assert "leverage" in row.reason and lone in row.reason


def test_the_reason_reaches_the_report_text_and_page(make_inputs):
    data = make_inputs(n=60, indicators=("satis_city", "walkability"))
    outcomes = data["outcomes"]
    outcomes.loc[outcomes["indicator"] == "walkability", "value"] = 55.0
    report = analyze(
        data["capacity"],
        outcomes,
        controls=data["controls"],
        settings=ComparisonSettings(groupings=("psi_class",), n_resamples=199),
    )
    sentence = dict((c, t) for name, c, t in report.summaries if name.startswith("adjusted"))
    assert sentence["walkability"] == (
        "No adjusted estimate for “walkability”: all values equal (55 for every city)."
    )
    assert "not estimated: all values equal (55 for every city)" in render_html(report)
