"""The data-use assessment foundation: criterion reviews, scoring reviewed criteria, pairing with the
survey wave in the results table and the export."""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.test import TestCase
from django.urls import reverse
from typer.testing import CliRunner

from civicmeter.cli import app
from civicmeter.testing import (
    PSI_FULL_ANSWERS,
    assessment_claims,
    login,
    make_assessment_wave,
    make_city,
    make_user,
    make_world,
)
from civicmeter.web.accounts.models import Role
from civicmeter.web.accounts.permissions import SYSTEM, access_response_by_id
from civicmeter.web.collection import selectors as collection_selectors
from civicmeter.web.collection.models import Answer, CriterionReview, Response
from civicmeter.web.collection.services import criterion_review
from civicmeter.web.programmes import services as programme_services
from civicmeter.web.programmes.instrument_cache import instrument_for
from civicmeter.web.programmes.models import Programme, Wave
from civicmeter.web.results import selectors, services

#: Criteria a Silver city might have accepted: 20 of 38 (52.6%), prerequisites included.
SILVER = {
    *(f"dg{k}" for k in range(1, 10)),
    *(f"lc{k}" for k in range(1, 7)),
    "od1", "od2", "od3", "od4", "pa1",
}  # fmt: skip


def store(wave, city, answers: dict[str, str], status: str) -> Response:
    response = Response.objects.create(wave=wave, city=city, status=status)
    Answer.objects.bulk_create([Answer(response=response, question=q, value=v) for q, v in answers.items()])
    return response


def accept(response, criteria, actor=SYSTEM, outcome=CriterionReview.Outcome.ACCEPTED):
    for criterion in sorted(criteria):
        criterion_review(actor=actor, response=response, criterion=criterion, outcome=outcome)


class AssessmentTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = w = make_world()
        cls.wave = make_assessment_wave(w)
        cls.instrument = instrument_for(cls.wave.instrument)
        claims = assessment_claims(cls.instrument, SILVER | {"ce1", "ev2"})
        cls.response_a = store(cls.wave, w.city_a, claims, Response.Status.SUBMITTED)

    def compute(self, wave=None):
        return services.scores_compute(actor=self.world.admin, wave=wave or self.wave)


class ReviewPermissionTests(AssessmentTestCase):
    def test_a_reviewer_and_an_admin_may_review(self):
        for user in (self.world.reviewer, self.world.admin):
            review = criterion_review(
                actor=user, response=self.response_a, criterion="dg1", outcome="accepted"
            )
            self.assertEqual((review.reviewer, review.outcome), (user, "accepted"))

    def test_a_respondent_may_not_review_even_their_own_city(self):
        with self.assertRaises(PermissionDenied):
            criterion_review(
                actor=self.world.respondent_a, response=self.response_a, criterion="dg1", outcome="accepted"
            )
        self.assertFalse(CriterionReview.objects.exists())

    def test_another_programmes_reviewer_gets_404_and_may_not_review(self):
        other = Programme.objects.create(name="Other", slug="other")
        outsider = make_user("other-reviewer", programme=other, kind=Role.Kind.REVIEWER)
        with self.assertRaises(Http404):
            access_response_by_id(outsider, self.response_a.pk)
        with self.assertRaises(PermissionDenied):
            criterion_review(actor=outsider, response=self.response_a, criterion="dg1", outcome="accepted")


class ReviewRuleTests(AssessmentTestCase):
    def review(self, **kwargs):
        args = {"actor": self.world.reviewer, "response": self.response_a, "criterion": "dg1"}
        return criterion_review(**{**args, "outcome": "accepted", **kwargs})

    def assertRefused(self, code: str, **kwargs):
        with self.assertRaises(ValidationError) as caught:
            self.review(**kwargs)
        self.assertEqual(caught.exception.code, code)
        self.assertIn(f"[{code}]", caught.exception.messages[0])
        self.assertFalse(CriterionReview.objects.exists())

    def test_only_criteria_the_instrument_has(self):
        self.assertRefused("review.E002", criterion="dg1_evidence")
        self.assertRefused("review.E002", criterion="DG1")

    def test_only_known_outcomes(self):
        self.assertRefused("review.E003", outcome="met")

    def test_drafts_are_not_reviewed(self):
        draft = store(self.wave, self.world.city_b, {}, Response.Status.DRAFT)
        self.assertRefused("review.E004", response=draft)

    def test_asking_for_evidence_needs_a_note(self):
        self.assertRefused("review.E005", outcome="needs_evidence")
        review = self.review(outcome="needs_evidence", note="Send the minutes of the last two meetings.")
        self.assertEqual(review.note, "Send the minutes of the last two meetings.")

    def test_survey_responses_have_no_criteria_to_review(self):
        survey_response = store(self.world.wave, self.world.city_b, PSI_FULL_ANSWERS, "submitted")
        self.assertRefused("review.E001", response=survey_response)

    def test_the_latest_outcome_counts_and_history_is_kept(self):
        self.review(outcome="needs_evidence", note="Minutes missing.")
        self.review(outcome="accepted")
        self.review(criterion="dg2", outcome="accepted")
        self.review(criterion="dg2", outcome="not_met")
        self.assertEqual(CriterionReview.objects.filter(response=self.response_a).count(), 4)
        latest = collection_selectors.latest_reviews([self.response_a])[self.response_a.pk]
        self.assertEqual(latest, {"dg1": "accepted", "dg2": "not_met"})
        accepted = collection_selectors.accepted_criteria([self.response_a])
        self.assertEqual(accepted, {self.response_a.pk: {"dg1"}})


class ScoringTests(AssessmentTestCase):
    def test_claims_alone_score_nothing(self):
        run = self.compute()
        score = run.scores.get()
        self.assertEqual((run.recipe, run.instrument_version, run.n), ("data-use", "2020.1", 1))
        self.assertEqual((score.index, score.score_class, score.tier), (0, "low", ""))

    def test_only_accepted_criteria_score(self):
        accept(self.response_a, SILVER)
        accept(self.response_a, {"ce1"}, outcome="not_met")
        criterion_review(
            actor=SYSTEM, response=self.response_a, criterion="ce2", outcome="needs_evidence", note="Link?"
        )
        score = self.compute().scores.get()
        self.assertEqual((score.index, score.score_class, score.tier), (20, "low", "silver"))
        self.assertAlmostEqual(score.share, 20 / 38, places=3)
        shares = {c["code"]: (c["points"], c["max"]) for c in score.components}
        self.assertEqual(shares["DG"], (9, 9))
        self.assertEqual(shares["CE"], (0, 4))
        self.assertEqual(len(score.contributions), 38)

    def test_prerequisites_gate_their_dependants(self):
        accept(self.response_a, {"od2", "od3", "ev2", "pa5"})
        score = self.compute().scores.get()
        self.assertEqual(score.index, 1)  # only PA5: OD2, OD3 need OD1 and EV2 needs EV1
        reasons = {c["item"]: c["reason"] for c in score.contributions}
        self.assertIn("OD1", reasons["OD2"])

    def test_tiers_follow_the_share_of_criteria(self):
        all_criteria = set(assessment_claims(self.instrument))
        accept(self.response_a, all_criteria)
        self.assertEqual(self.compute().scores.get().tier, "platinum")
        accept(self.response_a, {f"ce{k}" for k in range(1, 5)} | {"bf3", "bf4"}, outcome="not_met")
        score = self.compute().scores.get()  # 32 of 38 = 84%: below Platinum's 85%
        self.assertEqual((score.index, score.score_class, score.tier), (32, "high", "gold"))

    def test_returned_and_draft_assessments_are_not_scored(self):
        store(self.wave, self.world.city_b, {}, Response.Status.DRAFT)
        self.assertEqual(self.compute().n, 1)


class PairingTests(AssessmentTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        w = cls.world
        store(w.wave, w.city_a, PSI_FULL_ANSWERS, Response.Status.SUBMITTED)
        store(w.wave, w.city_b, PSI_FULL_ANSWERS, Response.Status.SUBMITTED)
        accept(cls.response_a, SILVER)
        services.scores_compute(actor=SYSTEM, wave=w.wave)
        services.scores_compute(actor=SYSTEM, wave=cls.wave)

    def test_the_survey_wave_export_fills_data_use_for_assessed_cities_only(self):
        rows = {r["city"]: r for r in csv.DictReader(io.StringIO(selectors.export_csv(self.world.wave)))}
        a, b = rows[self.world.city_a.slug], rows[self.world.city_b.slug]
        columns = ("psi_index", "data_use_index", "data_use_class", "tier")
        self.assertEqual([a[c] for c in columns], ["10", "20", "low", "silver"])
        self.assertEqual([b[c] for c in columns], ["10", "", "", ""])

    def test_the_results_page_and_dashboard_show_the_paired_run(self):
        results = selectors.wave_results(self.world.wave)
        self.assertEqual(results.data_use_run.wave, self.wave)
        login(self.client, self.world.reviewer)
        page = self.client.get(reverse("results:wave", args=[self.world.programme.slug, "2020"]))
        self.assertContains(page, "Data-use index (0-38)")
        self.assertContains(page, "from the 2020-data-use assessment wave")
        self.assertContains(page, "never compared with it")
        self.assertContains(page, "silver")

    def test_the_assessment_waves_own_table_shows_its_scores(self):
        results = selectors.wave_results(self.wave)
        self.assertIsNone(results.psi_run)
        self.assertEqual([(r.city, r.data_use.index) for r in results.rows], [(self.world.city_a, 20)])

    def test_cli_scores_the_assessment_wave_and_exports_the_survey_wave(self):
        runner = CliRunner()
        scored = runner.invoke(app, ["score", "--wave", "2020-data-use"])
        self.assertEqual(scored.exit_code, 0, scored.output)
        self.assertIn("test 2020-data-use: scored 1 cities with data-use 1.0", scored.output)
        self.assertIn("tiers: silver 1", scored.output)
        with tempfile.TemporaryDirectory() as folder:
            out = Path(folder) / "results.csv"
            exported = runner.invoke(app, ["results", "export", "--wave", "2020", "--out", str(out)])
            self.assertEqual(exported.exit_code, 0, exported.output)
            rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
        self.assertEqual(sorted(r["tier"] for r in rows), ["", "silver"])

    def test_the_outcome_analysis_reads_the_paired_data_use_run(self):
        from civicmeter.web.wellbeing.analysis_inputs import build_inputs

        inputs = build_inputs(self.world.wave)
        self.assertEqual(inputs.data_use_run.wave, self.wave)
        row = inputs.capacity.set_index("city").loc[self.world.city_a.slug]
        self.assertEqual((row["data_use_index"], row["data_use_class"]), (20, "low"))
        self.assertIn("data-use 1.0", inputs.provenance.recipe_version)

    def test_an_unpaired_assessment_wave_stays_off_the_survey_table(self):
        programme_services.wave_pair(actor=SYSTEM, assessment_wave=self.wave, survey_wave=None)
        self.assertIsNone(selectors.wave_results(self.world.wave).data_use_run)
        rows = selectors.export_rows(self.world.wave)
        self.assertEqual({r["data_use_index"] for r in rows}, {""})


class PairRuleTests(AssessmentTestCase):
    def pair(self, assessment_wave, survey_wave, actor=SYSTEM):
        return programme_services.wave_pair(
            actor=actor, assessment_wave=assessment_wave, survey_wave=survey_wave
        )

    def assertRefused(self, code, *args):
        with self.assertRaises(ValidationError) as caught:
            self.pair(*args)
        self.assertEqual(caught.exception.code, code)

    def test_only_admins_pair(self):
        with self.assertRaises(PermissionDenied):
            self.pair(self.wave, self.world.wave, self.world.reviewer)

    def test_an_assessment_wave_pairs_with_one_survey_wave_of_its_programme(self):
        self.assertRefused("wave.E001", self.world.wave, self.world.wave)
        self.assertRefused("wave.E002", self.wave, self.wave)
        other = Programme.objects.create(name="Other", slug="other")
        foreign = Wave.objects.create(programme=other, code="2020", instrument=self.world.wave.instrument)
        self.assertRefused("wave.E002", self.wave, foreign)
        second = Wave.objects.create(
            programme=self.world.programme, code="2020-b", instrument=self.wave.instrument
        )
        self.assertRefused("wave.E003", second, self.world.wave)
        self.assertEqual(self.pair(self.wave, self.world.wave).pairs_with, self.world.wave)


class SecondCityTests(AssessmentTestCase):
    def test_cities_score_independently(self):
        bilbao = make_city("Bilbao", "ES")
        response_b = store(self.wave, bilbao, assessment_claims(self.instrument), Response.Status.VALIDATED)
        accept(self.response_a, {"dg1"})
        accept(response_b, {"dg1", "dg2", "lc1"})
        scores = {s.city.slug: s.index for s in self.compute().scores.select_related("city")}
        self.assertEqual(scores, {self.world.city_a.slug: 1, "bilbao-es": 3})
