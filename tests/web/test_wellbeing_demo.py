"""The demo's real outcome data: every file imports completely, local names match, once only."""

from __future__ import annotations

from django.test import TestCase

from civicmeter.web.programmes.demo import demo_load
from civicmeter.web.wellbeing.demo import load_demo_outcomes
from civicmeter.web.wellbeing.models import OutcomeImportRun, OutcomeValue
from civicmeter.web.wellbeing.services.runs import analysis_execute, analysis_start


class DemoOutcomesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.programme = demo_load().programme
        cls.runs = load_demo_outcomes(cls.programme)

    def test_every_demo_file_applies_with_local_names_matched(self):
        self.assertEqual(
            [r.status for r in self.runs],
            [OutcomeImportRun.Status.APPLIED] * 3,
            [r.report.get("problems") for r in self.runs],
        )
        eu = self.runs[0]
        self.assertEqual(eu.report["matching"]["matched"], 60)
        self.assertEqual(len(eu.report["matching"]["skipped"]), 19)
        satisfied = set(
            OutcomeValue.objects.filter(indicator__code="satis_city").values_list("city__slug", flat=True)
        )
        self.assertTrue({"brussels-be", "athens-gr", "lisbon-pt", "munich-de"} <= satisfied)
        income = OutcomeValue.objects.filter(indicator__code="median_household_income")
        self.assertEqual(income.count(), 51)
        self.assertEqual(set(income.values_list("period", flat=True)), {"2023"})

    def test_loading_again_imports_nothing(self):
        again = load_demo_outcomes(self.programme)
        self.assertEqual([r.pk for r in again], [r.pk for r in self.runs])
        self.assertEqual(OutcomeImportRun.objects.count(), 3)

    def test_the_2020_analysis_runs_on_the_demo_and_says_it_is_synthetic(self):
        wave = self.programme.waves.get(code="2020")
        run = analysis_start(actor=self.programme_admin(), wave=wave, background=False)
        run = analysis_execute(run_id=run.pk)
        self.assertEqual(run.status, run.Status.DONE, run.error)
        self.assertTrue(run.summary["synthetic"])
        self.assertIn("satis_city", run.summary["outcomes"])
        self.assertNotIn("median_household_income", run.summary["outcomes"])

    def programme_admin(self):
        return self.programme.roles.get(kind="admin").user
