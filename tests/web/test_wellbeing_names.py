"""Confirmed names stay in their region: "none of ours" never drops a same-named city elsewhere.

Issue 8 item 3, on real rows (fixture slices) against the demo's 51 US cities: Kansas City, Portland,
Columbus and Rochester exist in two states each; the demo has the Missouri, Oregon, Ohio and New York
ones.
"""

from __future__ import annotations

from pathlib import Path

from django.test import TestCase

from civicmeter.demo.cities import demo_cities
from civicmeter.testing import make_city, make_world
from civicmeter.web.wellbeing import services
from civicmeter.web.wellbeing.forms import NONE_OF_OURS, ConfirmNamesForm
from civicmeter.web.wellbeing.models import CityNameMapping, OutcomeImportRun, OutcomeValue

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
ACS = FIXTURES / "us-acs-median-income" / "acs1y_same_names_2023_slice.csv"
CHDB = FIXTURES / "us-city-health-dashboard-subset" / "features_rochester_slice.csv"
SAME_NAMED = {"kansas-city-us", "portland-us", "columbus-us", "rochester-us"}


class ScopedConfirmationTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = make_world()
        for facts in demo_cities():
            if facts.country == "US":
                make_city(facts.name, facts.country, region=facts.region, slug=facts.slug)

    def import_acs(self, confirmed=None):
        return services.outcomes_import(
            actor=self.world.admin,
            programme=self.world.programme,
            filename=ACS.name,
            content=ACS.read_bytes(),
            indicator="median_household_income",
            country="US",
            confirmed=confirmed,
        )

    def stored_slugs(self) -> set[str]:
        return set(OutcomeValue.objects.values_list("city__slug", flat=True))

    def test_none_of_ours_chosen_on_the_web_keeps_the_same_named_demo_cities(self):
        refused = self.import_acs()
        self.assertEqual(refused.status, OutcomeImportRun.Status.REJECTED)
        names = [*refused.report["matching"]["unmatched"], *refused.report["matching"]["ambiguous"]]
        regions = sorted(n["region"] for n in names)
        self.assertEqual(regions, ["Georgia", "Kansas", "Maine", "Minnesota"])
        form = ConfirmNamesForm({f"name_{i}": NONE_OF_OURS for i in range(len(names))}, names=names)
        self.assertTrue(form.is_valid(), form.errors)
        applied = services.outcomes_import_again(
            actor=self.world.admin, run=refused, confirmed=form.confirmed()
        )
        self.assertEqual(applied.status, OutcomeImportRun.Status.APPLIED, applied.report.get("problems"))
        self.assertLessEqual(SAME_NAMED, self.stored_slugs())
        self.assertIn(
            "Rochester city, Minnesota", CityNameMapping.objects.values_list("source_name", flat=True)
        )
        # the saved choices are scoped: the next import of the same names matches them again
        again = self.import_acs()
        self.assertEqual(again.status, OutcomeImportRun.Status.APPLIED)
        self.assertEqual(again.unchanged, applied.inserted)

    def test_an_explicit_city_row_wins_over_a_bare_none_of_ours(self):
        confirmed = {
            ("Kansas City city", "US"): "",
            ("Kansas City city, Missouri", "US"): "kansas-city-us",
            ("Portland city", "US"): "",
            ("Columbus city", "US"): "",
            ("Rochester city", "US"): "",
        }
        run = self.import_acs(confirmed)
        self.assertEqual(run.status, OutcomeImportRun.Status.APPLIED, run.report.get("problems"))
        self.assertLessEqual(SAME_NAMED, self.stored_slugs())
        skipped = run.report["matching"]["skipped"]
        self.assertIn("Rochester city (Minnesota, US)", skipped)
        self.assertNotIn("Rochester city (New York, US)", skipped)

    def test_city_health_dashboard_keeps_rochester_new_york(self):
        run = services.outcomes_import(
            actor=self.world.admin,
            programme=self.world.programme,
            filename=CHDB.name,
            content=CHDB.read_bytes(),
            period="CHDB-v14",
            country="US",
            confirmed={("Rochester", "US"): "", ("Birmingham, AL", "US"): ""},
        )
        self.assertEqual(run.status, OutcomeImportRun.Status.APPLIED, run.report.get("problems"))
        self.assertIn("rochester-us", self.stored_slugs())
        self.assertEqual(run.report["matching"]["skipped"], ["Birmingham (AL, US)", "Rochester (MN, US)"])
