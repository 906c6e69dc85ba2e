"""Whole pages answered from memory (``collection.fragment_cache.PageCache``) are never stale and
never someone else's: the survey, the wave dashboard and the results page, each asked for twice
(the second answer comes from the cache: no template is drawn) around a change."""

from __future__ import annotations

import re
from unittest import mock

from django.middleware.csrf import _unmask_cipher_token
from django.test import Client, TestCase
from django.urls import reverse
from django.utils import timezone

from civicmeter.testing import PASSWORD, PSI_FULL_ANSWERS, complete_answers, login, make_city, make_world
from civicmeter.web.accounts import views as accounts_views
from civicmeter.web.accounts.permissions import SYSTEM
from civicmeter.web.collection import services
from civicmeter.web.collection.models import Answer, Response
from civicmeter.web.collection.views import dashboard, survey
from civicmeter.web.programmes.instrument_cache import instrument_for
from civicmeter.web.programmes.models import City, Invitation, Wave
from civicmeter.web.results import services as results_services
from civicmeter.web.results import views as results_views


def csrf_tokens(page) -> set[str]:
    html = page.content.decode()
    return set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)) | set(
        re.findall(r'"X-CSRFToken": "([^"]+)"', html)
    )


def assert_carries_own_csrf_token(page, client) -> None:
    """Every token in a page answered from a cache is this client's (its cookie's secret), and no
    placeholder is left: a kept page never hands one visitor's token to another."""
    tokens = csrf_tokens(page)
    assert tokens
    assert {_unmask_cipher_token(t) for t in tokens} == {client.cookies["csrftoken"].value}
    assert "csrf-placeholder" not in page.content.decode()


class PageCacheTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = w = make_world()
        cls.response_a = Response.objects.create(wave=w.wave, city=w.city_a)
        cls.response_b = Response.objects.create(wave=w.wave, city=w.city_b)
        cls.dashboard = reverse("collection:dashboard", args=[w.programme.slug, w.wave.code])
        cls.results = reverse("results:wave", args=[w.programme.slug, w.wave.code])

    def setUp(self):
        # Tests reuse ids and names after each rollback, so a page kept by an earlier test can be
        # exactly this test's page; start each test with empty caches to see every draw.
        for pages in (survey.PAGES, dashboard.PAGES, results_views.PAGES, accounts_views._SIGN_IN_PAGES):
            pages.clear()

    def as_user(self, user) -> Client:
        client = Client()
        login(client, user)
        return client

    PAGE_TEMPLATES = {
        "collection/survey.html",
        "collection/dashboard.html",
        "results/wave.html",
        "accounts/login.html",
    }

    def drawn(self, page) -> set[str]:
        self.assertEqual(page.status_code, 200)
        return {t.name for t in page.templates} & self.PAGE_TEMPLATES

    def assertFromCache(self, page):
        self.assertEqual(self.drawn(page), set(), "answered from the page cache, the page not drawn")

    def assertDrawn(self, page):
        self.assertTrue(self.drawn(page), "drawn afresh")


class SurveyPageTests(PageCacheTestCase):
    def url(self, response, section="s1"):
        return reverse("collection:survey", args=[response.pk]) + f"?section={section}"

    def test_a_saved_answer_shows_on_the_next_load(self):
        client = self.as_user(self.world.respondent_a)
        self.assertDrawn(client.get(self.url(self.response_a)))
        self.assertFromCache(client.get(self.url(self.response_a)))
        services.answer_save(
            actor=self.world.respondent_a, response=self.response_a, question="s1_strategy",
            raw_value="yes", expected_version=0,
        )  # fmt: skip
        page = client.get(self.url(self.response_a))
        self.assertDrawn(page)
        self.assertRegex(page.content.decode(), r'name="s1_strategy" value="yes"[^>]*checked')

    def test_a_change_behind_the_services_back_shows_too(self):
        """The key holds every stored answer, not just the response's version."""
        client = self.as_user(self.world.respondent_a)
        client.get(self.url(self.response_a))
        Answer.objects.create(response=self.response_a, question="s1_strategy", value="yes")
        self.assertDrawn(client.get(self.url(self.response_a)))

    def test_a_respondent_never_gets_another_citys_page(self):
        a, b = self.as_user(self.world.respondent_a), self.as_user(self.world.respondent_b)
        a.get(self.url(self.response_a))
        self.assertEqual(b.get(self.url(self.response_a)).status_code, 404)
        own = b.get(self.url(self.response_b))
        self.assertDrawn(own)
        self.assertIn("Bilbao", own.content.decode())
        self.assertNotIn("Baltimore", own.content.decode())

    def test_staff_and_respondent_get_their_own_page_of_one_response(self):
        respondent, reviewer = self.as_user(self.world.respondent_a), self.as_user(self.world.reviewer)
        respondent.get(self.url(self.response_a))
        page = reviewer.get(self.url(self.response_a))
        self.assertDrawn(page)
        self.assertIn("read-only", page.content.decode())
        self.assertIn("Sign out reviewer", page.content.decode())

    def test_a_cached_page_carries_the_csrf_token_of_whoever_asks(self):
        first, second = Client(), Client()  # two sessions of the same person
        login(first, self.world.respondent_a)
        login(second, self.world.respondent_a)
        first.get(self.url(self.response_a))
        page = second.get(self.url(self.response_a))
        self.assertFromCache(page)
        assert_carries_own_csrf_token(page, second)

    def test_a_wave_closed_makes_the_page_read_only_at_once(self):
        client = self.as_user(self.world.respondent_a)
        client.get(self.url(self.response_a))
        Wave.objects.filter(pk=self.world.wave.pk).update(status=Wave.Status.CLOSED)
        page = client.get(self.url(self.response_a))
        self.assertDrawn(page)
        self.assertIn("not open", page.content.decode())


class SignInPageTests(PageCacheTestCase):
    url = reverse("accounts:login")

    def test_a_kept_sign_in_form_carries_each_visitors_token_and_signs_in(self):
        Client().get(self.url)
        visitor = Client(enforce_csrf_checks=True)
        page = visitor.get(self.url)
        self.assertFromCache(page)
        assert_carries_own_csrf_token(page, visitor)
        tokens = csrf_tokens(page)
        form = {"username": self.world.admin.username, "password": PASSWORD}
        self.assertEqual(visitor.post(self.url, form).status_code, 403)  # no token: refused as before
        signed_in = visitor.post(self.url, form | {"csrfmiddlewaretoken": tokens.pop()})
        self.assertEqual(signed_in.status_code, 302)

    def test_each_next_address_has_its_own_form(self):
        for target in ("/accounts/", "/p/elsewhere/"):
            page = Client().get(self.url, {"next": target})
            self.assertIn(f'name="next" value="{target}"', page.content.decode())


class DashboardPageTests(PageCacheTestCase):
    def test_a_changed_answer_and_status_show_on_the_dashboard(self):
        client = self.as_user(self.world.admin)
        before = client.get(self.dashboard)
        self.assertDrawn(before)
        self.assertFromCache(client.get(self.dashboard))
        services.answer_save(
            actor=SYSTEM, response=self.response_a, question="s1_goals", raw_value="yes",
            expected_version=0,
        )  # fmt: skip
        after = client.get(self.dashboard)
        self.assertDrawn(after)
        self.assertNotEqual(
            re.findall(r"</progress> (\d+)%", before.content.decode()),
            re.findall(r"</progress> (\d+)%", after.content.decode()),
        )
        instrument = instrument_for(self.world.wave.instrument)
        for question, value in complete_answers(instrument, PSI_FULL_ANSWERS).items():
            Answer.objects.create(response=self.response_b, question=question, value=value)
        services.response_submit(actor=self.world.respondent_b, response=self.response_b)
        self.assertIn('badge submitted">Submitted', client.get(self.dashboard).content.decode())

    def test_an_invitation_and_a_renamed_city_show(self):
        client = self.as_user(self.world.admin)
        client.get(self.dashboard)
        athens = make_city("Athens", "GR")
        Invitation.objects.create(
            wave=self.world.wave, city=athens, email="a@example.org", token="t-athens", sent_at=timezone.now()
        )
        self.assertIn("a@example.org", client.get(self.dashboard).content.decode())
        City.objects.filter(pk=self.world.city_a.pk).update(name="Baltimore City")
        self.assertIn("Baltimore City", client.get(self.dashboard).content.decode())

    def test_a_reviewer_never_gets_the_admins_page(self):
        admin, reviewer = self.as_user(self.world.admin), self.as_user(self.world.reviewer)
        self.assertIn("Send invitation", admin.get(self.dashboard).content.decode())
        page = reviewer.get(self.dashboard)
        self.assertDrawn(page)
        self.assertNotIn("Send invitation", page.content.decode())
        self.assertIn("Sign out reviewer", page.content.decode())

    def test_a_message_after_an_action_is_shown_not_a_cached_page(self):
        client = self.as_user(self.world.admin)
        client.get(self.dashboard)
        http = client.post(
            reverse("collection:wave_status", args=[self.world.programme.slug, self.world.wave.code]),
            {"status": Wave.Status.CLOSED},
            follow=True,
        )
        self.assertIn("The wave is now closed.", http.content.decode())
        self.assertDrawn(client.get(self.dashboard))  # the page with the message was not kept
        self.assertFromCache(client.get(self.dashboard))

    def test_an_outsider_gets_404_whatever_is_cached(self):
        self.as_user(self.world.admin).get(self.dashboard)
        self.assertEqual(self.as_user(self.world.outsider).get(self.dashboard).status_code, 404)
        self.assertEqual(self.as_user(self.world.respondent_a).get(self.dashboard).status_code, 404)


class ResultsPageTests(PageCacheTestCase):
    def test_a_new_run_shows_at_once(self):
        for response in (self.response_a, self.response_b):
            for question, value in PSI_FULL_ANSWERS.items():
                Answer.objects.create(response=response, question=question, value=value)
        Response.objects.filter(pk=self.response_a.pk).update(status=Response.Status.SUBMITTED)
        client = self.as_user(self.world.admin)
        self.assertIn("No scores yet", client.get(self.results).content.decode())
        self.assertFromCache(client.get(self.results))
        results_services.scores_compute(actor=self.world.admin, wave=self.world.wave)
        page = client.get(self.results)
        self.assertDrawn(page)
        self.assertIn("n = 1 cities", page.content.decode())
        Response.objects.filter(pk=self.response_b.pk).update(status=Response.Status.VALIDATED)
        results_services.scores_compute(actor=self.world.admin, wave=self.world.wave)
        self.assertIn("n = 2 cities", client.get(self.results).content.decode())


class WorkerStartTests(PageCacheTestCase):
    def test_each_server_process_parses_the_waves_instruments_before_its_first_request(self):
        from civicmeter.cli._gunicorn_conf import post_worker_init
        from civicmeter.web.programmes import instrument_cache

        instrument_cache._parsed.clear()
        with (
            mock.patch("django.db.connections.close_all"),  # the test's connection holds its transaction
            mock.patch("civicmeter.cli._gunicorn_conf.collect_less") as collect_less,  # gc left alone
        ):
            post_worker_init(worker=None)
        collect_less.assert_called_once_with()
        self.assertIn(self.world.wave.instrument.sha256, instrument_cache._parsed)


def test_a_server_process_collects_less_after_start_up():
    import gc

    from civicmeter.cli._gunicorn_conf import YOUNG_COLLECTION_EVERY, collect_less

    threshold = gc.get_threshold()
    try:
        collect_less()
        assert gc.get_threshold() == (YOUNG_COLLECTION_EVERY, *threshold[1:])
        assert gc.get_freeze_count() > 0  # what start-up built is never scanned again
    finally:
        gc.unfreeze()
        gc.set_threshold(*threshold)
