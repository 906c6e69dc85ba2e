"""Signing in when the client kept no cookie (``core.signin_csrf``): the page's own token signs in,
a made-up, expired or cross-site one does not, and every other form keeps Django's cookie check."""

from __future__ import annotations

import re
import time
from unittest import mock

from django.test import Client, TestCase, override_settings
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from civicmeter.testing import PASSWORD, make_world
from civicmeter.web.core import signin_csrf

LOGIN = reverse("accounts:login")


def page_token(client: Client, url: str = LOGIN) -> str:
    """The first token on the page, as a script reading the HTML would take it."""
    html = client.get(url).content.decode()
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


@override_settings(DEBUG=False)
class CookielessSignInTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = make_world()

    def post(self, token: str, **extra):
        """A sign-in post from a client with no cookie at all (the page was read by another client);
        ``extra`` goes to the test client (``headers=``, or WSGI environ keys)."""
        form = {"csrfmiddlewaretoken": token, "username": self.world.admin.username, "password": PASSWORD}
        return Client(enforce_csrf_checks=True).post(LOGIN, form, **extra)

    def test_the_pages_own_token_signs_in_without_the_cookie(self):
        signed_in = self.post(page_token(Client()))
        self.assertEqual(signed_in.status_code, 302)
        self.assertIn("sessionid", signed_in.cookies)

    def test_a_made_up_token_is_refused(self):
        page = self.post("a" * 64)
        self.assertContains(page, "CSRF cookie not set", status_code=403)

    def test_an_expired_token_is_refused(self):
        token = page_token(Client())
        later = time.time() + signin_csrf.MAX_AGE_SECONDS + 60
        with mock.patch.object(signin_csrf.time, "time", return_value=later):
            self.assertEqual(self.post(token).status_code, 403)

    def test_a_post_from_another_site_is_refused(self):
        token = page_token(Client())
        self.assertEqual(self.post(token, headers={"origin": "http://evil.example"}).status_code, 403)
        self.assertEqual(self.post(token, HTTP_SEC_FETCH_SITE="cross-site").status_code, 403)

    def test_every_other_form_still_needs_the_cookie(self):
        token = page_token(Client())
        language = Client(enforce_csrf_checks=True).post(
            reverse("set_language"), {"csrfmiddlewaretoken": token, "language": "es"}
        )
        self.assertContains(language, "CSRF cookie not set", status_code=403)

    def test_with_the_cookie_the_check_is_djangos(self):
        client = Client(enforce_csrf_checks=True)
        token = page_token(client)
        other = page_token(Client())  # issued by us, but not this client's cookie's secret
        form = {"username": self.world.admin.username, "password": PASSWORD}
        self.assertEqual(client.post(LOGIN, form | {"csrfmiddlewaretoken": other}).status_code, 403)
        self.assertEqual(client.post(LOGIN, form | {"csrfmiddlewaretoken": token}).status_code, 302)


@given(st.floats(min_value=0, max_value=4e9, allow_nan=False))
def test_an_issued_secret_is_recognised_while_fresh_and_has_djangos_shape(now):
    secret = signin_csrf.issued_secret(now)
    assert len(secret) == 32 and secret.isalnum() and secret.isascii()
    assert signin_csrf.was_issued(secret, now)
    assert not signin_csrf.was_issued(secret, now + signin_csrf.MAX_AGE_SECONDS + 60)
    tampered = secret[:3] + ("b" if secret[3] == "a" else "a") + secret[4:]
    assert not signin_csrf.was_issued(tampered, now)
