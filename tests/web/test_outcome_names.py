"""``civicmeter outcomes confirm FILE``: names of outcome files confirmed once, all or nothing, through
``mappings_confirm``; a later import matches them."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.test import TestCase
from typer.testing import CliRunner

from civicmeter.cli import app
from civicmeter.testing import make_world
from civicmeter.web.wellbeing.models import CityNameMapping
from civicmeter.web.wellbeing.services import mappings_confirm


def confirm(text: str):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "names.csv"
        path.write_text(text, encoding="utf-8")
        return CliRunner().invoke(app, ["outcomes", "confirm", str(path), "--programme", "test"])


class ConfirmNamesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = make_world()

    def test_the_command_records_each_name_and_none_of_ours(self):
        result = confirm(
            "source_name,country,city_slug,note\nBaltimore City,US,baltimore-us,\nBialystok,PL,,\n"
        )
        self.assertEqual(result.exit_code, 0, result.output)
        self.assertIn("Confirmed 2 names in test", result.output)
        mappings = {m.source_name: (m.country, m.city and m.city.slug) for m in CityNameMapping.objects.all()}
        self.assertEqual(mappings, {"Baltimore City": ("US", "baltimore-us"), "Bialystok": ("PL", None)})

    def test_an_unknown_city_refuses_the_whole_file(self):
        result = confirm(
            "source_name,country,city_slug\nBaltimore City,US,baltimore-us\nLefkosia,CY,nicosia-cy\n"
        )
        self.assertEqual(result.exit_code, 2)
        self.assertIn("wellbeing.E003", " ".join(result.output.split()))
        self.assertIn("nicosia-cy", result.output)
        self.assertFalse(CityNameMapping.objects.exists())

    def test_only_programme_admins_confirm(self):
        with self.assertRaises(PermissionDenied):
            mappings_confirm(
                actor=self.world.reviewer, programme=self.world.programme, confirmed={("X", ""): ""}
            )
