"""A recommendation the city already put on its agenda says so on the team page, with a link to the
action, instead of offering to add it again; the others keep their "Add to the agenda" button."""

from __future__ import annotations

from django.test import TestCase
from django.urls import reverse

from civicmeter.testing import PSI_FULL_ANSWERS, PSI_MIXED_ANSWERS, complete_answers, login, make_world
from civicmeter.web.accounts.permissions import SYSTEM
from civicmeter.web.agenda import services as agenda
from civicmeter.web.agenda.models import Source
from civicmeter.web.agenda.selectors import by_recommendation
from civicmeter.web.collection.models import Answer, Response
from civicmeter.web.programmes.instrument_cache import instrument_for
from civicmeter.web.results import services as results_services


def answer(wave, city, answers) -> None:
    response = Response.objects.create(wave=wave, city=city, status=Response.Status.SUBMITTED)
    complete = complete_answers(instrument_for(wave.instrument), answers)
    Answer.objects.bulk_create([Answer(response=response, question=q, value=v) for q, v in complete.items()])


class OnTheAgendaTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = make_world()
        answer(cls.w.wave, cls.w.city_a, PSI_MIXED_ANSWERS)
        answer(cls.w.wave, cls.w.city_b, PSI_FULL_ANSWERS)
        results_services.scores_compute(actor=SYSTEM, wave=cls.w.wave)
        cls.action = agenda.action_create(
            actor=SYSTEM,
            programme=cls.w.programme,
            city=cls.w.city_a,
            spec=agenda.ActionSpec(
                "Publish our strategy", source=Source.RECOMMENDATION, source_ref="3", source_wave="2020"
            ),
        )
        cls.url = reverse("cityhome:page", args=[cls.w.programme.slug, cls.w.city_a.slug])
        cls.add = reverse("agenda:add", args=[cls.w.programme.slug, cls.w.city_a.slug])
        cls.edit = reverse("agenda:edit", args=[cls.w.programme.slug, cls.w.city_a.slug, cls.action.pk])

    def test_a_planned_recommendation_links_to_its_action_and_the_others_keep_the_button(self):
        login(self.client, self.w.respondent_a)
        html = self.client.get(self.url).content.decode()
        self.assertIn(f'On the agenda: <a href="{self.edit}">Publish our strategy</a>', html)
        self.assertNotIn(f"{self.add}?recommendation=3&amp;", html)
        self.assertIn(f"{self.add}?recommendation=", html)  # the recommendations not yet planned

    def test_reviewers_see_it_is_on_the_agenda_without_any_button(self):
        login(self.client, self.w.reviewer)
        html = self.client.get(self.url).content.decode()
        self.assertIn("On the agenda:", html)
        self.assertNotIn(self.add, html)

    def test_only_the_citys_own_actions_from_a_recommendation_count(self):
        agenda.action_create(
            actor=SYSTEM,
            programme=self.w.programme,
            city=self.w.city_a,
            spec=agenda.ActionSpec("Our own idea"),
        )
        self.assertEqual(by_recommendation(self.w.programme, self.w.city_a), {3: self.action})
        self.assertEqual(by_recommendation(self.w.programme, self.w.city_b), {})
