"""Periods as people write them, and the city score per window."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from civicmeter.performance import (
    Direction,
    Frequency,
    Indicator,
    Observation,
    city_score,
    historical_target,
    parse_period,
    period_containing,
)


@pytest.mark.parametrize(
    ("text", "frequency", "start", "label"),
    [
        ("2024-03-15", "day", date(2024, 3, 15), "2024-03-15"),
        ("2024-W11", "week", date(2024, 3, 11), "2024-W11"),
        ("2024-03-13", "week", date(2024, 3, 11), "2024-W11"),
        ("2024-03", "month", date(2024, 3, 1), "2024-03"),
        ("2024-Q2", "quarter", date(2024, 4, 1), "2024-Q2"),
        ("2024-05-20", "quarter", date(2024, 4, 1), "2024-Q2"),
        ("2024", "year", date(2024, 1, 1), "2024"),
    ],
)
def test_periods_read_their_own_form_and_any_date(text, frequency, start, label):
    period = parse_period(text, frequency)
    assert (period.start, period.label) == (start, label)


@pytest.mark.parametrize(
    ("text", "frequency"), [("2024-13", "month"), ("2024-Q5", "quarter"), ("2024-03", "week")]
)
def test_a_wrong_period_names_the_form_to_use(text, frequency):
    with pytest.raises(ValueError, match="write it as"):
        parse_period(text, frequency)


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31)), st.sampled_from(list(Frequency)))
def test_a_period_holds_its_day_and_its_label_reads_back(day, frequency):
    period = period_containing(day, frequency)
    assert period.start <= day <= period.end
    assert parse_period(period.label, frequency) == period


POTHOLES = Indicator(
    "pothole-days", "Days to repair a pothole", "days", Direction.LOWER, Frequency.MONTH, 6, 5
)
ON_TIME = Indicator("311-on-time", "311 cases closed on time", "%", Direction.HIGHER, Frequency.MONTH, 80, 90)
TREES = Indicator("trees", "Trees planted", "trees", Direction.HIGHER, Frequency.MONTH)
DAILY = Indicator("calls", "Calls answered", "%", Direction.HIGHER, Frequency.DAY, None, 95)


def obs(code, day, value):
    return Observation(code, day, value)


def test_city_score_is_the_mean_of_ratios_per_window_and_lists_what_is_left_out():
    observations = [
        obs("pothole-days", date(2024, 1, 1), 4.0),  # 5/4 = 1.25
        obs("311-on-time", date(2024, 1, 1), 81.0),  # 81/90 = 0.9
        obs("trees", date(2024, 1, 1), 30.0),  # no target
        obs("pothole-days", date(2024, 2, 1), 0.0),  # undefined
        obs("311-on-time", date(2024, 2, 1), 90.0),
    ]
    scores = city_score([POTHOLES, ON_TIME, TREES], observations, "month")
    january, february = scores
    assert january.score == pytest.approx((1.25 + 0.9) / 2)
    assert january.n == 2 and set(january.left_out) == {"trees"}
    assert february.score == 1.0 and "pothole-days" in february.left_out


def test_a_quarter_averages_each_metric_first_and_shorter_windows_skip_longer_periods():
    observations = [obs("311-on-time", date(2024, m, 1), v) for m, v in ((1, 81.0), (2, 90.0), (3, 99.0))]
    observations.append(obs("calls", date(2024, 1, 3), 95.0))
    (quarter,) = city_score([ON_TIME, DAILY], observations, "quarter")
    assert quarter.ratios["311-on-time"] == pytest.approx(1.0)
    days = city_score([ON_TIME, DAILY], observations, "day")
    assert [d.window.label for d in days] == ["2024-01-03"] and set(days[0].ratios) == {"calls"}


def test_a_cap_limits_each_ratio_in_the_score():
    (month,) = city_score([POTHOLES], [obs("pothole-days", date(2024, 1, 1), 1.0)], "month", cap=1.5)
    assert month.score == 1.5


def test_historical_target_is_one_standard_deviation_towards_worse():
    assert historical_target([10.0, 20.0, 30.0], Direction.HIGHER) == pytest.approx(10.0)
    assert historical_target([10.0, 20.0, 30.0], Direction.LOWER) == pytest.approx(30.0)
    assert historical_target([10.0], Direction.HIGHER) is None
