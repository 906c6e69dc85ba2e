"""Outcome imports: refused with every unmatched name, confirmed once, idempotent, permissions."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import TestCase

from civicmeter.outcomes import MicrodataSpec
from civicmeter.testing import EU_QOL_CITIES, make_cities, make_city, make_world
from civicmeter.web.accounts.permissions import SYSTEM
from civicmeter.web.wellbeing import services
from civicmeter.web.wellbeing.models import (
    CityNameMapping,
    OutcomeImportRun,
    OutcomeIndicator,
    OutcomeValue,
)
from civicmeter.web.wellbeing.services.runs import analysis_start

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
EU_QOL = FIXTURES / "eu-qol-2023" / "qol2023_city_indicators_long_slice.csv"
KC = FIXTURES / "kcmo-resident-survey" / "FY2022_RS_slice.csv"


class OutcomesTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = make_world()
        make_cities(EU_QOL_CITIES)
        cls.kansas_city = make_city("Kansas City", "US", region="Missouri")

    def import_eu(self, actor=None, **kwargs) -> OutcomeImportRun:
        return services.outcomes_import(
            actor=actor or self.world.admin,
            programme=self.world.programme,
            filename=EU_QOL.name,
            content=EU_QOL.read_bytes(),
            period="2023",
            **kwargs,
        )


class TableImportTests(OutcomesTestCase):
    def test_unmatched_names_refuse_the_import_and_nothing_is_written(self):
        run = self.import_eu()
        self.assertEqual(run.status, OutcomeImportRun.Status.REJECTED)
        unmatched = {u["name"] for u in run.report["matching"]["unmatched"]}
        self.assertEqual(unmatched, {"Białystok", "Lefkosia"})
        self.assertEqual([p["code"] for p in run.report["problems"]], ["wellbeing.E001", "wellbeing.E001"])
        self.assertIn(
            "'Lefkosia' (no country given) matches none of the platform's cities. Confirm the city "
            "it is (or that it is none of ours) and import again.",
            [p["message"] for p in run.report["problems"]],
        )
        self.assertEqual(OutcomeValue.objects.count(), 0)
        self.assertEqual(CityNameMapping.objects.count(), 0)

    def test_local_language_names_match_through_aliases(self):
        run = self.import_eu(confirmed={("Białystok", ""): "", ("Lefkosia", ""): ""})
        self.assertEqual(run.status, OutcomeImportRun.Status.APPLIED, run.report.get("problems"))
        self.assertEqual(run.report["matching"]["matched"], 6)
        brussels = OutcomeValue.objects.get(city__slug="brussels-be", indicator__code="satis_city")
        self.assertEqual(brussels.period, "2023")
        self.assertAlmostEqual(brussels.index_points, brussels.value * 100)
        self.assertEqual(run.inserted, 6 * 9)
        self.assertEqual(
            set(OutcomeValue.objects.values_list("city__slug", flat=True).distinct()),
            {"brussels-be", "antwerp-be", "munich-de", "vienna-at", "geneva-ch", "newcastle-upon-tyne-gb"},
        )

    def test_confirmed_names_are_saved_and_a_reimport_changes_nothing(self):
        self.import_eu(confirmed={("Białystok", ""): "", ("Lefkosia", ""): "bilbao-es"})
        lefkosia = CityNameMapping.objects.get(source_name="Lefkosia")
        self.assertEqual((lefkosia.city.slug, lefkosia.confirmed_by), ("bilbao-es", self.world.admin))
        again = self.import_eu()
        self.assertEqual(again.status, OutcomeImportRun.Status.APPLIED)
        self.assertEqual((again.inserted, again.updated, again.unchanged), (0, 0, 7 * 9))
        self.assertEqual(again.sha256, OutcomeImportRun.objects.last().sha256)

    def test_a_refused_import_runs_again_with_the_confirmations(self):
        refused = self.import_eu()
        services.mappings_confirm(
            actor=self.world.admin, programme=self.world.programme, confirmed={("Białystok", ""): ""}
        )
        applied = services.outcomes_import_again(
            actor=self.world.admin, run=refused, confirmed={("Lefkosia", ""): ""}
        )
        self.assertEqual(applied.status, OutcomeImportRun.Status.APPLIED)
        self.assertEqual(applied.report["matching"]["skipped"], ["Białystok", "Lefkosia"])

    def test_a_confirmed_slug_that_does_not_exist_is_refused(self):
        run = self.import_eu(confirmed={("Lefkosia", ""): "nicosia-cy"})
        self.assertEqual(run.status, OutcomeImportRun.Status.REJECTED)
        self.assertEqual([p["code"] for p in run.report["problems"]], ["wellbeing.E003"])

    def test_a_structural_problem_is_reported_with_its_code(self):
        run = services.outcomes_import(
            actor=self.world.admin,
            programme=self.world.programme,
            filename=EU_QOL.name,
            content=EU_QOL.read_bytes(),
        )
        self.assertEqual(run.status, OutcomeImportRun.Status.REJECTED)
        self.assertEqual(run.report["problems"][0]["code"], "outcomes.E034")
        self.assertIn(EU_QOL.name, run.report["problems"][0]["message"])
        self.assertNotIn("/tmp", run.report["problems"][0]["message"])


class MicrodataImportTests(OutcomesTestCase):
    def test_kansas_city_top2_share_with_interval_and_cleaning_report(self):
        run = services.microdata_import(
            actor=self.world.admin,
            programme=self.world.programme,
            filename=KC.name,
            content=KC.read_bytes(),
            spec=MicrodataSpec(
                item="q1_01",
                scale=(1, 5),
                indicator="kc_place_to_live",
                statistic="top2",
                city="Kansas City",
                period_column="quarte",
            ),
            country="US",
            region="Missouri",
        )
        self.assertEqual(run.status, OutcomeImportRun.Status.APPLIED, run.report.get("problems"))
        value = OutcomeValue.objects.get(indicator__code="kc_place_to_live")
        self.assertEqual((value.city, value.period), (self.kansas_city, "1QSEP2021"))
        self.assertLess(value.ci_lower, value.value)
        self.assertLess(value.value, value.ci_upper)
        self.assertGreater(value.n, 900)
        self.assertIsNotNone(value.se)
        self.assertTrue(run.report["reading"]["cleaning"])
        self.assertIn("missing code", run.report["reading"]["text"])

    def store(self, content: bytes, **spec):
        options = {"item": "q", "scale": (1, 5), "indicator": "kc_place_to_live", "city": "Kansas City"}
        return services.microdata_import(
            actor=self.world.admin,
            programme=self.world.programme,
            filename="survey.csv",
            content=content,
            spec=MicrodataSpec(**{**options, **spec}),
            country="US",
            region="Missouri",
        )

    def test_a_period_without_valid_answers_is_refused_and_nothing_is_written(self):
        content = b"wave,q\n2021,4\n2021,5\n2022,9\n2022,\n"
        run = self.store(content, period_column="wave")
        self.assertEqual(run.status, OutcomeImportRun.Status.REJECTED)
        self.assertEqual([p["code"] for p in run.report["problems"]], ["outcomes.E023"])
        self.assertIn("Kansas City 2022", run.report["problems"][0]["message"])
        self.assertFalse(OutcomeValue.objects.exists())

    def test_an_indicator_code_not_in_the_catalogue_is_refused_and_nothing_is_written(self):
        run = self.store(b"q\n4\n5\n", period="2021", indicator="kc_place_to_liv")
        self.assertEqual(run.status, OutcomeImportRun.Status.REJECTED)
        self.assertEqual([p["code"] for p in run.report["problems"]], ["wellbeing.E005"])
        self.assertIn("Did you mean kc_place_to_live?", run.report["problems"][0]["message"])
        self.assertFalse(OutcomeValue.objects.exists())


class ProgrammeIndicatorTests(OutcomesTestCase):
    def test_a_programme_adds_its_own_indicator_and_imports_it(self):
        yaml_text = (
            "indicators:\n  - {code: tree_cover, name: Tree canopy cover, dimension: environment,"
            " unit: percent, direction: 1, source: City survey, rescale: share}\n"
        )
        added = services.indicators_add(
            actor=self.world.admin,
            programme=self.world.programme,
            filename="ours.yaml",
            content=yaml_text.encode(),
        )
        self.assertEqual([i.code for i in added], ["tree_cover"])
        run = services.outcomes_import(
            actor=self.world.admin,
            programme=self.world.programme,
            filename="trees.csv",
            content=b"city,country,year,tree_cover\nVienna,AT,2022,28.5\n",
            indicator="tree_cover",
        )
        self.assertEqual(run.status, OutcomeImportRun.Status.APPLIED, run.report.get("problems"))
        self.assertEqual(OutcomeValue.objects.get(indicator__code="tree_cover").index_points, 28.5)
        self.assertTrue(OutcomeIndicator.objects.filter(code="satis_city", programme=None).exists())


class PermissionTests(OutcomesTestCase):
    def test_only_programme_admins_import_confirm_and_start(self):
        w = self.world
        for user in (w.reviewer, w.respondent_a, w.outsider, AnonymousUser()):
            with self.subTest(user=str(user)):
                with self.assertRaises(PermissionDenied):
                    self.import_eu(actor=user)
                with self.assertRaises(PermissionDenied):
                    services.mappings_confirm(
                        actor=user, programme=w.programme, confirmed={("Lefkosia", ""): ""}
                    )
                with self.assertRaises(PermissionDenied):
                    analysis_start(actor=user, wave=w.wave)
        self.assertEqual(OutcomeImportRun.objects.count(), 0)
        self.assertEqual(self.import_eu(actor=SYSTEM).status, OutcomeImportRun.Status.REJECTED)
