"""Sign-in throttling by account and address, and the password change and reset flows."""

from __future__ import annotations

import re

from django.core import mail
from django.core.management import call_command
from django.test import TestCase, override_settings
from django.urls import reverse

from civicmeter.testing import PASSWORD, login, make_user
from civicmeter.web.mail.models import Delivery

NEW_PASSWORD = "a-fresh-passphrase-42"  # noqa: S105


def sign_in(client, username, password, address="198.51.100.7"):
    return client.post(
        reverse("accounts:login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


@override_settings(AXES_ENABLED=True)
class ThrottleTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.user = make_user("admin")

    def test_ten_wrong_passwords_then_the_right_one_is_refused(self):
        for _ in range(10):
            sign_in(self.client, "admin", "wrong")
        page = sign_in(self.client, "admin", PASSWORD)
        self.assertContains(page, "Too many failed sign-ins", status_code=429)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_the_lock_holds_for_the_account_from_another_address_until_reset(self):
        for _ in range(10):
            sign_in(self.client, "admin", "wrong", address="198.51.100.7")
        self.assertEqual(sign_in(self.client, "admin", PASSWORD, address="203.0.113.9").status_code, 429)
        call_command("axes_reset_username", "admin", verbosity=0)
        self.assertEqual(sign_in(self.client, "admin", PASSWORD, address="203.0.113.9").status_code, 302)

    def test_one_address_guessing_many_accounts_is_locked_too(self):
        other = make_user("reviewer")
        for n in range(10):
            sign_in(self.client, f"guess{n}", "wrong", address="192.0.2.50")
        self.assertEqual(
            sign_in(self.client, other.username, PASSWORD, address="192.0.2.50").status_code, 429
        )
        self.assertEqual(
            sign_in(self.client, other.username, PASSWORD, address="192.0.2.51").status_code, 302
        )

    def test_the_lock_out_message_is_translated(self):
        for _ in range(10):
            sign_in(self.client, "admin", "wrong")
        page = self.client.post(
            reverse("accounts:login"),
            {"username": "admin", "password": PASSWORD},
            REMOTE_ADDR="198.51.100.7",
            headers={"accept-language": "es"},
        )
        self.assertContains(page, "Demasiados intentos fallidos", status_code=429)

    def test_a_few_mistakes_do_not_lock(self):
        for _ in range(3):
            sign_in(self.client, "admin", "wrong")
        self.assertEqual(sign_in(self.client, "admin", PASSWORD).status_code, 302)


class PasswordFlowTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.user = make_user("bilbao-es", email="team@bilbao.example")

    def test_change_password(self):
        login(self.client, self.user)
        page = self.client.post(
            reverse("accounts:password_change"),
            {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
            follow=True,
        )
        self.assertContains(page, "Password changed")
        self.user.refresh_from_db()
        self.assertTrue(self.user.check_password(NEW_PASSWORD))

    def test_reset_password_by_a_queued_email(self):
        with self.captureOnCommitCallbacks(execute=True):
            page = self.client.post(
                reverse("accounts:password_reset"), {"email": "team@bilbao.example"}, follow=True
            )
        self.assertContains(page, "Check your e-mail")
        delivery = Delivery.objects.get(kind=Delivery.Kind.PASSWORD_RESET)
        self.assertEqual(
            (delivery.status, delivery.recipients), (Delivery.Status.SENT, ["team@bilbao.example"])
        )
        self.assertEqual(len(mail.outbox), 1)
        link = re.search(r"https?://[^/\s]+(/accounts/password/reset/\S+)", mail.outbox[0].body).group(1)
        form = self.client.get(link, follow=True)
        self.assertContains(form, "Choose a new password")
        done = self.client.post(
            form.redirect_chain[-1][0],
            {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
            follow=True,
        )
        self.assertContains(done, "You can sign in with your new password.")
        self.user.refresh_from_db()
        self.assertTrue(self.user.check_password(NEW_PASSWORD))
        self.assertContains(self.client.get(link, follow=True), "This link is not valid any more")

    def test_reset_for_an_unknown_address_sends_nothing_and_says_the_same(self):
        page = self.client.post(
            reverse("accounts:password_reset"), {"email": "nobody@x.example"}, follow=True
        )
        self.assertContains(page, "Check your e-mail")
        self.assertFalse(Delivery.objects.exists())
