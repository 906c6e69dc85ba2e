import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from statsmodels.stats.weightstats import CompareMeans, DescrStatsW

from civicmeter.analysis import (
    AnalysisError,
    ComparisonSettings,
    bootstrap_difference,
    compare_groups,
    welch_difference,
)
from civicmeter.params import ParameterError

HIGH = [86.0, 88.0, 81.0, 90.0, 84.0]
LOW = [80.0, 83.0, 79.0, 84.0, 76.0, 81.0]


def test_welch_matches_hand_computation():
    # Hand computation: means 85.8 and 80.5; variances 12.2 and 8.3; se^2 = 11.2/5 + 8.3/6.
    v_high, v_low = 12.2, 8.3
    se2 = v_high / 5 + v_low / 6
    df = se2**2 / ((v_high / 5) ** 2 / 4 + (v_low / 6) ** 2 / 5)
    t = stats.t.ppf(0.975, df)
    result = welch_difference(HIGH, LOW)
    assert result["estimate"] == pytest.approx(5.3)
    assert result["se"] == pytest.approx(np.sqrt(se2))
    assert result["df"] == pytest.approx(df)
    assert result["df"] == pytest.approx(7.8124, abs=1e-4)
    assert result["ci_lower"] == pytest.approx(5.3 - t * np.sqrt(se2))
    assert result["ci_upper"] == pytest.approx(5.3 + t * np.sqrt(se2))


@pytest.mark.parametrize("alpha", [0.05, 0.1, 0.01])
def test_welch_matches_statsmodels_compare_means(alpha):
    rng = np.random.default_rng(1)
    high, low = rng.normal(84, 5, 31), rng.normal(80, 9, 45)
    compare = CompareMeans(DescrStatsW(high), DescrStatsW(low))
    lower, upper = compare.tconfint_diff(alpha=alpha, usevar="unequal")
    _, p_value, df = compare.ttest_ind(usevar="unequal")
    result = welch_difference(high, low, alpha=alpha)
    assert (result["ci_lower"], result["ci_upper"]) == pytest.approx((lower, upper))
    assert result["p_value"] == pytest.approx(p_value)
    assert result["df"] == pytest.approx(df)
    assert result["p_value"] == pytest.approx(stats.ttest_ind(high, low, equal_var=False).pvalue)


def test_bootstrap_is_reproducible_with_seed_and_varies_without():
    first = bootstrap_difference(HIGH, LOW, seed=7, n_resamples=2000)
    again = bootstrap_difference(HIGH, LOW, seed=7, n_resamples=2000)
    other = bootstrap_difference(HIGH, LOW, seed=8, n_resamples=2000)
    assert first == again
    assert first["ci_lower"] != other["ci_lower"]
    assert first["ci_lower"] < first["estimate"] < first["ci_upper"]


def test_bootstrap_matches_scipy_directly():
    def difference(x, y, axis=-1):
        return x.mean(axis=axis) - y.mean(axis=axis)

    expected = stats.bootstrap(
        (np.array(HIGH), np.array(LOW)),
        difference,
        n_resamples=999,
        method="percentile",
        rng=np.random.default_rng(3),
        vectorized=True,
    )
    result = bootstrap_difference(HIGH, LOW, bootstrap_method="percentile", n_resamples=999, seed=3)
    assert result["ci_lower"] == pytest.approx(expected.confidence_interval.low)
    assert result["ci_upper"] == pytest.approx(expected.confidence_interval.high)
    assert result["se"] == pytest.approx(expected.standard_error)


def test_bootstrap_without_variation_gives_nan_interval_not_a_guess():
    result = bootstrap_difference([80.0] * 4, [70.0] * 4, n_resamples=200)
    assert result["estimate"] == 10.0
    assert np.isnan(result["ci_lower"]) and np.isnan(result["ci_upper"])


def test_method_chosen_automatically_and_recorded(make_inputs):
    small = make_inputs(n=24, seed=2)
    table = compare_groups(small["capacity"], small["outcomes"], grouping="psi_class")
    assert {row.method for row in table.rows} == {"bootstrap (BCa)"}
    assert any("Small sample" in note for note in table.notes)
    large = make_inputs(n=200, seed=2)
    table = compare_groups(large["capacity"], large["outcomes"], grouping="psi_class")
    assert {row.method for row in table.rows} == {"welch"}
    forced = compare_groups(
        large["capacity"],
        large["outcomes"],
        grouping="psi_class",
        settings=ComparisonSettings(method="bootstrap", n_resamples=999),
    )
    assert {row.method for row in forced.rows} == {"bootstrap (BCa)"}


def test_group_means_and_n_come_from_the_right_cities(inputs):
    table = compare_groups(inputs["capacity"], inputs["outcomes"], grouping="psi_class")
    wide = inputs["outcomes"].pivot(index="city", columns="indicator", values="value")
    classes = inputs["capacity"].set_index("city")["psi_class"]
    row = table.rows[0]
    assert row.mean_high == pytest.approx(wide.loc[classes == "high", row.outcome].mean())
    assert row.n_high == int((classes == "high").sum())
    assert row.n_low == int((classes == "low").sum())
    assert row.estimate == pytest.approx(row.mean_high - row.mean_low)


def test_too_small_group_is_reported_not_estimated(inputs):
    capacity = inputs["capacity"].copy()
    capacity["psi_class"] = "low"
    capacity.loc[:1, "psi_class"] = "high"
    table = compare_groups(capacity, inputs["outcomes"], grouping="psi_class")
    row = table.rows[0]
    assert row.method == "not estimated" and row.n_high == 2 and np.isnan(row.estimate)
    assert row.reject is None


def test_feature_and_practice_groupings(make_inputs):
    data = make_inputs(n=80, n_data_use=30)
    staff = compare_groups(data["capacity"], data["outcomes"], grouping="dedicated_staff")
    assert staff.sample == "psi"
    assert staff.rows[0].n <= 50
    practice = compare_groups(data["capacity"], data["outcomes"], grouping="practice_open_data")
    levels = data["capacity"]["practice_open_data"]
    assert practice.sample == "data_use"
    assert practice.rows[0].n_high == int((levels == levels.max()).sum())
    assert practice.rows[0].n_low == int((levels == levels.min()).sum())


def test_feature_value_outside_its_sample_is_refused(make_inputs):
    data = make_inputs(n=60, n_data_use=20)
    capacity = data["capacity"].copy()
    capacity.loc[59, "dedicated_staff"] = True  # a data-use city with a PSI feature
    with pytest.raises(AnalysisError) as caught:
        compare_groups(capacity, data["outcomes"], grouping="dedicated_staff")
    assert caught.value.codes == ("analysis.E009",)
    assert "city-059-us" in str(caught.value)


def test_bad_values_are_all_reported_with_codes(inputs):
    capacity = inputs["capacity"].copy()
    capacity.loc[[0, 3], "psi_class"] = ["medium", "HIGHish"]
    with pytest.raises(AnalysisError) as caught:
        compare_groups(capacity, inputs["outcomes"], grouping="psi_class")
    assert caught.value.codes == ("analysis.E001", "analysis.E001")
    outcomes = inputs["outcomes"].copy()
    outcomes.loc[5, "value"] = 140.0
    outcomes = pd.concat([outcomes, outcomes.iloc[[0]]], ignore_index=True)
    with pytest.raises(AnalysisError) as caught:
        compare_groups(inputs["capacity"], outcomes, grouping="psi_class")
    assert caught.value.codes == ("analysis.E003", "analysis.E004")
    assert "row 7" in str(caught.value)


def test_unknown_grouping_and_indicator(inputs):
    with pytest.raises(AnalysisError, match="analysis.E006"):
        compare_groups(inputs["capacity"], inputs["outcomes"], grouping="mayor_height")
    with pytest.raises(AnalysisError, match="analysis.E006"):
        compare_groups(
            inputs["capacity"], inputs["outcomes"], grouping="psi_class",
            settings=ComparisonSettings(indicators=("nope",)),
        )


def test_parameters_are_validated(inputs):
    with pytest.raises(ParameterError, match="the 'method' parameter of ComparisonSettings"):
        ComparisonSettings(method="z")
    with pytest.raises(ParameterError, match="the 'settings' parameter of compare_groups"):
        compare_groups(inputs["capacity"], inputs["outcomes"], grouping="psi_class", settings={})
    with pytest.raises(ParameterError, match="'alpha'"):
        welch_difference(HIGH, LOW, alpha=0.7)


def test_latest_period_is_used_unless_one_is_chosen(inputs):
    outcomes = inputs["outcomes"].copy()
    older = outcomes.assign(period=2019, value=0.0)
    both = pd.concat([older, outcomes], ignore_index=True)
    latest = compare_groups(inputs["capacity"], both, grouping="psi_class")
    chosen = compare_groups(
        inputs["capacity"], both, grouping="psi_class", settings=ComparisonSettings(period=2019)
    )
    assert latest.rows[0].mean_high > 50
    assert chosen.rows[0].mean_high == 0.0
    assert any("latest period" in note for note in latest.notes)


@settings(max_examples=25, deadline=None)
@given(shift=st.floats(-20, 20), seed=st.integers(0, 1000))
def test_shifting_the_high_group_shifts_estimate_and_interval(shift, seed):
    rng = np.random.default_rng(seed)
    high, low = rng.normal(50, 5, 25), rng.normal(50, 5, 30)
    base = welch_difference(high, low)
    moved = welch_difference(high + shift, low)
    for key in ("estimate", "ci_lower", "ci_upper"):
        assert moved[key] == pytest.approx(base[key] + shift, abs=1e-9)
    assert moved["se"] == pytest.approx(base["se"])


def test_text_cells_from_csv_files_are_understood(inputs):
    capacity = inputs["capacity"].astype(str)
    outcomes = inputs["outcomes"].astype(str)
    outcomes.index = outcomes.index + 1000  # a non-default index must not shift row numbers
    as_text = compare_groups(
        capacity, outcomes, grouping="dedicated_staff", settings=ComparisonSettings(period=2023)
    )
    as_numbers = compare_groups(inputs["capacity"], inputs["outcomes"], grouping="dedicated_staff")
    assert as_text.rows[0].estimate == pytest.approx(as_numbers.rows[0].estimate)
    outcomes.iloc[4, outcomes.columns.get_loc("value")] = "n/a"
    with pytest.raises(AnalysisError, match="row 6"):
        compare_groups(capacity, outcomes, grouping="psi_class")


def test_outcomes_keep_the_order_in_which_the_input_lists_them(inputs):
    outcomes = inputs["outcomes"]
    older = outcomes[outcomes["indicator"] == "walkability"].assign(period=2019)
    table = compare_groups(inputs["capacity"], pd.concat([older, outcomes]), grouping="psi_class")
    order = [row.outcome for row in table.rows]
    assert order == ["walkability", "city_satisfaction", "life_satisfaction"]
