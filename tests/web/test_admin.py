"""The Django admin opens for site staff and keeps audit records read-only."""

from django.contrib.auth import get_user_model
from django.test import TestCase
from django.urls import reverse

from civicmeter.testing import make_world


class AdminTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        make_world()
        cls.staff = get_user_model().objects.create_superuser("root", "root@example.org", "x")

    def test_every_changelist_opens(self):
        self.client.force_login(self.staff)
        for model in (
            "programmes/city",
            "programmes/wave",
            "programmes/instrument",
            "accounts/role",
            "collection/response",
            "collection/answerchange",
            "collection/importrun",
        ):
            app, name = model.split("/")
            response = self.client.get(reverse(f"admin:{app}_{name}_changelist"))
            self.assertEqual(response.status_code, 200, model)

    def test_answers_cannot_be_added_in_the_admin(self):
        self.client.force_login(self.staff)
        self.assertEqual(self.client.get(reverse("admin:collection_response_add")).status_code, 403)

    def test_non_staff_are_sent_to_the_admin_login(self):
        response = self.client.get(reverse("admin:programmes_city_changelist"))
        self.assertEqual(response.status_code, 302)
