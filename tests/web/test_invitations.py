"""Invitation links: random tokens, a GET changes nothing, only the invited address accepts (POST)."""

from __future__ import annotations

from django.test import TestCase
from django.urls import reverse

from civicmeter.testing import login, make_user, make_world
from civicmeter.web.accounts.models import Role
from civicmeter.web.accounts.permissions import SYSTEM
from civicmeter.web.programmes import services
from civicmeter.web.programmes.demo import close_demo_invitations
from civicmeter.web.programmes.models import Invitation


class InvitationAcceptTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = make_world()
        cls.invited = make_user("ane", email="Team@Bilbao.example")

    def setUp(self):
        with self.captureOnCommitCallbacks(execute=True):
            self.invitation = services.invitation_send(
                actor=SYSTEM, wave=self.world.wave, city=self.world.city_b, email="team@bilbao.example"
            )
        self.url = reverse("accounts:invitation", args=[self.invitation.token])

    def is_respondent(self, user) -> bool:
        return Role.objects.filter(user=user, kind="respondent", city=self.world.city_b).exists()

    def test_tokens_are_long_random_and_unrelated_to_the_city(self):
        other = services.invitation_send(
            actor=SYSTEM, wave=self.world.wave, city=self.world.city_a, email="x@baltimore.example"
        )
        tokens = [self.invitation.token, other.token]
        self.assertNotEqual(*tokens)
        for token in tokens:
            self.assertGreaterEqual(len(token), 40)
            self.assertNotIn("bilbao", token.lower())
            self.assertNotIn(self.world.wave.code, token)

    def test_opening_the_link_only_shows_a_confirmation(self):
        login(self.client, self.invited)
        page = self.client.get(self.url)
        self.assertContains(page, "Accept the invitation")
        self.assertFalse(self.is_respondent(self.invited))
        self.invitation.refresh_from_db()
        self.assertIsNone(self.invitation.accepted_at)

    def test_the_invited_address_accepts_with_a_post(self):
        login(self.client, self.invited)
        page = self.client.post(self.url, follow=True)
        self.assertContains(page, "You can now answer for Bilbao.")
        self.assertTrue(self.is_respondent(self.invited))

    def test_another_signed_in_respondent_cannot_accept(self):
        intruder = self.world.respondent_a
        login(self.client, intruder)
        self.assertContains(self.client.get(self.url), "which is not the address of the account")
        page = self.client.post(self.url, follow=True)
        self.assertContains(page, "This invitation was sent to team@bilbao.example")
        self.assertFalse(self.is_respondent(intruder))
        self.invitation.refresh_from_db()
        self.assertIsNone(self.invitation.accepted_by)
        # ... and the invited person can still accept afterwards.
        login(self.client, self.invited)
        self.client.post(self.url)
        self.assertTrue(self.is_respondent(self.invited))


class DemoInvitationTests(TestCase):
    def test_demo_invitations_are_closed_and_old_guessable_tokens_replaced(self):
        world = make_world()
        user = make_user("bilbao-es-demo", email="bilbao-es@demo.invalid")
        world.city_b.slug = "bilbao-es-demo"
        world.city_b.save(update_fields=["slug"])
        Invitation.objects.create(
            wave=world.wave,
            city=world.city_b,
            email="bilbao-es@demo.invalid",
            token="demo-2020-bilbao-es-demo",
            sent_at="2020-06-30T00:00Z",
        )
        staff_sent = services.invitation_send(
            actor=SYSTEM, wave=world.wave, city=world.city_a, email="someone@real.example"
        )
        self.assertEqual(close_demo_invitations(world.programme), 1)
        demo = Invitation.objects.get(email="bilbao-es@demo.invalid")
        self.assertFalse(demo.token.startswith("demo-"))
        self.assertEqual(demo.accepted_by, user)
        staff_sent.refresh_from_db()
        self.assertIsNone(staff_sent.accepted_by)  # a real invitation in the demo programme stays open
        old = self.client.get(reverse("accounts:invitation", args=["demo-2020-bilbao-es-demo"]))
        self.assertEqual(old.status_code, 404)
