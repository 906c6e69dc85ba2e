"""Panel 70, progress across waves: a city's change from one scored survey wave to the next, read
against both waves' rank intervals, or the reason it cannot be shown yet."""

from __future__ import annotations

from datetime import UTC, date, datetime

from django.test import TestCase
from django.urls import reverse

from civicmeter.testing import (
    PSI_FULL_ANSWERS,
    PSI_MIXED_ANSWERS,
    complete_answers,
    login,
    make_city,
    make_world,
)
from civicmeter.web.accounts.permissions import SYSTEM
from civicmeter.web.agenda import services as agenda
from civicmeter.web.collection.models import Answer, Response
from civicmeter.web.goals.progress import city_progress
from civicmeter.web.programmes.instrument_cache import instrument_for
from civicmeter.web.programmes.models import Wave
from civicmeter.web.results import services as results_services


def answer(wave, city, answers):
    response = Response.objects.create(wave=wave, city=city, status=Response.Status.SUBMITTED)
    full = complete_answers(instrument_for(wave.instrument), answers)
    Answer.objects.bulk_create([Answer(response=response, question=q, value=v) for q, v in full.items()])


class ProgressPanelTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = make_world()
        w = cls.world
        cls.first = Wave.objects.create(
            programme=w.programme,
            code="2018",
            instrument=w.wave.instrument,
            status="closed",
            closes_on=date(2018, 9, 30),
        )
        third = make_city("Athens", "GR")
        for wave, a_answers in ((cls.first, PSI_MIXED_ANSWERS), (w.wave, PSI_FULL_ANSWERS)):
            answer(wave, w.city_a, a_answers)
            answer(wave, w.city_b, {**PSI_MIXED_ANSWERS, "s1_strategy": "yes"})
            answer(wave, third, {**PSI_MIXED_ANSWERS, "s4_open_data": "yes"})
        cls.url = reverse("cityhome:page", args=[w.programme.slug, w.city_a.slug])

    def test_one_scored_wave_says_what_is_missing(self):
        results_services.scores_compute(actor=SYSTEM, wave=self.first)
        login(self.client, self.world.respondent_a)
        response = self.client.get(self.url)
        self.assertContains(response, 'id="panel-progress"')
        self.assertContains(response, "The city has a score in wave 2018 only")

    def test_two_scored_waves_show_each_component_the_index_and_the_verdict_in_words(self):
        w = self.world
        for wave in (self.first, w.wave):
            results_services.scores_compute(actor=SYSTEM, wave=wave)
        progress, _waves = city_progress(w.programme, w.city_a)
        self.assertEqual((progress.before.wave, progress.after.wave), ("2018", "2020"))
        self.assertAlmostEqual(progress.index_change, 10 - 3.5)
        self.assertEqual(len(progress.components), 5)
        login(self.client, w.reviewer)
        html = self.client.get(self.url).content.decode()
        self.assertIn(
            "From the 2018 wave to the 2020 wave the index went from 3.5 to 10 (+6.5 points).", html
        )
        verdicts = {
            "within": "so the change in position is within the uncertainty",
            "better": "the city's position improved by more than the uncertainty",
            "worse": "the city's position fell by more than the uncertainty",
        }
        self.assertIn(verdicts[progress.verdict], html)
        self.assertIn("Points by component, 2018 and 2020", html)
        self.assertIn("No agenda action was marked done between the two waves.", html)

    def test_actions_marked_done_after_the_first_wave_are_listed_beside_the_change(self):
        w = self.world
        for wave in (self.first, w.wave):
            results_services.scores_compute(actor=SYSTEM, wave=wave)
        planned = agenda.action_create(
            actor=SYSTEM,
            programme=w.programme,
            city=w.city_a,
            spec=agenda.ActionSpec("Publish a data strategy"),
        )
        agenda.action_create(
            actor=SYSTEM, programme=w.programme, city=w.city_a, spec=agenda.ActionSpec("Hire a data officer")
        )
        agenda.action_update(
            actor=SYSTEM.as_of(datetime(2019, 5, 2, tzinfo=UTC)), action=planned, values={"status": "done"}
        )
        progress, _waves = city_progress(w.programme, w.city_a)
        self.assertEqual(
            [(a.title, a.done_on) for a in progress.actions], [("Publish a data strategy", date(2019, 5, 2))]
        )
        login(self.client, w.respondent_a)
        self.assertContains(self.client.get(self.url), "Publish a data strategy")

    def test_the_window_ends_when_the_later_answers_were_submitted_even_if_the_wave_is_still_open(self):
        w = self.world
        Wave.objects.filter(pk=w.wave.pk).update(closes_on=date(2030, 12, 31))
        for wave, day in (
            (self.first, datetime(2018, 6, 1, tzinfo=UTC)),
            (w.wave, datetime(2020, 5, 1, tzinfo=UTC)),
        ):
            Response.objects.filter(wave=wave, city=w.city_a).update(submitted_at=day)
        for wave in (self.first, w.wave):
            results_services.scores_compute(actor=SYSTEM, wave=wave)
        for title, day in (("Open data portal", datetime(2019, 5, 2, tzinfo=UTC)), ("Done today", None)):
            action = agenda.action_create(
                actor=SYSTEM, programme=w.programme, city=w.city_a, spec=agenda.ActionSpec(title)
            )
            agenda.action_update(
                actor=SYSTEM.as_of(day) if day else SYSTEM, action=action, values={"status": "done"}
            )
        progress, _waves = city_progress(w.programme, w.city_a)
        self.assertEqual([a.title for a in progress.actions], ["Open data portal"])
        login(self.client, w.respondent_a)
        html = self.client.get(self.url).content.decode()
        self.assertIn(
            "Actions done between the 2018 answers (2018-06-01) and the 2020 answers (2020-05-01)", html
        )
        self.assertNotIn("Done today", html)
