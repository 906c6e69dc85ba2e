"""The outcomes and analysis pages through real requests: who sees what, upload, confirm, run."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from civicmeter.testing import login
from civicmeter.web.wellbeing.models import AnalysisRun, OutcomeImportRun, OutcomeValue

from .test_wellbeing import EU_QOL, OutcomesTestCase
from .test_wellbeing_analysis import AnalysisTestCase


class OutcomesPageTests(OutcomesTestCase):
    def url(self) -> str:
        return reverse("wellbeing:outcomes", args=[self.world.programme.slug])

    def test_staff_see_the_page_respondents_and_strangers_do_not(self):
        w = self.world
        self.assertEqual(self.client.get(self.url()).status_code, 302)
        for user, status in ((w.admin, 200), (w.reviewer, 200), (w.respondent_a, 404), (w.outsider, 404)):
            with self.subTest(user=user.username):
                login(self.client, user)
                self.assertEqual(self.client.get(self.url()).status_code, status)

    def test_reviewers_cannot_upload(self):
        login(self.client, self.world.reviewer)
        upload = SimpleUploadedFile(EU_QOL.name, EU_QOL.read_bytes(), content_type="text/csv")
        response = self.client.post(self.url(), {"file": upload, "period": "2023"})
        self.assertEqual(response.status_code, 403)
        self.assertEqual(OutcomeImportRun.objects.count(), 0)

    def test_upload_lists_unmatched_names_and_confirming_imports_the_file(self):
        login(self.client, self.world.admin)
        upload = SimpleUploadedFile(EU_QOL.name, EU_QOL.read_bytes(), content_type="text/csv")
        response = self.client.post(self.url(), {"file": upload, "period": "2023"}, follow=True)
        self.assertContains(response, "Not imported: 2 problems. Nothing was written.")
        self.assertContains(response, "Lefkosia")
        self.assertContains(response, "None of our cities")
        run = OutcomeImportRun.objects.get()
        names = [e["name"] for e in [*run.report["matching"]["unmatched"]]]
        choices = {f"name_{i}": "-" for i in range(len(names))}
        response = self.client.post(
            reverse("wellbeing:import", args=[self.world.programme.slug, run.pk]),
            choices,
            follow=True,
        )
        self.assertContains(response, "Imported: 54 values inserted, 0 updated, 0 unchanged.")
        self.assertEqual(OutcomeValue.objects.count(), 54)
        page = self.client.get(self.url())
        self.assertContains(page, "Satisfied with the city as a place to live")


class AnalysisPageTests(AnalysisTestCase):
    def url(self, name="wellbeing:analysis", *extra) -> str:
        return reverse(name, args=[self.world.programme.slug, self.world.wave.code, *extra])

    def test_the_dashboard_links_the_analysis(self):
        login(self.client, self.world.reviewer)
        dashboard = reverse("collection:dashboard", args=[self.world.programme.slug, self.world.wave.code])
        self.assertContains(self.client.get(dashboard), self.url())

    def test_start_runs_and_the_page_shows_the_report_frame_and_downloads(self):
        self.prepare()
        login(self.client, self.world.admin)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(self.url("wellbeing:analysis_start"))
        self.assertRedirects(response, self.url())
        run = AnalysisRun.objects.get()
        self.assertEqual(run.status, AnalysisRun.Status.DONE, run.error)
        page = self.client.get(self.url())
        report_url = self.url("wellbeing:report", run.pk)
        self.assertContains(page, f'src="{report_url}" sandbox')
        self.assertContains(page, "synthetic")
        self.assertContains(page, self.url("wellbeing:table", run.pk, "comparison_psi_class"))
        report = self.client.get(report_url)
        self.assertIn("sandbox", report["Content-Security-Policy"])
        self.assertEqual(report["X-Frame-Options"], "SAMEORIGIN")
        self.assertContains(report, "95% CI")
        table = self.client.get(self.url("wellbeing:table", run.pk, "comparison_psi_class"))
        self.assertTrue(table.content.decode().startswith("table,sample,outcome"))

    def test_a_queued_run_polls_every_two_seconds(self):
        self.prepare()
        run = AnalysisRun.objects.create(wave=self.world.wave, message="Waiting")
        login(self.client, self.world.reviewer)
        fragment = self.client.get(self.url("wellbeing:progress", run.pk))
        self.assertContains(fragment, 'hx-trigger="every 2s"')
        self.assertNotContains(fragment, "Run the analysis again")
        self.assertEqual(self.client.get(self.url("wellbeing:report", run.pk)).status_code, 404)

    def test_reviewers_cannot_start_and_respondents_cannot_see(self):
        self.prepare()
        login(self.client, self.world.reviewer)
        self.assertEqual(self.client.post(self.url("wellbeing:analysis_start")).status_code, 403)
        login(self.client, self.world.respondent_a)
        self.assertEqual(self.client.get(self.url()).status_code, 404)
        self.assertEqual(AnalysisRun.objects.count(), 0)

    def test_a_wave_without_scores_says_what_to_do(self):
        self.prepare(scores=False)
        login(self.client, self.world.admin)
        response = self.client.post(self.url("wellbeing:analysis_start"), follow=True)
        self.assertContains(response, "has no PSI scores yet. Compute them first")


class IndicatorUploadTests(OutcomesTestCase):
    CATALOGUE = (
        b"indicators:\n  - {code: tree_cover, name: Tree canopy cover, dimension: environment,"
        b" unit: percent, direction: 1, source: City survey, rescale: share}\n"
    )

    def url(self) -> str:
        return reverse("wellbeing:indicators_add", args=[self.world.programme.slug])

    def test_admin_adds_indicators_from_the_page(self):
        login(self.client, self.world.admin)
        upload = SimpleUploadedFile("ours.yaml", self.CATALOGUE, content_type="application/yaml")
        response = self.client.post(self.url(), {"file": upload}, follow=True)
        self.assertContains(response, "Added 1 indicator(s): tree_cover.")

    def test_a_bad_catalogue_is_refused_with_its_problems_and_nothing_is_added(self):
        login(self.client, self.world.admin)
        bad = SimpleUploadedFile("bad.yaml", self.CATALOGUE.replace(b"environment", b"weather"))
        response = self.client.post(self.url(), {"file": bad}, follow=True)
        self.assertContains(response, "outcomes.E004")
        latin1 = SimpleUploadedFile("latin.yaml", "name: Café\n".encode("latin-1") + b"\xff")
        response = self.client.post(self.url(), {"file": latin1}, follow=True)
        self.assertContains(response, "the catalogue is not UTF-8 text; save it as UTF-8.")

    def test_a_catalogue_above_the_yaml_limit_is_refused_by_its_size(self):
        login(self.client, self.world.admin)
        upload = SimpleUploadedFile("ours.yaml", self.CATALOGUE)
        with self.settings(CIVICMETER_MAX_YAML_BYTES=100):
            response = self.client.post(self.url(), {"file": upload}, follow=True)
        refusal = "ours.yaml is 150\xa0bytes, above the 100\xa0bytes limit for YAML files"
        self.assertContains(response, refusal)
        self.assertNotContains(response, "Added 1 indicator")

    def test_reviewers_cannot_add_indicators(self):
        login(self.client, self.world.reviewer)
        upload = SimpleUploadedFile("ours.yaml", self.CATALOGUE)
        self.assertEqual(self.client.post(self.url(), {"file": upload}).status_code, 403)


class IndicatorCommandTests(OutcomesTestCase):
    def test_the_cli_adds_indicators_and_names_problems(self):
        import tempfile
        from pathlib import Path

        from typer.testing import CliRunner

        from civicmeter.cli import app

        with tempfile.TemporaryDirectory() as folder:
            good = Path(folder) / "ours.yaml"
            good.write_bytes(IndicatorUploadTests.CATALOGUE)
            result = CliRunner().invoke(app, ["outcomes", "add-indicators", str(good)])
            self.assertEqual(result.exit_code, 0, result.output)
            self.assertIn("Added 1 indicator(s): tree_cover", result.output)
            again = CliRunner().invoke(app, ["outcomes", "add-indicators", str(good)])
            self.assertEqual(again.exit_code, 2)
            self.assertIn("outcomes.E005", again.output)
