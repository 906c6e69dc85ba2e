"""Answer services called directly, as the CLI and the import do."""

from django.test import TestCase

from civicmeter.testing import make_world
from civicmeter.web.accounts.permissions import SYSTEM
from civicmeter.web.collection import services
from civicmeter.web.collection.models import AnswerChange


class AnswerSaveTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = make_world()
        cls.response = services.response_start(actor=SYSTEM, wave=cls.world.wave, city=cls.world.city_a)

    def save(self, value, version, actor=None):
        return services.answer_save(
            actor=actor or self.world.respondent_a,
            response=self.response,
            question="s1_strategy",
            raw_value=value,
            expected_version=version,
        )

    def test_the_same_value_from_a_stale_editor_is_not_a_conflict(self):
        self.assertTrue(self.save("yes", 0).saved)
        again = self.save("yes", 0)
        self.assertTrue(again.saved)
        self.assertIsNone(again.conflict)
        self.assertEqual(AnswerChange.objects.filter(question="s1_strategy").count(), 1)

    def test_a_different_value_from_a_stale_editor_is_a_conflict_and_not_written(self):
        self.save("yes", 0)
        stale = self.save("no", 0)
        self.assertEqual((stale.saved, stale.conflict.current_value), (False, "yes"))
        self.assertEqual(self.response.answers.get(question="s1_strategy").value, "yes")
