"""Stored scores: computing a wave, who may do it, the results page, the dashboard and the CSV."""

from __future__ import annotations

import csv
import io
import tempfile
from datetime import timedelta
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from typer.testing import CliRunner

import civicmeter
from civicmeter.cli import app
from civicmeter.testing import (
    PSI_FULL_ANSWERS,
    PSI_MIXED_ANSWERS,
    complete_answers,
    login,
    make_city,
    make_world,
)
from civicmeter.web.accounts.permissions import SYSTEM
from civicmeter.web.collection import services as collection_services
from civicmeter.web.collection.models import Answer, Response
from civicmeter.web.programmes.instrument_cache import instrument_for
from civicmeter.web.results import selectors, services, tasks
from civicmeter.web.results.models import CityScore, ScoreRun

FULL = PSI_FULL_ANSWERS
#: 3.5 points, hand-computed in tests/scoring/test_psi.py.
MIXED = PSI_MIXED_ANSWERS
COLUMNS = [
    "city",
    "name",
    "country",
    "psi_index",
    "psi_class",
    "psi_c1",
    "psi_c2",
    "psi_c3",
    "psi_c4",
    "psi_c5",
    "psi_rank",
    "psi_rank_p5",
    "psi_rank_p95",
    "data_use_index",
    "data_use_class",
    "tier",
]


def respond(wave, city, answers: dict[str, str], status: str) -> Response:
    response = Response.objects.create(wave=wave, city=city, status=status)
    Answer.objects.bulk_create([Answer(response=response, question=q, value=v) for q, v in answers.items()])
    return response


class ResultsTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = w = make_world()
        respond(w.wave, w.city_a, FULL, Response.Status.SUBMITTED)
        respond(w.wave, w.city_b, MIXED, Response.Status.VALIDATED)
        respond(w.wave, make_city("Athens", "GR"), FULL, Response.Status.DRAFT)
        respond(w.wave, make_city("Lisbon", "PT"), FULL, Response.Status.RETURNED)
        cls.args = [w.programme.slug, w.wave.code]

    def compute(self) -> ScoreRun:
        return services.scores_compute(actor=self.world.admin, wave=self.world.wave)


class ComputeTests(ResultsTestCase):
    def test_scores_submitted_and_validated_responses_only(self):
        run = self.compute()
        self.assertEqual(run.n, 2)
        scores = {s.city.slug: s for s in run.scores.select_related("city")}
        self.assertEqual(set(scores), {"baltimore-us", "bilbao-es"})
        full, mixed = scores["baltimore-us"], scores["bilbao-es"]
        self.assertEqual((full.index, full.score_class, full.rank), (10, "high", 1))
        self.assertEqual((mixed.index, mixed.score_class, mixed.rank), (3.5, "low", 2))
        self.assertEqual([c["points"] for c in mixed.components], [0.5, 1, 0.5, 0.5, 1])
        self.assertIn(
            {
                "component": "funding",
                "item": "funding_sources",
                "label": "At least 2 funding sources",
                "points": 0.0,
                "available": 0.5,
                "reason": "s3_sources_now not asked (skipped because of an earlier answer)",
                "asked": False,
                "answer": "",
            },
            mixed.contributions,
        )
        self.assertEqual((full.rank_p5, full.rank_p95), (1, 1))

    def test_the_run_records_its_provenance(self):
        run = self.compute()
        self.assertEqual((run.recipe, run.recipe_version), ("psi-capacity", "1.0"))
        self.assertEqual(len(run.recipe_sha256), 64)
        self.assertTrue(run.code_version.startswith(civicmeter.__version__))
        self.assertEqual(run.actor, self.world.admin)
        self.assertEqual(run.instrument_version, "2020.1")
        self.assertIn("1000 runs", run.interval_method)

    def test_recomputing_adds_a_run_and_never_overwrites(self):
        first = self.compute()
        Response.objects.filter(city=self.world.city_b).update(status=Response.Status.RETURNED)
        second = self.compute()
        self.assertEqual(ScoreRun.objects.count(), 2)
        self.assertEqual(first.scores.count(), 2)
        self.assertEqual(second.n, 1)
        self.assertEqual(selectors.latest_run(self.world.wave, "psi-capacity"), second)

    def test_the_system_actor_is_recorded_as_no_user(self):
        self.assertIsNone(services.scores_compute(actor=SYSTEM, wave=self.world.wave).actor)

    def test_reviewers_and_respondents_may_not_compute(self):
        for user in (self.world.reviewer, self.world.respondent_a, self.world.outsider):
            with self.subTest(user=user.username), self.assertRaises(PermissionDenied):
                services.scores_compute(actor=user, wave=self.world.wave)
        self.assertFalse(ScoreRun.objects.exists())


class PageTests(ResultsTestCase):
    def test_the_results_page_shows_n_and_the_recipe_version(self):
        self.compute()
        login(self.client, self.world.reviewer)
        http = self.client.get(reverse("results:wave", args=self.args))
        self.assertContains(http, "PSI capacity index, recipe version 1.0, n = 2 cities")
        self.assertContains(http, "instrument version 2020.1")
        self.assertContains(http, "Baltimore")
        self.assertContains(http, reverse("results:city", args=[*self.args, "bilbao-es"]))
        self.assertNotContains(http, "Compute scores now</button>")

    def test_admins_compute_from_the_page(self):
        login(self.client, self.world.admin)
        page = self.client.get(reverse("results:wave", args=self.args))
        self.assertContains(page, "No scores yet for this wave.")
        self.assertContains(page, "Compute scores now</button>")
        http = self.client.post(reverse("results:compute", args=self.args), follow=True)
        self.assertRedirects(http, reverse("results:wave", args=self.args))
        self.assertContains(http, "Scored 2 cities with psi-capacity version 1.0.")
        self.assertEqual(CityScore.objects.count(), 2)

    def test_reviewer_gets_403_and_respondent_404_on_compute(self):
        url = reverse("results:compute", args=self.args)
        login(self.client, self.world.reviewer)
        self.assertEqual(self.client.post(url).status_code, 403)
        login(self.client, self.world.respondent_a)
        self.assertEqual(self.client.post(url).status_code, 404)
        self.assertEqual(self.client.get(reverse("results:wave", args=self.args)).status_code, 404)
        self.assertFalse(ScoreRun.objects.exists())

    def test_anonymous_users_are_sent_to_sign_in(self):
        http = self.client.get(reverse("results:wave", args=self.args))
        self.assertEqual(http.status_code, 302)
        self.assertIn(reverse("accounts:login"), http["Location"])

    def test_the_dashboard_summarises_the_results_and_links_to_the_table(self):
        self.compute()
        login(self.client, self.world.admin)
        http = self.client.get(reverse("collection:dashboard", args=self.args))
        self.assertContains(http, 'id="results-heading"')
        self.assertContains(http, reverse("results:wave", args=self.args))
        self.assertContains(http, "Classes: high 1, low 1.")
        self.assertNotContains(http, "PSI index (0-10)")  # the table has its own page


class ExportTests(ResultsTestCase):
    def rows(self, text: str) -> list[dict[str, str]]:
        reader = csv.DictReader(io.StringIO(text))
        self.assertEqual(reader.fieldnames, COLUMNS)
        return list(reader)

    def test_csv_columns_and_values(self):
        self.compute()
        login(self.client, self.world.reviewer)
        http = self.client.get(reverse("results:export", args=self.args))
        self.assertEqual(http["Content-Type"], "text/csv; charset=utf-8")
        rows = self.rows(http.content.decode())
        self.assertEqual(
            rows[0],
            {
                "city": "baltimore-us",
                "name": "Baltimore",
                "country": "US",
                "psi_index": "10",
                "psi_class": "high",
                "psi_c1": "2",
                "psi_c2": "2",
                "psi_c3": "2",
                "psi_c4": "2",
                "psi_c5": "2",
                "psi_rank": "1",
                "psi_rank_p5": "1",
                "psi_rank_p95": "1",
                "data_use_index": "",
                "data_use_class": "",
                "tier": "",
            },
        )
        self.assertEqual((rows[1]["city"], rows[1]["psi_index"]), ("bilbao-es", "3.5"))

    def test_cli_score_and_export(self):
        runner = CliRunner()
        scored = runner.invoke(app, ["score", "--wave", "2020", "--programme", "test"])
        self.assertEqual(scored.exit_code, 0, scored.output)
        self.assertIn("test 2020: scored 2 cities with psi-capacity 1.0", scored.output)
        self.assertIn("classes: high 1 (50%), low 1 (50%)", scored.output)
        with tempfile.TemporaryDirectory() as folder:
            out = Path(folder) / "results.csv"
            exported = runner.invoke(app, ["results", "export", "--wave", "2020", "--out", str(out)])
            self.assertEqual(exported.exit_code, 0, exported.output)
            self.assertEqual(len(self.rows(out.read_text(encoding="utf-8"))), 2)

    def test_cli_names_an_unknown_wave(self):
        result = CliRunner().invoke(app, ["score", "--wave", "1999"])
        self.assertEqual(result.exit_code, 2)
        self.assertIn("no wave '1999'; check the code (and --programme)", result.output)


class WhyTests(ResultsTestCase):
    """ "Why X scored this": the question and the scored answer in words, in the reader's language."""

    def test_each_item_shows_the_question_and_the_answer_label(self):
        self.compute()
        login(self.client, self.world.reviewer)
        http = self.client.get(reverse("results:city", args=[*self.args, "bilbao-es"]))
        self.assertContains(http, "Why Bilbao scored this")
        self.assertContains(http, "How does the team work with the rest of the administration?")
        self.assertContains(http, "With some departments")
        self.assertContains(http, "Needs: Embedded across the administration.")
        self.assertContains(http, "Not asked: an earlier answer skipped this question.")
        self.assertNotContains(http, "some_departments")
        self.assertNotContains(http, "s2_integration")

    def test_in_spanish_the_texts_are_spanish(self):
        self.compute()
        login(self.client, self.world.reviewer)
        self.client.cookies["django_language"] = "es"
        http = self.client.get(reverse("results:city", args=[*self.args, "bilbao-es"]))
        self.assertContains(http, "¿Cómo trabaja el equipo con el resto de la administración?")
        self.assertContains(http, "Con algunos departamentos")

    def test_the_answer_shown_is_the_one_scored(self):
        self.compute()
        response = Response.objects.get(wave=self.world.wave, city=self.world.city_b)
        Answer.objects.filter(response=response, question="s2_integration").update(value="embedded")
        login(self.client, self.world.reviewer)
        http = self.client.get(reverse("results:city", args=[*self.args, "bilbao-es"]))
        self.assertContains(http, "With some departments")

    def test_an_unscored_city_and_outsiders_get_404(self):
        self.compute()
        login(self.client, self.world.reviewer)
        self.assertEqual(
            self.client.get(reverse("results:city", args=[*self.args, "athens-gr"])).status_code, 404
        )
        login(self.client, self.world.respondent_a)
        url = reverse("results:city", args=[*self.args, "baltimore-us"])
        self.assertEqual(self.client.get(url).status_code, 404)


class TiedRankTests(TestCase):
    """Tied cities share the best rank of their group, and the page says which positions they cover."""

    def test_a_tie_is_shown_with_its_positions_and_explained(self):
        world = make_world()
        for k in range(4):
            respond(world.wave, make_city(f"Tie {k}", "ZZ"), MIXED, Response.Status.SUBMITTED)
        respond(world.wave, world.city_a, FULL, Response.Status.SUBMITTED)
        services.scores_compute(actor=SYSTEM, wave=world.wave)
        login(self.client, world.admin)
        http = self.client.get(reverse("results:wave", args=[world.programme.slug, world.wave.code]))
        self.assertContains(http, "4 cities tie here and share positions 2–5")
        self.assertContains(http, "2=</abbr>")
        self.assertContains(http, "no longer tie, so a tied city's interval can lie below its shared rank")
        tied = [row for row in http.context["rows"] if row.psi.rank == 2]
        self.assertEqual([row.text["last"] for row in tied], [5, 5, 5, 5])


class BackgroundScoringTests(TestCase):
    """New submissions are scored without anyone pressing "Compute scores"."""

    @classmethod
    def setUpTestData(cls):
        cls.world = make_world()
        instrument = instrument_for(cls.world.wave.instrument)
        cls.draft = respond(cls.world.wave, cls.world.city_a, complete_answers(instrument, FULL), "draft")

    def submit(self):
        with self.captureOnCommitCallbacks(execute=True):
            collection_services.response_submit(actor=self.world.respondent_a, response=self.draft)

    def test_a_submission_is_scored_in_the_background(self):
        self.assertFalse(ScoreRun.objects.exists())
        self.submit()
        run = ScoreRun.objects.get()
        self.assertEqual((run.n, run.actor), (1, None))

    def test_a_return_rescores_without_the_returned_city(self):
        self.submit()
        with self.captureOnCommitCallbacks(execute=True):
            collection_services.response_return(actor=self.world.admin, response=self.draft, note="Fix it.")
        self.assertEqual(ScoreRun.objects.count(), 1)  # nothing left to score: the run stands
        self.assertTrue(selectors.scores_pending(ScoreRun.objects.get()))

    def test_one_transaction_queues_one_scoring_per_wave(self):
        other = respond(self.world.wave, self.world.city_b, MIXED, Response.Status.DRAFT)
        with self.captureOnCommitCallbacks(execute=False) as callbacks:
            for response in (self.draft, other):
                Response.objects.filter(pk=response.pk).update(status=Response.Status.SUBMITTED)
                response.refresh_from_db()
                response.save(update_fields=["status"])
        self.assertEqual(len(callbacks), 1)

    def test_a_task_finding_nothing_new_does_nothing(self):
        self.submit()
        tasks.score_wave.call(self.world.wave.pk)
        self.assertEqual(ScoreRun.objects.count(), 1)

    def test_the_page_says_when_scores_were_computed_and_when_newer_answers_wait(self):
        self.submit()
        run = ScoreRun.objects.get()
        login(self.client, self.world.admin)
        url = reverse("results:wave", args=[self.world.programme.slug, self.world.wave.code])
        page = self.client.get(url)
        self.assertContains(page, f"computed {run.created_at:%Y-%m-%d %H:%M}")
        self.assertContains(page, "recomputed in the background after every submission")
        self.assertNotContains(page, "Newer answers are being scored now")
        Response.objects.filter(pk=self.draft.pk).update(
            last_activity_at=run.created_at + timedelta(seconds=1)
        )
        self.assertContains(self.client.get(url), "Newer answers are being scored now")


class ResultsQueryBoundTests(TestCase):
    def test_queries_do_not_grow_with_the_number_of_cities(self):
        world = make_world()
        url = reverse("results:wave", args=[world.programme.slug, world.wave.code])
        login(self.client, world.admin)
        counts = []
        for batch in (range(2), range(2, 30)):
            for k in batch:
                respond(world.wave, make_city(f"City {k}", "ZZ"), MIXED, Response.Status.SUBMITTED)
            services.scores_compute(actor=SYSTEM, wave=world.wave)
            self.client.get(url)
            with CaptureQueriesContext(connection) as queries:
                self.assertEqual(self.client.get(url).status_code, 200)
            counts.append(len(queries))
        self.assertEqual(counts[0], counts[1])
        self.assertLessEqual(counts[1], 12)
