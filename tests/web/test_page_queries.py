"""Queries per warm staff page, bounded so that a regression fails: the survey section, the wave
dashboard and the results page, each asked for twice (the second answer is the measured one).
A user's roles are read once per request (``accounts.role_memo``), however many checks a page makes."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import Client, TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from civicmeter.testing import login, make_world
from civicmeter.web.accounts.models import Role
from civicmeter.web.accounts.permissions import SYSTEM, Action, user_has_permission
from civicmeter.web.collection.models import Response
from civicmeter.web.results import services as results_services

#: Warm queries per page, counted when the roles memo came in (before it: 5 survey, 11 dashboard,
#: 9 results), then on the dashboard 10 -> 9 when its undelivered-mail block became one query and
#: 9 -> 7 when its rows' fingerprint became one; on the results page 8 -> 5 when its runs, pending
#: rescoring and cities became one fingerprint. Lower them when a change saves a query; never raise
#: them without a reason.
SURVEY_QUERIES = 5
DASHBOARD_QUERIES = 7
RESULTS_QUERIES = 5


class WarmPageQueryTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = w = make_world()
        cls.response = Response.objects.create(wave=w.wave, city=w.city_a)
        Response.objects.create(wave=w.wave, city=w.city_b, status=Response.Status.SUBMITTED)

    def warm_queries(self, user, url) -> int:
        client = Client()
        login(client, user)
        self.assertEqual(client.get(url).status_code, 200)
        with CaptureQueriesContext(connection) as queries:
            self.assertEqual(client.get(url).status_code, 200)
        return len(queries)

    def test_survey_section(self):
        url = reverse("collection:survey", args=[self.response.pk]) + "?section=s1"
        self.assertLessEqual(self.warm_queries(self.world.respondent_a, url), SURVEY_QUERIES)

    def test_dashboard(self):
        url = reverse("collection:dashboard", args=[self.world.programme.slug, self.world.wave.code])
        self.assertLessEqual(self.warm_queries(self.world.admin, url), DASHBOARD_QUERIES)

    def test_results(self):
        results_services.scores_compute(actor=SYSTEM, wave=self.world.wave)
        url = reverse("results:wave", args=[self.world.programme.slug, self.world.wave.code])
        self.assertLessEqual(self.warm_queries(self.world.admin, url), RESULTS_QUERIES)


class RolesReadOncePerRequestTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = make_world()

    def test_one_roles_query_for_many_checks(self):
        admin, programme = self.world.admin, self.world.programme
        with CaptureQueriesContext(connection) as queries:
            for action in Action:
                user_has_permission(admin, action, programme=programme, city=self.world.city_a)
        self.assertEqual(len(queries), 1)

    def test_the_answers_are_those_of_the_policy(self):
        w = self.world
        check = user_has_permission
        self.assertTrue(check(w.admin, Action.MANAGE_WAVE, programme=w.programme))
        self.assertFalse(check(w.reviewer, Action.MANAGE_WAVE, programme=w.programme))
        self.assertTrue(check(w.respondent_a, Action.EDIT_RESPONSE, programme=w.programme, city=w.city_a))
        self.assertFalse(check(w.respondent_a, Action.EDIT_RESPONSE, programme=w.programme, city=w.city_b))
        self.assertFalse(check(w.respondent_a, Action.EDIT_RESPONSE, programme=w.programme))
        self.assertFalse(check(w.respondent_a, Action.VIEW_WAVE, programme=w.programme))

    def test_a_role_granted_or_withdrawn_is_seen_by_the_same_user_object(self):
        w = self.world
        self.assertFalse(user_has_permission(w.reviewer, Action.MANAGE_WAVE, programme=w.programme))
        role = Role.objects.create(user=w.reviewer, programme=w.programme, kind=Role.Kind.ADMIN)
        self.assertTrue(user_has_permission(w.reviewer, Action.MANAGE_WAVE, programme=w.programme))
        role.delete()
        self.assertFalse(user_has_permission(w.reviewer, Action.MANAGE_WAVE, programme=w.programme))

    def test_a_role_changed_elsewhere_is_seen_on_the_next_request(self):
        w = self.world
        url = reverse("collection:dashboard", args=[w.programme.slug, w.wave.code])
        login(self.client, w.respondent_a)
        self.assertEqual(self.client.get(url).status_code, 404)
        # Another process grants the role: no signal here, only the next request's user object.
        Role.objects.bulk_create([Role(user=w.respondent_a, programme=w.programme, kind=Role.Kind.REVIEWER)])
        self.assertEqual(self.client.get(url).status_code, 200)
        Role.objects.filter(user=w.respondent_a, kind=Role.Kind.REVIEWER).delete()
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_the_system_actor_and_anonymous_users_need_no_query(self):
        with CaptureQueriesContext(connection) as queries:
            self.assertTrue(user_has_permission(SYSTEM, Action.MANAGE_WAVE, programme=self.world.programme))
            self.assertFalse(
                user_has_permission(AnonymousUser(), Action.VIEW_WAVE, programme=self.world.programme)
            )
        self.assertEqual(len(queries), 0)
