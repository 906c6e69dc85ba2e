"""The Data Package of a published wave validates with the ``frictionless`` tool, and
``write_datapackage`` (what ``civicmeter publish`` calls) refuses a wave that is not published."""

from __future__ import annotations

import json
import subprocess
import sys

from django.test import TestCase

from civicmeter.testing import make_published_world
from civicmeter.web.accounts.permissions import SYSTEM
from civicmeter.web.api.datapackage import NotPublished, write_datapackage
from civicmeter.web.programmes import services as programme_services


class DataPackageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = make_published_world()

    def test_frictionless_validate_accepts_the_package(self):
        import tempfile
        from pathlib import Path

        with tempfile.TemporaryDirectory() as folder:
            descriptor = write_datapackage(self.world.wave, Path(folder) / "package")
            self.assertEqual(
                sorted(p.name for p in descriptor.parent.iterdir()),
                ["cities.csv", "datapackage.json", "results.csv", "shares.csv"],
            )
            checked = subprocess.run(
                [sys.executable, "-m", "frictionless", "validate", "--json", str(descriptor)],
                capture_output=True,
                text=True,
                timeout=300,
            )
        report = json.loads(checked.stdout)
        self.assertTrue(report["valid"], json.dumps(report["tasks"], indent=1)[:3000])
        self.assertEqual([task["name"] for task in report["tasks"]], ["cities", "results", "shares"])
        self.assertEqual(checked.returncode, 0)

    def test_a_wave_that_is_not_published_has_no_package(self):
        programme_services.wave_unpublish(actor=SYSTEM, wave=self.world.wave)
        with self.assertRaisesMessage(NotPublished, "wave 2020 of test is not published"):
            write_datapackage(self.world.wave, "unused")
