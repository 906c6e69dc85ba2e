"""The wave dashboard and staff actions: who may see and do what, and what each action records."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core import mail
from django.test import TestCase
from django.urls import reverse

from civicmeter.testing import login, make_user, make_world
from civicmeter.web.accounts.models import Role
from civicmeter.web.accounts.permissions import SYSTEM
from civicmeter.web.collection import services
from civicmeter.web.collection.models import Response, ResponseEvent
from civicmeter.web.programmes.models import Invitation


class StaffTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = make_world()
        cls.response = services.response_start(actor=SYSTEM, wave=cls.world.wave, city=cls.world.city_a)
        Response.objects.filter(pk=cls.response.pk).update(status=Response.Status.SUBMITTED)
        wave = cls.world.wave
        cls.wave_args = [wave.programme.slug, wave.code]

    def dashboard_url(self):
        return reverse("collection:dashboard", args=self.wave_args)


class PermissionMatrixTests(StaffTestCase):
    """Role by URL: a handful of policy functions decide, so every staff URL answers consistently."""

    def staff_urls(self):
        pk = self.response.pk
        return [
            ("get", self.dashboard_url(), {}),
            ("get", reverse("collection:export", args=[*self.wave_args, "csv"]), {}),
            ("get", reverse("collection:import", args=self.wave_args), {}),
            (
                "post",
                reverse("collection:invite", args=self.wave_args),
                {"city": "bilbao-es", "email": "x@y.org"},
            ),
            ("post", reverse("collection:remind", args=self.wave_args), {}),
            (
                "post",
                reverse("collection:return", args=[pk]),
                {"note": "Please add the team size."},
            ),
            ("post", reverse("collection:validate", args=[pk]), {}),
        ]

    def test_anonymous_is_sent_to_sign_in_everywhere(self):
        for method, url, data in self.staff_urls():
            response = getattr(self.client, method)(url, data)
            self.assertEqual(response.status_code, 302, url)
            self.assertIn(reverse("accounts:login"), response["Location"])

    def test_respondents_and_outsiders_get_404_or_403_and_nothing_changes(self):
        for user in (self.world.respondent_a, self.world.respondent_b, self.world.outsider):
            login(self.client, user)
            for method, url, data in self.staff_urls():
                response = getattr(self.client, method)(url, data)
                self.assertIn(response.status_code, (403, 404), f"{user} {url}")
        self.assertFalse(Invitation.objects.exists())
        self.assertEqual(Response.objects.get(pk=self.response.pk).status, Response.Status.SUBMITTED)
        self.assertEqual(len(mail.outbox), 0)

    def test_reviewer_reads_the_dashboard_but_cannot_write(self):
        login(self.client, self.world.reviewer)
        self.assertEqual(self.client.get(self.dashboard_url()).status_code, 200)
        self.assertEqual(
            self.client.get(reverse("collection:export", args=[*self.wave_args, "csv"])).status_code,
            200,
        )
        for method, url, data in self.staff_urls()[2:]:
            response = getattr(self.client, method)(url, data)
            self.assertEqual(response.status_code, 403, url)
        self.assertFalse(Invitation.objects.exists())
        self.assertFalse(ResponseEvent.objects.exists())


class DashboardTests(StaffTestCase):
    def test_dashboard_lists_each_city_with_status_completion_and_filters(self):
        login(self.client, self.world.admin)
        page = self.client.get(self.dashboard_url())
        self.assertContains(page, "Baltimore")
        self.assertContains(page, "Submitted")
        self.assertContains(page, "Export XLSX")
        rows = page.context["rows"]
        self.assertEqual([r.city.slug for r in rows], ["baltimore-us"])
        self.assertEqual(rows[0].percent_complete, 0)
        filtered = self.client.get(self.dashboard_url(), {"status": "draft"})
        self.assertEqual(filtered.context["rows"], [])
        self.assertContains(filtered, "No city matches.")

    def test_invite_sends_an_email_with_a_working_link(self):
        login(self.client, self.world.admin)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(
                reverse("collection:invite", args=self.wave_args),
                {"city": "bilbao-es", "email": "Team@Bilbao.example"},
                follow=True,
            )
        self.assertContains(response, "Invitation sent to team@bilbao.example for Bilbao.")
        self.assertEqual(len(mail.outbox), 1)
        invitation = Invitation.objects.get()
        self.assertIn(reverse("accounts:invitation", args=[invitation.token]), mail.outbox[0].body)
        # The invited person signs in with their own account (the invited address) and accepts.
        invited = make_user("ane", email="team@bilbao.example")
        login(self.client, invited)
        self.client.post(reverse("accounts:invitation", args=[invitation.token]))
        self.assertTrue(Role.objects.filter(user=invited, kind="respondent", city=self.world.city_b).exists())
        invitation.refresh_from_db()
        self.assertIsNotNone(invitation.accepted_at)

    def test_unknown_invitation_token_is_refused_without_granting_anything(self):
        login(self.client, self.world.outsider)
        response = self.client.get(reverse("accounts:invitation", args=["nope"]), follow=True)
        self.assertContains(response, "This invitation link is not valid. Ask programme staff for a new one.")
        self.assertFalse(Role.objects.filter(user=self.world.outsider).exists())

    def test_reminders_go_only_to_cities_that_have_not_submitted(self):
        for city in (self.world.city_a, self.world.city_b):
            Invitation.objects.create(
                wave=self.world.wave,
                city=city,
                email=f"{city.slug}@x.org",
                token=f"t-{city.slug}",
                sent_at="2020-01-01T00:00Z",
            )
        login(self.client, self.world.admin)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(reverse("collection:remind", args=self.wave_args), follow=True)
        self.assertContains(response, "1 reminder(s) sent to cities that have not submitted.")
        self.assertEqual([m.to for m in mail.outbox], [["bilbao-es@x.org"]])
        self.assertEqual(Invitation.objects.get(city=self.world.city_b).reminder_count, 1)

    def test_return_needs_a_note_and_records_who_and_why(self):
        login(self.client, self.world.admin)
        url = reverse("collection:return", args=[self.response.pk])
        response = self.client.post(url, {"note": ""}, follow=True)
        self.assertContains(response, "This field is required.")
        self.assertEqual(Response.objects.get(pk=self.response.pk).status, Response.Status.SUBMITTED)
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(url, {"note": "Please add the team size."})
        returned = Response.objects.get(pk=self.response.pk)
        self.assertEqual(returned.status, Response.Status.RETURNED)
        event = returned.events.get()
        self.assertEqual(
            (event.actor, event.from_status, event.note),
            (self.world.admin, "submitted", "Please add the team size."),
        )
        self.assertEqual(mail.outbox[0].to, ["baltimore-us@example.org"])

    def test_validate_marks_a_submitted_response(self):
        login(self.client, self.world.admin)
        self.client.post(reverse("collection:validate", args=[self.response.pk]))
        self.assertEqual(Response.objects.get(pk=self.response.pk).status, Response.Status.VALIDATED)


class InvitationSignupTests(StaffTestCase):
    def invitation(self):
        return Invitation.objects.create(
            wave=self.world.wave,
            city=self.world.city_b,
            email="team@bilbao.example",
            token="tok-1",
            sent_at="2020-01-01T00:00Z",
        )

    def test_a_new_person_creates_an_account_from_the_link_and_can_answer(self):
        invitation = self.invitation()
        url = reverse("accounts:invitation", args=[invitation.token])
        page = self.client.get(url)
        self.assertContains(page, "Answer the survey for Bilbao")
        response = self.client.post(
            url,
            {"username": "ane", "password1": "a-long-pass-phrase-7", "password2": "a-long-pass-phrase-7"},
            follow=True,
        )
        self.assertContains(response, "Welcome. You can now answer for Bilbao.")
        user = get_user_model().objects.get(username="ane")
        self.assertEqual(user.email, "team@bilbao.example")
        self.assertTrue(Role.objects.filter(user=user, kind="respondent", city=self.world.city_b).exists())

    def test_weak_passwords_are_refused_and_nothing_is_created(self):
        invitation = self.invitation()
        response = self.client.post(
            reverse("accounts:invitation", args=[invitation.token]),
            {"username": "ane", "password1": "123", "password2": "123"},
        )
        self.assertContains(response, "This password is too short.")
        self.assertFalse(get_user_model().objects.filter(username="ane").exists())

    def test_a_link_works_for_one_account_only(self):
        invitation = self.invitation()
        login(self.client, make_user("ane", email="team@bilbao.example"))
        self.client.post(reverse("accounts:invitation", args=[invitation.token]))
        self.client.logout()
        login(self.client, self.world.respondent_a)
        response = self.client.post(reverse("accounts:invitation", args=[invitation.token]), follow=True)
        self.assertContains(response, "This invitation link has already been used by another account.")
        self.assertFalse(Role.objects.filter(user=self.world.respondent_a, city=self.world.city_b).exists())
        self.client.logout()
        response = self.client.post(
            reverse("accounts:invitation", args=[invitation.token]),
            {"username": "late", "password1": "a-long-pass-phrase-7", "password2": "a-long-pass-phrase-7"},
            follow=True,
        )
        self.assertRedirects(response, reverse("accounts:login"))
        self.assertContains(response, "This invitation link has already been used by another account.")
        self.assertFalse(get_user_model().objects.filter(username="late").exists())

    def test_an_unknown_link_is_404(self):
        response = self.client.get(reverse("accounts:invitation", args=["nope"]))
        self.assertContains(response, "This invitation link is not valid.", status_code=404)


class WaveStatusTests(StaffTestCase):
    def test_admin_closes_the_wave_and_respondents_can_no_longer_answer(self):
        login(self.client, self.world.admin)
        url = reverse("collection:wave_status", args=self.wave_args)
        response = self.client.post(url, {"status": "closed"}, follow=True)
        self.assertContains(response, "The wave is now closed.")
        self.world.wave.refresh_from_db()
        self.assertEqual(self.world.wave.status, "closed")
        response = self.client.post(url, {"status": "nonsense"}, follow=True)
        self.assertContains(response, "Unknown wave status nonsense.")

    def test_reviewer_cannot_change_the_status(self):
        login(self.client, self.world.reviewer)
        response = self.client.post(
            reverse("collection:wave_status", args=self.wave_args), {"status": "closed"}
        )
        self.assertEqual(response.status_code, 403)
        self.world.wave.refresh_from_db()
        self.assertEqual(self.world.wave.status, "open")


class InstrumentVersionTests(TestCase):
    def test_a_used_instrument_version_cannot_change(self):
        from django.core.exceptions import ValidationError

        from civicmeter.testing import SURVEY_FILE
        from civicmeter.web.programmes.services import instrument_register

        world = make_world()
        same = instrument_register(actor=SYSTEM, filename="x.xlsx", content=SURVEY_FILE.read_bytes())
        self.assertEqual(same.pk, world.wave.instrument_id)
        from civicmeter.testing import edited_survey, workbook_cell

        def reword(book):
            workbook_cell(book, "survey", "s2_team", "label::English (en)").value = "Is there a unit?"

        with self.assertRaisesMessage(
            ValidationError,
            "is used by a wave and cannot change. Give the edited workbook a new version in its "
            "settings sheet. (question s2_team: the labels text in 'en' changed; only translations "
            "may be added.)",
        ):
            instrument_register(actor=SYSTEM, filename="x.xlsx", content=edited_survey(reword))

    def test_a_used_version_takes_a_file_that_only_adds_translations(self):
        # The shipped survey gained translated titles under 2020.1: an installation whose wave
        # registered the English-only file accepts the new one, and the wave shows the titles.
        import tempfile
        from pathlib import Path

        from civicmeter.testing import SURVEY_FILE, edited_survey, without_translated_titles
        from civicmeter.web.programmes.instrument_cache import instrument_for
        from civicmeter.web.programmes.services import instrument_register

        english_only = Path(tempfile.mkdtemp()) / SURVEY_FILE.name
        english_only.write_bytes(edited_survey(without_translated_titles))
        world = make_world(instrument_file=english_only)
        self.assertEqual(set(instrument_for(world.wave.instrument).title), {"en"})
        new = instrument_register(actor=SYSTEM, filename="new.xlsx", content=SURVEY_FILE.read_bytes())
        world.wave.refresh_from_db()
        self.assertEqual(new.pk, world.wave.instrument_id)
        self.assertEqual(bytes(world.wave.instrument.content), SURVEY_FILE.read_bytes())
        title = instrument_for(world.wave.instrument).title
        self.assertEqual(title["es"], "Capacidad de innovación en las ciudades")


class HomePageTests(StaffTestCase):
    def test_respondent_sees_their_city_waves_and_staff_see_their_dashboards(self):
        login(self.client, self.world.respondent_b)
        page = self.client.get(reverse("accounts:home"))
        self.assertEqual(
            [(a["wave"].code, a["response"]) for a in page.context["assignments"]], [("2020", None)]
        )
        self.assertContains(page, "Start")
        login(self.client, self.world.respondent_a)
        page = self.client.get(reverse("accounts:home"))
        self.assertEqual(page.context["assignments"][0]["response"], self.response)
        login(self.client, self.world.reviewer)
        page = self.client.get(reverse("accounts:home"))
        self.assertContains(page, reverse("collection:dashboard", args=self.wave_args))
