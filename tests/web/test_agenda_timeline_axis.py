"""The timeline's axis labels are thinned by the span it covers, so they never overlap: months,
then quarters, then years (every n-th year for very long agendas)."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from civicmeter.web.agenda.selectors import MAX_TICKS, axis_ticks


def labels(first, last):
    return [label for _, label in axis_ticks(first, last)]


def test_a_short_agenda_labels_every_month():
    assert labels(date(2026, 1, 15), date(2026, 6, 2)) == "2026-02 2026-03 2026-04 2026-05 2026-06".split()


def test_a_two_year_agenda_labels_quarters():
    assert labels(date(2025, 11, 1), date(2027, 8, 1)) == (
        "2026-01 2026-04 2026-07 2026-10 2027-01 2027-04 2027-07".split()
    )


def test_an_agenda_from_2019_to_2027_labels_years():
    assert labels(date(2019, 3, 4), date(2027, 6, 30)) == [str(y) for y in range(2020, 2028)]


def test_a_very_long_agenda_labels_every_other_year():
    got = labels(date(2000, 1, 1), date(2030, 1, 1))
    assert got[:3] == ["2000", "2002", "2004"] and len(got) <= MAX_TICKS


@given(st.dates(date(1990, 1, 1), date(2100, 1, 1)), st.integers(1, 60 * 365))
def test_labels_never_crowd_and_stay_inside_the_axis_in_order(first, days):
    last = date.fromordinal(min(first.toordinal() + days, date(2150, 1, 1).toordinal()))
    ticks = axis_ticks(first, last)
    assert len(ticks) <= MAX_TICKS + 2
    assert all(first <= day < last for day, _ in ticks)
    assert [day for day, _ in ticks] == sorted({day for day, _ in ticks})
