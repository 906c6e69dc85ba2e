"""The city team page: who sees it (others get 404), its panels, and the links that lead to it."""

from __future__ import annotations

from django.test import TestCase
from django.urls import reverse

from civicmeter.testing import PSI_MIXED_ANSWERS, complete_answers, login, make_city, make_world
from civicmeter.web.accounts.permissions import SYSTEM
from civicmeter.web.cityhome import panels
from civicmeter.web.collection.models import Answer, Response
from civicmeter.web.programmes.instrument_cache import instrument_for
from civicmeter.web.results import services as results_services


class CityPagePermissionsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = make_world()
        cls.url = reverse("cityhome:page", args=[cls.world.programme.slug, cls.world.city_a.slug])

    def status(self, user) -> int:
        self.client.logout()
        if user is not None:
            login(self.client, user)
        return self.client.get(self.url).status_code

    def test_staff_and_the_city_s_own_team_see_it(self):
        w = self.world
        for user in (w.admin, w.reviewer, w.respondent_a):
            with self.subTest(user=user.username):
                self.assertEqual(self.status(user), 200)

    def test_another_city_and_outsiders_get_404(self):
        w = self.world
        for user in (w.respondent_b, w.outsider):
            with self.subTest(user=user.username):
                self.assertEqual(self.status(user), 404)

    def test_anonymous_is_sent_to_sign_in(self):
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("accounts:login"), response["Location"])

    def test_a_city_outside_the_programme_is_404_even_for_admins(self):
        other = make_city("Lima", "PE")
        login(self.client, self.world.admin)
        url = reverse("cityhome:page", args=[self.world.programme.slug, other.slug])
        self.assertEqual(self.client.get(url).status_code, 404)
        url = reverse("cityhome:page", args=["no-such-programme", self.world.city_a.slug])
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_the_respondent_s_home_page_links_to_it(self):
        login(self.client, self.world.respondent_a)
        self.assertContains(self.client.get(reverse("accounts:home")), f'href="{self.url}"')


class PanelsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = make_world()
        w = cls.world
        instrument = instrument_for(w.wave.instrument)
        for city in (w.city_a, w.city_b):
            response = Response.objects.create(wave=w.wave, city=city, status=Response.Status.SUBMITTED)
            answers = complete_answers(instrument, PSI_MIXED_ANSWERS)
            Answer.objects.bulk_create(
                [Answer(response=response, question=q, value=v) for q, v in answers.items()]
            )
        results_services.scores_compute(actor=SYSTEM, wave=w.wave)
        cls.url = reverse("cityhome:page", args=[w.programme.slug, w.city_a.slug])

    def test_panels_render_in_order_and_none_hides_one(self):
        empty = {"scores": []}
        panels.register(panels.Panel("zz-last", 99, "cityhome/_scores_panel.html", lambda *a: empty))
        panels.register(panels.Panel("aa-first", 1, "cityhome/_scores_panel.html", lambda *a: empty))
        panels.register(panels.Panel("hidden", 5, "cityhome/_scores_panel.html", lambda *a: None))
        try:
            login(self.client, self.world.respondent_a)
            html = self.client.get(self.url).content.decode()
        finally:
            for key in ("zz-last", "aa-first", "hidden"):
                panels._PANELS.pop(key)
        self.assertNotIn('id="panel-hidden"', html)
        order = [html.index(f'id="panel-{key}"') for key in ("aa-first", "scores", "zz-last")]
        self.assertEqual(order, sorted(order))

    def test_score_panel_shows_the_index_and_links_to_the_explanation(self):
        w = self.world
        explain = reverse("cityhome:explain", args=[w.programme.slug, w.city_a.slug, w.wave.code])
        results = reverse("results:wave", args=[w.programme.slug, w.wave.code])
        login(self.client, w.admin)
        page = self.client.get(self.url)
        self.assertContains(page, 'id="panel-scores"')
        self.assertContains(page, "Index 3.5")
        self.assertContains(page, f'href="{explain}"')
        self.assertContains(page, f'href="{results}"')
        self.client.logout()
        login(self.client, w.respondent_a)
        page = self.client.get(self.url)
        self.assertContains(page, "Index 3.5")
        self.assertContains(page, f'href="{explain}"')
        self.assertNotContains(page, f'href="{results}"')  # the results table is for staff
        page = self.client.get(explain)
        self.assertContains(page, "Why Baltimore scored this")
        self.assertContains(page, "3.5")
        self.client.logout()
        login(self.client, w.respondent_b)
        self.assertEqual(self.client.get(explain).status_code, 404)

    def test_the_staff_dashboard_rows_link_to_each_city_s_page(self):
        login(self.client, self.world.admin)
        page = self.client.get(
            reverse("collection:dashboard", args=[self.world.programme.slug, self.world.wave.code])
        )
        self.assertContains(page, f'href="{self.url}"')
