"""Personal API tokens: created, listed and revoked by their user (page and CLI), stored hashed."""

from __future__ import annotations

from unittest import mock

from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase
from django.urls import reverse
from typer.testing import CliRunner

from civicmeter.cli import app
from civicmeter.testing import login, make_world
from civicmeter.web.accounts.permissions import SYSTEM
from civicmeter.web.api import selectors, services
from civicmeter.web.api.models import ApiToken


class TokenServiceTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = make_world()

    def test_the_key_is_returned_once_and_only_its_digest_is_stored(self):
        issued = services.token_create(actor=self.world.admin, user=self.world.admin, name="nightly import")
        self.assertTrue(issued.key.startswith(f"cm_{issued.token.prefix}_"))
        stored = ApiToken.objects.get(pk=issued.token.pk)
        self.assertNotIn(issued.key, [stored.key_sha256, stored.prefix, stored.name])
        self.assertEqual(stored.key_sha256, selectors.key_digest(issued.key))
        self.assertEqual(selectors.active_token(issued.key), stored)

    def test_a_revoked_token_no_longer_authenticates(self):
        issued = services.token_create(actor=SYSTEM, user=self.world.admin, name="script")
        services.token_revoke(actor=self.world.admin, token=issued.token)
        self.assertIsNone(selectors.active_token(issued.key))
        self.assertEqual(ApiToken.objects.get(pk=issued.token.pk).revoked_by, self.world.admin)

    def test_nobody_manages_another_users_tokens(self):
        issued = services.token_create(actor=SYSTEM, user=self.world.admin, name="script")
        with self.assertRaises(PermissionDenied):
            services.token_revoke(actor=self.world.reviewer, token=issued.token)
        with self.assertRaises(PermissionDenied):
            services.token_create(actor=self.world.reviewer, user=self.world.admin, name="mine now")

    def test_a_token_needs_a_name(self):
        with self.assertRaisesMessage(ValidationError, "Give the token a name"):
            services.token_create(actor=SYSTEM, user=self.world.admin, name="  ")
        self.assertFalse(ApiToken.objects.exists())


class TokenPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = make_world()

    def test_signed_out_visitors_are_sent_to_sign_in(self):
        response = self.client.get(reverse("api:tokens"))
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("accounts:login"), response["Location"])

    def test_create_shows_the_key_once_then_lists_the_token_and_revokes_it(self):
        login(self.client, self.world.admin)
        response = self.client.post(reverse("api:tokens"), {"name": "import script"})
        self.assertEqual(response.status_code, 201)
        key = response.context["issued"].key
        self.assertContains(response, key, status_code=201)
        self.assertEqual(response["Cache-Control"], "no-store")
        listed = self.client.get(reverse("api:tokens"))
        self.assertNotContains(listed, key)
        token = ApiToken.objects.get()
        self.assertContains(listed, f"cm_{token.prefix}")
        self.client.post(reverse("api:token_revoke", args=[token.pk]))
        token.refresh_from_db()
        self.assertIsNotNone(token.revoked_at)

    def test_a_refused_token_is_shown_under_its_name_and_nothing_is_issued(self):
        login(self.client, self.world.admin)
        refusal = ValidationError("The account admin is deactivated.")
        with mock.patch.object(services, "token_create", side_effect=refusal):
            response = self.client.post(reverse("api:tokens"), {"name": "import script"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.context["form"].errors, {"name": ["The account admin is deactivated."]})
        self.assertIsNone(response.context["issued"])

    def test_one_user_cannot_revoke_anothers_token(self):
        issued = services.token_create(actor=SYSTEM, user=self.world.admin, name="script")
        login(self.client, self.world.reviewer)
        response = self.client.post(reverse("api:token_revoke", args=[issued.token.pk]))
        self.assertEqual(response.status_code, 404)
        self.assertIsNotNone(selectors.active_token(issued.key))


class TokenCommandTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = make_world()

    def test_create_list_revoke(self):
        runner = CliRunner()
        created = runner.invoke(app, ["token", "create", "--user", "admin", "--name", "sync"])
        self.assertEqual(created.exit_code, 0, created.output)
        key = created.output.strip().splitlines()[-1]
        token = selectors.active_token(key)
        self.assertEqual(token.user, self.world.admin)
        listed = runner.invoke(app, ["token", "list", "--user", "admin"])
        self.assertIn(f"{token.pk}\tcm_{token.prefix}…\tsync", listed.output)
        self.assertIn("active", listed.output)
        revoked = runner.invoke(app, ["token", "revoke", str(token.pk), "--user", "admin"])
        self.assertEqual(revoked.exit_code, 0, revoked.output)
        self.assertIsNone(selectors.active_token(key))

    def test_unknown_user_is_one_line_and_exit_2(self):
        result = CliRunner().invoke(app, ["token", "create", "--user", "nobody", "--name", "x"])
        self.assertEqual(result.exit_code, 2)
        self.assertIn("no user 'nobody'", result.output)
