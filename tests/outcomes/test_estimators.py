"""The estimators against independent references: statsmodels and hand computation."""

from __future__ import annotations

import numpy as np
import pytest
import statsmodels.api as sm
from hypothesis import given, settings
from hypothesis import strategies as st
from statsmodels.stats.proportion import proportion_confint
from statsmodels.stats.weightstats import DescrStatsW

from civicmeter.outcomes.estimators import group_estimates


def one_group(y, w=None, **kwargs):
    y = np.asarray(y, dtype=float)
    weights = None if w is None else np.asarray(w, dtype=float)
    kwargs.setdefault("share", False)
    kwargs.setdefault("alpha", 0.05)
    return group_estimates(np.zeros(len(y), dtype=np.int64), y, weights, 1, **kwargs)


def test_unweighted_mean_matches_descrstatsw():
    y = [1, 2, 2, 3, 5, 4, 4, 1]
    result = one_group(y)
    reference = DescrStatsW(np.asarray(y, dtype=float), ddof=1)
    assert result.estimate[0] == pytest.approx(reference.mean)
    assert result.se[0] == pytest.approx(reference.std_mean)
    low, high = reference.tconfint_mean(alpha=0.05)
    assert (result.ci_lower[0], result.ci_upper[0]) == pytest.approx((low, high))


def test_weighted_mean_and_linearised_se_match_wls_hc1():
    rng = np.random.default_rng(4)
    y = rng.integers(1, 6, 200).astype(float)
    w = rng.gamma(2.0, 1.0, 200)
    result = one_group(y, w)
    assert result.estimate[0] == pytest.approx(DescrStatsW(y, weights=w).mean)
    # Intercept-only WLS with HC1 sandwich = ratio-mean linearisation with the n/(n-1) factor.
    fit = sm.WLS(y, np.ones_like(y), weights=w).fit(cov_type="HC1")
    assert result.estimate[0] == pytest.approx(fit.params[0])
    assert result.se[0] == pytest.approx(fit.bse[0])
    assert result.n_eff[0] == pytest.approx(w.sum() ** 2 / (w**2).sum())


def test_hand_computed_weighted_share():
    # y = 1,0,1,1 with weights 1,2,1,4: p = 6/8; z_i = w_i (y_i - p) / 8.
    result = one_group([1, 0, 1, 1], [1, 2, 1, 4], share=True, interval="wald")
    z = np.array([1 * 0.25, 2 * -0.75, 1 * 0.25, 4 * 0.25]) / 8
    se = np.sqrt(4 / 3 * (z**2).sum())
    assert result.estimate[0] == 0.75
    assert result.se[0] == pytest.approx(se)
    assert result.n_eff[0] == pytest.approx(64 / 22)
    assert result.ci_lower[0] == pytest.approx(0.75 - 1.959963985 * se)


def test_unweighted_wilson_matches_statsmodels():
    y = [1] * 753 + [0] * 273
    result = one_group(y, share=True)
    low, high = proportion_confint(753, 1026, alpha=0.05, method="wilson")
    assert (result.ci_lower[0], result.ci_upper[0]) == pytest.approx((low, high))


def test_logit_interval_and_its_edge():
    result = one_group([1, 1, 1, 0, 0], share=True, interval="logit")
    p, se = 0.6, np.sqrt(0.6 * 0.4 / 4)
    half = 1.959963985 * se / (p * (1 - p))
    expected = 1 / (1 + np.exp(-(np.log(p / (1 - p)) + np.array([-half, half]))))
    assert (result.ci_lower[0], result.ci_upper[0]) == pytest.approx(tuple(expected))
    edge = one_group([1, 1, 1], share=True, interval="logit")
    assert np.isnan(edge.ci_lower[0]) and np.isnan(edge.ci_upper[0])
    assert one_group([1, 1, 1], share=True).ci_upper[0] == 1.0


def test_groups_are_independent_and_a_lone_respondent_has_no_se():
    groups = np.array([0, 0, 1, 2, 2, 2])
    result = group_estimates(groups, np.array([1.0, 3, 4, 2, 2, 5]), None, 4, share=False, alpha=0.1)
    assert result.n.tolist() == [2, 1, 3, 0]
    assert result.estimate[:3].tolist() == [2.0, 4.0, 3.0]
    assert np.isnan(result.se[1]) and np.isnan(result.estimate[3])


values = st.lists(st.integers(1, 5), min_size=2, max_size=40)


@settings(max_examples=60, deadline=None)
@given(values, st.floats(0.1, 50), st.randoms(use_true_random=False))
def test_laws_scaling_and_permuting_weights(y, factor, random):
    w = [random.uniform(0.2, 3.0) for _ in y]
    base = one_group(y, w)
    scaled = one_group(y, [factor * x for x in w])
    assert scaled.estimate[0] == pytest.approx(base.estimate[0])
    assert scaled.se[0] == pytest.approx(base.se[0], nan_ok=True, abs=1e-12)
    order = list(range(len(y)))
    random.shuffle(order)
    permuted = one_group([y[i] for i in order], [w[i] for i in order])
    assert permuted.estimate[0] == pytest.approx(base.estimate[0])
    assert min(y) - 1e-9 <= base.estimate[0] <= max(y) + 1e-9


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(0, 1), min_size=2, max_size=60),
    st.sampled_from(["wilson", "logit", "wald"]),
)
def test_laws_share_intervals_cover_the_estimate(y, interval):
    result = one_group(y, share=True, interval=interval)
    if interval == "logit" and result.estimate[0] in (0.0, 1.0):
        return
    tolerance = 1e-12
    assert result.ci_lower[0] <= result.estimate[0] + tolerance
    assert result.estimate[0] <= result.ci_upper[0] + tolerance
    if interval != "wald":
        assert 0 <= result.ci_lower[0] and result.ci_upper[0] <= 1
