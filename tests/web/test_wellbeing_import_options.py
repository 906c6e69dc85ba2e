"""Outcome import options: --source and --sheet, re-imports, skipping names that are none of ours,
the unmatched names as a CSV to edit, upload limits and files that are not what their name says.

Issue 8 item 4 and issue 7 items 7, 9, 10 for outcome files.
"""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

import pandas as pd
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase, override_settings
from django.urls import reverse
from typer.testing import CliRunner

from civicmeter.cli import app
from civicmeter.outcomes import ImportSpec, read_confirmed
from civicmeter.testing import EU_QOL_CITIES, make_cities, make_world
from civicmeter.web.wellbeing import services
from civicmeter.web.wellbeing.models import CityNameMapping, OutcomeImportRun, OutcomeValue

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
EU_QOL = FIXTURES / "eu-qol-2023" / "qol2023_city_indicators_long_slice.csv"
SOURCE = "European Commission, DG REGIO, Quality of Life in European Cities 2023"
NOT_OURS = {("Białystok", ""): "", ("Lefkosia", ""): ""}


class ImportOptionTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = make_world()
        make_cities(EU_QOL_CITIES)

    def run_import(self, content=None, filename=EU_QOL.name, **options):
        confirmed = options.pop("confirmed", NOT_OURS)
        skip_unmatched = options.pop("skip_unmatched", False)
        return services.outcomes_import(
            actor=self.world.admin,
            programme=self.world.programme,
            filename=filename,
            content=EU_QOL.read_bytes() if content is None else content,
            spec=ImportSpec(**{"period": "2023", **options}),
            confirmed=confirmed,
            skip_unmatched=skip_unmatched,
        )

    def cli(self, *arguments):
        return CliRunner().invoke(app, ["outcomes", "import", *map(str, arguments)])

    def test_reimport_from_the_shell_with_the_demo_source_is_unchanged(self):
        first = self.run_import(source=SOURCE)
        count = OutcomeValue.objects.count()
        result = self.cli(EU_QOL, "--period", "2023", "--source", SOURCE)
        self.assertEqual(result.exit_code, 0, result.output)
        self.assertIn(f"0 inserted, 0 updated, {first.inserted} unchanged", result.output)
        self.assertEqual(OutcomeValue.objects.count(), count)

    def test_the_same_file_under_another_source_says_so(self):
        self.run_import(source=SOURCE)
        again = self.run_import()
        self.assertIn("this file was applied before", " ".join(again.report["matching"]["notes"]))
        self.assertIn("Pass the same --source", again.report["matching"]["text"])

    def test_sheet_option_reads_the_named_sheet(self):
        path = Path(self.enterContext(tempfile.TemporaryDirectory())) / "qol.xlsx"
        with pd.ExcelWriter(path) as writer:
            pd.DataFrame({"about": ["cover page"]}).to_excel(writer, sheet_name="About", index=False)
            pd.read_csv(EU_QOL, dtype=str).to_excel(writer, sheet_name="Data", index=False)
        run = self.run_import(path.read_bytes(), filename="qol.xlsx", sheet="Data")
        self.assertEqual(run.status, OutcomeImportRun.Status.APPLIED, run.report.get("problems"))
        result = self.cli(path, "--period", "2023", "--sheet", "Dta")
        self.assertEqual(result.exit_code, 2, result.output)
        self.assertIn("[outcomes.E015]", result.output)
        self.assertIn("'About', 'Data'", result.output)

    def test_skip_unmatched_leaves_out_and_lists_names_without_saving_them(self):
        run = self.run_import(confirmed=None, skip_unmatched=True)
        self.assertEqual(run.status, OutcomeImportRun.Status.APPLIED, run.report.get("problems"))
        self.assertEqual(run.report["matching"]["not_ours"], ["Białystok", "Lefkosia"])
        self.assertEqual(CityNameMapping.objects.count(), 0)
        self.assertEqual(run.options["skip_unmatched"], True)

    def test_unmatched_names_are_written_as_a_csv_ready_to_confirm(self):
        out = Path(self.enterContext(tempfile.TemporaryDirectory())) / "names.csv"
        result = self.cli(EU_QOL, "--period", "2023", "--write-unmatched", out)
        self.assertEqual(result.exit_code, 2, result.output)
        rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
        self.assertEqual([r["source_name"] for r in rows], ["Białystok", "Lefkosia"])
        self.assertTrue(all(r["note"] for r in rows))
        # candidate cities are filled where one is near; the user edits, then passes it back
        edited = {(r["source_name"], r["country"]): "" for r in rows}
        self.assertEqual(read_confirmed(out).keys(), edited.keys())
        out.write_text("source_name,country,city_slug,note\nBiałystok,,,\nLefkosia,,,\n", encoding="utf-8")
        again = self.cli(EU_QOL, "--period", "2023", "--confirm-mapping", out)
        self.assertEqual(again.exit_code, 0, again.output)

    @override_settings(CIVICMETER_MAX_UPLOAD_BYTES=1000)
    def test_an_upload_over_the_limit_is_refused_and_not_stored(self):
        run = self.run_import()
        self.assertEqual(run.status, OutcomeImportRun.Status.REJECTED)
        self.assertEqual([p["code"] for p in run.report["problems"]], ["wellbeing.E006"])
        self.assertIn("CIVICMETER_MAX_UPLOAD_BYTES", run.report["problems"][0]["message"])
        self.assertEqual(bytes(run.content), b"")
        self.client.force_login(self.world.admin)
        url = reverse("wellbeing:outcomes", args=[self.world.programme.slug])
        upload = SimpleUploadedFile("qol.csv", EU_QOL.read_bytes())
        response = self.client.post(url, {"file": upload, "period": "2023"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "qol.csv is 4.5\xa0KB, above the 1000\xa0bytes limit for imports")
        self.assertEqual(OutcomeImportRun.objects.count(), 1)

    def test_a_png_named_xlsx_is_named_as_such_on_the_web_and_in_the_shell(self):
        png = b"\x89PNG\r\n\x1a\n" + bytes(200)
        run = self.run_import(png, filename="table.xlsx")
        self.assertEqual([p["code"] for p in run.report["problems"]], ["outcomes.E014"])
        self.assertIn("not an Excel workbook", run.report["problems"][0]["message"])
        self.assertIn("a PNG image", run.report["problems"][0]["message"])
        self.assertEqual(bytes(run.content), b"")
        self.client.force_login(self.world.admin)
        url = reverse("wellbeing:outcomes", args=[self.world.programme.slug])
        response = self.client.post(
            url, {"file": SimpleUploadedFile("t.xlsx", png), "period": "2023"}, follow=True
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "not an Excel workbook")
        path = Path(self.enterContext(tempfile.TemporaryDirectory())) / "t.xlsx"
        path.write_bytes(b"City,Year\nBrussels,2023\n")
        result = CliRunner().invoke(app, ["outcomes", "check", str(path)])
        self.assertEqual(result.exit_code, 2, result.output)
        self.assertIn("looks like text (perhaps a CSV)", result.output)
        self.assertNotIn("Traceback", result.output)

    def test_utf16_with_bom_is_detected(self):
        text = EU_QOL.read_text(encoding="utf-8")
        run = self.run_import(text.encode("utf-16"), filename="qol-utf16.csv")
        self.assertEqual(run.status, OutcomeImportRun.Status.APPLIED, run.report.get("problems"))
        self.assertEqual(run.report["reading"]["rows_kept"], 8 * 9)
