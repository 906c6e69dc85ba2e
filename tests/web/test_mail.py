"""E-mail goes through the background worker: recorded, retried, never a 500, resent by staff."""

from __future__ import annotations

import socket
from datetime import timedelta

from django.core import mail
from django.test import TestCase, override_settings
from django.urls import reverse
from django.utils import timezone

from civicmeter.testing import PSI_FULL_ANSWERS, login, make_world
from civicmeter.web.collection.models import Answer, Response
from civicmeter.web.mail import services
from civicmeter.web.mail.models import Delivery
from civicmeter.web.programmes.models import Invitation


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def smtp_down():
    """A real SMTP backend pointed at a port nobody listens on: the connection is refused."""
    return override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=_closed_port(),
        EMAIL_TIMEOUT=2,
    )


class MailTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = make_world()
        cls.wave_args = [cls.world.programme.slug, cls.world.wave.code]

    def invite(self, email="team@bilbao.example"):
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(
                reverse("collection:invite", args=self.wave_args), {"city": "bilbao-es", "email": email}
            )


class FailingServerTests(MailTestCase):
    def test_returning_a_submission_with_the_mail_server_down_is_no_500(self):
        response = Response.objects.create(
            wave=self.world.wave, city=self.world.city_a, status=Response.Status.SUBMITTED
        )
        Answer.objects.bulk_create(
            [Answer(response=response, question=q, value=v) for q, v in PSI_FULL_ANSWERS.items()]
        )
        login(self.client, self.world.admin)
        with smtp_down(), self.captureOnCommitCallbacks(execute=True):
            http = self.client.post(reverse("collection:return", args=[response.pk]), {"note": "Fix s2."})
        self.assertEqual(http.status_code, 302)
        response.refresh_from_db()
        self.assertEqual(response.status, Response.Status.RETURNED)
        delivery = Delivery.objects.get(kind=Delivery.Kind.RETURNED)
        self.assertEqual(delivery.status, Delivery.Status.FAILED)
        self.assertEqual(delivery.attempts, 1)
        self.assertIn("ConnectionRefusedError", delivery.last_error)
        self.assertEqual(delivery.recipients, [self.world.respondent_a.email])

    def test_a_failed_invitation_is_shown_on_the_dashboard_and_staff_resend_it(self):
        login(self.client, self.world.admin)
        with smtp_down():
            self.assertEqual(self.invite().status_code, 302)
        self.assertTrue(Invitation.objects.filter(email="team@bilbao.example").exists())
        delivery = Delivery.objects.get()
        self.assertEqual((delivery.kind, delivery.status), (Delivery.Kind.INVITATION, Delivery.Status.FAILED))
        page = self.client.get(reverse("collection:dashboard", args=self.wave_args))
        self.assertContains(page, "E-mail not delivered")
        self.assertContains(page, "team@bilbao.example")
        self.assertContains(page, "ConnectionRefusedError")
        with self.captureOnCommitCallbacks(execute=True):
            http = self.client.post(reverse("mail:resend", args=[delivery.pk]), follow=True)
        self.assertContains(http, "The e-mail to team@bilbao.example is queued again.")
        self.assertNotContains(http, "E-mail not delivered")
        delivery.refresh_from_db()
        self.assertEqual((delivery.status, delivery.attempts), (Delivery.Status.SENT, 1))
        self.assertEqual([m.to for m in mail.outbox], [["team@bilbao.example"]])
        self.assertIn(
            reverse("accounts:invitation", args=[Invitation.objects.get().token]), mail.outbox[0].body
        )

    def test_only_the_waves_admins_may_resend(self):
        login(self.client, self.world.admin)
        with smtp_down():
            self.invite()
        delivery = Delivery.objects.get()
        for user in (self.world.reviewer, self.world.respondent_b, self.world.outsider):
            login(self.client, user)
            self.assertEqual(self.client.post(reverse("mail:resend", args=[delivery.pk])).status_code, 404)
        delivery.refresh_from_db()
        self.assertEqual(delivery.status, Delivery.Status.FAILED)


class DeliveryTests(MailTestCase):
    def test_a_working_server_sends_once_and_records_it(self):
        login(self.client, self.world.admin)
        self.invite()
        delivery = Delivery.objects.get()
        self.assertEqual(
            (delivery.status, delivery.attempts, delivery.last_error), (Delivery.Status.SENT, 1, "")
        )
        self.assertIsNotNone(delivery.sent_at)
        self.assertEqual(len(mail.outbox), 1)

    @override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}})
    def test_failures_are_retried_later_then_marked_failed(self):
        from django_tasks import default_task_backend

        delivery = services.mail_queue(
            kind=Delivery.Kind.REMINDER, recipients=["a@b.example"], subject="s", body="b"
        )
        with smtp_down():
            for attempt in range(1, services.MAX_ATTEMPTS):
                before = timezone.now()
                services.delivery_attempt(delivery.pk)
                delivery.refresh_from_db()
                self.assertEqual((delivery.status, delivery.attempts), (Delivery.Status.QUEUED, attempt))
                retry = default_task_backend.results[-1]
                self.assertEqual(retry.args, [delivery.pk])
                self.assertGreaterEqual(retry.task.run_after, before + services.RETRY_DELAYS[attempt - 1])
            queued = len(default_task_backend.results)
            services.delivery_attempt(delivery.pk)
        delivery.refresh_from_db()
        self.assertEqual(
            (delivery.status, delivery.attempts), (Delivery.Status.FAILED, services.MAX_ATTEMPTS)
        )
        self.assertEqual(len(default_task_backend.results), queued)  # no further retry
        self.assertGreater(services.RETRY_DELAYS[-1], timedelta(minutes=30))
