"""Progress across waves: changes per component, the rank verdict against the intervals, actions between."""

from __future__ import annotations

from datetime import date

import pytest

from civicmeter.performance import ActionDone, Caveat, ComponentScore, Verdict, WaveScore, wave_progress


def score(wave, index, points, p5, p95, *, ranked=150, recipe="1.0", closes=None):
    components = tuple(ComponentScore(f"C{i}", f"Component {i}", p, 2.0) for i, p in enumerate(points, 1))
    return WaveScore(wave, index, components, round((p5 + p95) / 2), p5, p95, ranked, recipe, closes)


BEFORE = score("2018", 4.0, (1.0, 0.5, 1.0, 0.5, 1.0), 40, 70, closes=date(2018, 9, 30))


def test_overlapping_intervals_are_within_the_uncertainty_and_touching_counts_as_overlap():
    after = score("2020", 5.0, (1.5, 0.5, 1.0, 1.0, 1.0), 20, 40, closes=date(2020, 9, 30))
    progress = wave_progress(BEFORE, after, [])
    assert progress.verdict is Verdict.WITHIN
    assert progress.index_change == pytest.approx(1.0)
    assert [c.change for c in progress.components] == [0.5, 0.0, 0.0, 0.5, 0.0]


def test_separate_intervals_say_better_or_worse():
    assert wave_progress(BEFORE, score("2020", 6, (1,) * 5, 10, 39), []).verdict is Verdict.BETTER
    assert wave_progress(BEFORE, score("2020", 2, (1,) * 5, 71, 90), []).verdict is Verdict.WORSE


def test_actions_done_between_the_waves_only_oldest_first():
    after = score("2020", 5.0, (1,) * 5, 30, 50, closes=date(2020, 9, 30))
    actions = [
        ActionDone("Open data portal", date(2019, 5, 1)),
        ActionDone("Before the first wave closed", date(2018, 9, 30)),
        ActionDone("Data strategy", date(2019, 1, 10)),
        ActionDone("After the second wave", date(2021, 1, 1)),
    ]
    done = wave_progress(BEFORE, after, actions).actions
    assert [a.title for a in done] == ["Data strategy", "Open data portal"]


def test_caveats_name_a_new_recipe_and_another_set_of_cities():
    after = score("2020", 5.0, (1,) * 5, 30, 50, ranked=148, recipe="1.1")
    assert wave_progress(BEFORE, after, []).caveats == (Caveat.RECIPE_CHANGED, Caveat.OTHER_CITIES)


def test_a_component_only_one_wave_has_is_kept_with_no_change():
    after = WaveScore("2020", 4.0, BEFORE.components[:4], 50, 40, 70, 150, "1.0")
    last = wave_progress(BEFORE, after, []).components[-1]
    assert (last.code, last.before, last.after, last.change) == ("C5", 1.0, None, None)


def test_the_window_ends_when_the_later_answers_were_submitted_not_when_an_open_wave_closes():
    after = WaveScore(
        "2020", 5.0, BEFORE.components, 40, 30, 50, 150, "1.0", date(2030, 12, 31), date(2020, 6, 1)
    )
    assert after.fixed_on == date(2020, 6, 1)
    actions = [ActionDone("In time", date(2020, 6, 1)), ActionDone("Done today", date(2026, 12, 1))]
    assert [a.title for a in wave_progress(BEFORE, after, actions).actions] == ["In time"]


def test_a_close_before_the_submission_is_the_bound_and_no_date_means_no_bound():
    late = WaveScore(
        "2020", 5.0, BEFORE.components, 40, 30, 50, 150, "1.0", date(2020, 9, 30), date(2020, 10, 5)
    )
    assert late.fixed_on == date(2020, 9, 30)
    assert WaveScore("2020", 5.0, (), 40, 30, 50, 150, "1.0").fixed_on is None
