"""Our own 403, 404 and 500 pages: the site's layout, translated, and nothing from the debug pages."""

from __future__ import annotations

import io
import logging

from django.test import RequestFactory, TestCase, override_settings
from django.urls import reverse
from django.views import defaults

from civicmeter.testing import login, make_world


@override_settings(DEBUG=False)
class ErrorPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = make_world()

    def test_404_uses_the_layout_and_lists_no_url_patterns(self):
        page = self.client.get("/no-such-page/")
        self.assertContains(page, "Page not found", status_code=404)
        self.assertContains(page, 'class="site-header"', status_code=404)
        self.assertNotContains(page, "URLconf", status_code=404)
        self.assertNotContains(page, "URL patterns", status_code=404)

    def test_404_and_403_are_translated(self):
        spanish = self.client.get("/no-such-page/", headers={"accept-language": "es"})
        self.assertContains(spanish, "Página no encontrada", status_code=404)
        login(self.client, self.world.reviewer)
        french = self.client.post(
            reverse("results:compute", args=[self.world.programme.slug, self.world.wave.code]),
            headers={"accept-language": "fr"},
        )
        self.assertContains(french, "Accès refusé", status_code=403)

    def test_500_page_renders_without_a_request_context_or_debug_details(self):
        response = defaults.server_error(RequestFactory().get("/"))
        self.assertEqual(response.status_code, 500)
        html = response.content.decode()
        self.assertIn("Something went wrong", html)
        self.assertIn('class="site-header"', html)
        self.assertNotIn("Traceback", html)
        self.assertNotIn("SECRET_KEY", html)

    def test_a_permission_refusal_is_logged_as_one_line(self):
        configured = next(h for h in logging.getLogger().handlers if type(h) is logging.StreamHandler)
        stream = io.StringIO()
        probe = logging.StreamHandler(stream)  # the configured handler's filters, writing to a buffer
        probe.filters = list(configured.filters)
        logging.getLogger().addHandler(probe)
        try:
            login(self.client, self.world.reviewer)
            url = reverse("results:compute", args=[self.world.programme.slug, self.world.wave.code])
            self.assertEqual(self.client.post(url).status_code, 403)
        finally:
            logging.getLogger().removeHandler(probe)
        lines = stream.getvalue().splitlines()
        self.assertEqual(len(lines), 1, lines)
        self.assertIn("Forbidden", lines[0])
        self.assertIn(url, lines[0])
        self.assertNotIn("Traceback", stream.getvalue())


@override_settings(DEBUG=False)
class RefusedFormPageTests(TestCase):
    """A refused form says which check failed, so a blocked cookie and a wrong address can be told apart."""

    def setUp(self):
        from django.test import Client

        self.client = Client(enforce_csrf_checks=True)

    def test_a_post_without_the_cookie_says_the_cookie_was_not_sent_back(self):
        page = self.client.post(reverse("accounts:login"), {"username": "admin", "password": "x"})
        self.assertContains(page, "This form has expired", status_code=403)
        self.assertContains(page, "did not send back the cookie", status_code=403)
        self.assertContains(page, "CSRF cookie not set", status_code=403)

    def test_a_post_from_another_origin_names_that_origin(self):
        self.client.get(reverse("accounts:login"))
        token = self.client.cookies["csrftoken"].value
        page = self.client.post(
            reverse("accounts:login"),
            {"username": "admin", "password": "x", "csrfmiddlewaretoken": token},
            headers={"origin": "http://elsewhere.example"},
        )
        self.assertContains(page, "sent from another address", status_code=403)
        self.assertContains(page, "http://elsewhere.example", status_code=403)

    def test_the_explanation_is_translated(self):
        page = self.client.post(reverse("accounts:login"), headers={"accept-language": "es"})
        self.assertContains(page, "no devolvió la cookie", status_code=403)
