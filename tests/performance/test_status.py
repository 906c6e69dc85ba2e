"""Status rules at their edges: exactly at target, exactly 10 % off, lower is better, no target, no data."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from civicmeter.performance import DEFAULTS, Direction, RuleName, Status, StatusRule, ratio_to_target

CITYSCORE, LOUIESTAT, NOLA = (DEFAULTS[n] for n in RuleName)
HIGHER, LOWER = Direction.HIGHER, Direction.LOWER


@pytest.mark.parametrize("rule", [CITYSCORE, LOUIESTAT, NOLA])
def test_exactly_at_target_is_on_target_with_ratio_one(rule):
    for direction in Direction:
        assessed = rule.assess(90.0, 90.0, direction)
        assert assessed.status is Status.ON_TARGET
        assert assessed.ratio == 1.0


@pytest.mark.parametrize("rule", [LOUIESTAT, NOLA])
def test_exactly_ten_percent_short_is_near_and_just_past_it_needs_improvement(rule):
    assert rule.assess(90.0, 100.0, HIGHER).status is Status.NEAR_TARGET
    assert rule.assess(89.99, 100.0, HIGHER).status is Status.NEEDS_IMPROVEMENT
    assert rule.assess(110.0, 100.0, LOWER).status is Status.NEAR_TARGET  # 10 % slower than target
    assert rule.assess(110.01, 100.0, LOWER).status is Status.NEEDS_IMPROVEMENT


def test_cityscore_has_no_near_band_below_one_needs_improvement():
    assessed = CITYSCORE.assess(99.0, 100.0, HIGHER)
    assert assessed.status is Status.NEEDS_IMPROVEMENT
    assert assessed.ratio == pytest.approx(0.99)


def test_lower_is_better_inverts_the_ratio():
    # pothole repair: target 5 days, took 4 -> beats target, ratio 1.25
    assessed = CITYSCORE.assess(4.0, 5.0, LOWER)
    assert assessed.status is Status.ON_TARGET
    assert assessed.ratio == pytest.approx(1.25)
    assert CITYSCORE.assess(10.0, 5.0, LOWER).ratio == pytest.approx(0.5)


@pytest.mark.parametrize("rule", [CITYSCORE, LOUIESTAT, NOLA])
def test_no_target_wins_over_no_data_and_no_data_is_not_measured(rule):
    assert rule.assess(None, None, HIGHER).status is Status.NO_TARGET
    assert rule.assess(50.0, None, HIGHER).status is Status.NO_TARGET
    assert rule.assess(None, 60.0, HIGHER).status is Status.NOT_MEASURED
    assert rule.assess(math.nan, 60.0, HIGHER).status is Status.NOT_MEASURED


def test_zero_days_meets_a_lower_is_better_target_with_an_undefined_ratio_unless_capped():
    assert CITYSCORE.assess(0.0, 5.0, LOWER).status is Status.ON_TARGET
    assert CITYSCORE.assess(0.0, 5.0, LOWER).ratio is None
    assert ratio_to_target(1.0, 5.0, LOWER, cap=1.5) == 1.5


def test_a_zero_target_leaves_no_near_band():
    assert LOUIESTAT.assess(0.0, 0.0, LOWER).status is Status.ON_TARGET
    assert LOUIESTAT.assess(0.1, 0.0, LOWER).status is Status.NEEDS_IMPROVEMENT


def test_colours_follow_louiestat():
    assert [s.colour for s in Status] == ["green", "yellow", "red", "grey", "grey"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"name": "louiestat"}, "needs a band between 0 and 1"),
        ({"name": "resultsnola", "band": 1.5}, "needs a band between 0 and 1"),
        ({"name": "cityscore", "band": 0.1}, "has no band"),
        ({"name": "louiestat", "band": 0.1, "cap": 2.0}, "cityscore rule only"),
        ({"name": "cityscore", "cap": 0.5}, "at least 1"),
    ],
)
def test_rule_parameters_are_checked(kwargs, message):
    with pytest.raises(ValueError, match=message):
        StatusRule(**kwargs)


positive = st.floats(min_value=1e-3, max_value=1e6, allow_nan=False)


@given(positive, positive, positive)
def test_ratio_is_monotone_in_value(a, b, target):
    low, high = sorted((a, b))
    assert ratio_to_target(low, target, HIGHER) <= ratio_to_target(high, target, HIGHER)
    assert ratio_to_target(low, target, LOWER) >= ratio_to_target(high, target, LOWER)


@given(positive, positive)
def test_inversion_is_symmetric(value, target):
    assert ratio_to_target(value, target, LOWER) == pytest.approx(1 / ratio_to_target(value, target, HIGHER))
    assert ratio_to_target(value, target, LOWER) == pytest.approx(ratio_to_target(target, value, HIGHER))


@given(positive, positive, st.floats(min_value=1, max_value=10))
def test_a_cap_bounds_the_ratio_and_never_changes_the_status(value, target, cap):
    capped = StatusRule(RuleName.CITYSCORE, cap=cap).assess(value, target, HIGHER)
    assert capped.ratio <= cap
    assert capped.status is CITYSCORE.assess(value, target, HIGHER).status


@given(positive, positive, positive, st.sampled_from([LOUIESTAT, NOLA]), st.sampled_from(list(Direction)))
def test_band_status_never_gets_worse_as_the_value_improves(a, b, target, rule, direction):
    worse, better = sorted((a, b), reverse=direction is LOWER)
    order = [Status.NEEDS_IMPROVEMENT, Status.NEAR_TARGET, Status.ON_TARGET]
    before = order.index(rule.assess(worse, target, direction).status)
    assert order.index(rule.assess(better, target, direction).status) >= before
