"""Setting up a programme from the command line, through the services the demo loader uses:
``programme create``, ``cities import``, ``members add``, ``instrument register`` and ``wave create``."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.test import TestCase
from typer.testing import CliRunner

from civicmeter.cli import app
from civicmeter.testing import make_world
from civicmeter.web.accounts.models import Role
from civicmeter.web.programmes import services
from civicmeter.web.programmes.instrument_cache import SHIPPED_DIR
from civicmeter.web.programmes.models import City, Programme, Wave

CITIES = (
    "name,country,region,population,population_year,latitude,longitude,mayor\n"
    'Bilbao,ES,Basque Country,"345,122",2016,43.26,-2.93,Juan Mari Aburto\n'
    "Tempe,us,Arizona,185038,2018,33.41,-111.94,\n"
)


def invoke(*args: str, files: dict[str, str] | None = None):
    with tempfile.TemporaryDirectory() as tmp:
        paths = {}
        for name, text in (files or {}).items():
            paths[name] = Path(tmp) / name
            paths[name].write_text(text, encoding="utf-8")
        return CliRunner().invoke(app, [str(paths.get(a, a)) for a in args])


class ProgrammeSetupTests(TestCase):
    def test_a_programme_from_nothing(self):
        result = invoke("programme", "create", "--slug", "net", "--name", "City network")
        self.assertEqual(result.exit_code, 0, result.output)
        result = invoke("cities", "import", "cities.csv", files={"cities.csv": CITIES})
        self.assertEqual(result.exit_code, 0, result.output)
        self.assertIn("Imported 2 cities from cities.csv", result.output)
        bilbao = City.objects.get(slug="bilbao-es")
        self.assertEqual(
            (bilbao.population, bilbao.population_year, bilbao.region, bilbao.mayor),
            (345_122, 2016, "Basque Country", "Juan Mari Aburto"),
        )
        self.assertEqual(City.objects.get(slug="tempe-us").country, "US")
        members = (
            "username,email,role,city\n"
            "ana,ana@net.example,admin,\n"
            "tempe,t@tempe.example,respondent,tempe-us\n"
        )
        result = invoke("members", "add", "members.csv", "--programme", "net", files={"members.csv": members})
        self.assertEqual(result.exit_code, 0, result.output)
        tempe = get_user_model().objects.get(username="tempe")
        self.assertFalse(tempe.has_usable_password())
        self.assertTrue(Role.objects.filter(user=tempe, kind="respondent", city__slug="tempe-us").exists())
        result = invoke("instrument", "register", str(SHIPPED_DIR / "innovation-capacity.xlsx"))
        self.assertEqual(result.exit_code, 0, result.output)
        self.assertIn("Registered innovation_capacity version", result.output)
        result = invoke(
            "wave", "create", "--programme", "net", "--code", "2022", "--instrument", "innovation_capacity",
            "--status", "open", "--opens", "2022-03-01", "--closes", "2022-09-30",
        )  # fmt: skip
        self.assertEqual(result.exit_code, 0, result.output)
        wave = Wave.objects.get(programme__slug="net", code="2022")
        self.assertEqual(
            (wave.status, str(wave.opens_on), str(wave.closes_on)), ("open", "2022-03-01", "2022-09-30")
        )

    def test_importing_the_same_cities_again_changes_nothing_and_bad_rows_are_all_reported(self):
        invoke("cities", "import", "cities.csv", files={"cities.csv": CITIES})
        self.assertEqual(invoke("cities", "import", "c.csv", files={"c.csv": CITIES}).exit_code, 0)
        self.assertEqual(City.objects.count(), 2)
        bad = "name,country,population\nLima,PER,abc\n,ES,\nLima,PE,1\n"
        result = invoke("cities", "import", "bad.csv", files={"bad.csv": bad})
        self.assertEqual(result.exit_code, 2)
        output = " ".join(result.output.split())
        self.assertIn("[city.E002] Row 2, column country: 'PER' is not a two-letter ISO country code", output)
        self.assertIn("Row 2, column population: 'abc' is not a number", output)
        self.assertIn("Row 3, column name: the cell is empty", output)
        self.assertFalse(City.objects.filter(slug="lima-pe").exists())

    def test_a_duplicate_programme_and_a_bad_member_are_refused_whole(self):
        invoke("programme", "create", "--slug", "net", "--name", "City network")
        result = invoke("programme", "create", "--slug", "net", "--name", "Again")
        self.assertEqual(result.exit_code, 2)
        self.assertIn("[programme.E001]", result.output)
        members = (
            "username,email,role,city\n"
            "ok,ok@x.example,reviewer,\n"
            "zed,z@x.example,respondent,nowhere-xx\n"
            "yo,y@x.example,boss,\n"
        )
        result = invoke("members", "add", "m.csv", "--programme", "net", files={"m.csv": members})
        self.assertEqual(result.exit_code, 2)
        self.assertIn("[programme.E003] zed: no city with the code nowhere-xx", result.output)
        self.assertIn("[programme.E005] yo: boss is not a role", result.output)
        self.assertFalse(get_user_model().objects.filter(username="ok").exists())


class SiteAdminOnlyTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = make_world()

    def test_a_programme_admin_may_not_create_programmes_cities_or_site_staff(self):
        admin = self.world.admin
        with self.assertRaises(PermissionDenied):
            services.programme_create(actor=admin, slug="mine", name="Mine")
        with self.assertRaises(PermissionDenied):
            services.cities_import(actor=admin, cities=[services.CityRecord("x-us", "X", "US")])
        staff = services.Member("boss", "b@x.example", "admin", site_staff=True)
        with self.assertRaises(PermissionDenied):
            services.members_add(actor=admin, programme=self.world.programme, members=[staff])
        self.assertFalse(Programme.objects.filter(slug="mine").exists())
        reviewer = services.Member("rev2", "r@x.example", "reviewer")
        services.members_add(actor=admin, programme=self.world.programme, members=[reviewer])
        self.assertTrue(Role.objects.filter(user__username="rev2", kind="reviewer").exists())
