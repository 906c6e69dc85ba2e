"""The interfaces of criterion reviews and wave pairing: ``civicmeter assessment review`` (bulk, all or
nothing, through ``review_import``: the review page's rules, then ``criteria_review_import``) and
``civicmeter wave pair`` (through ``wave_pair``);
and the system actor recording history at a stated time."""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase
from typer.testing import CliRunner

from civicmeter.cli import app
from civicmeter.testing import assessment_claims, make_assessment_wave, make_world
from civicmeter.web.accounts.permissions import SYSTEM, now_for, user_of
from civicmeter.web.assessment.services import review_import, reviewer_assign
from civicmeter.web.collection.models import CriterionReview, Response, ResponseEvent
from civicmeter.web.collection.services import criteria_review_import, response_validate
from civicmeter.web.programmes.instrument_cache import instrument_for
from civicmeter.web.programmes.models import Wave

# DG3 and DG4 ask for no dated records, so accepting them never depends on the day
GOOD = b"criterion,decision,comment\ndg3,accepted,\ndg4,needs_evidence,Send the audit.\ndg4,accepted,\n"
BAD = b"criterion,decision,comment\ndg3,accepted,\ndg99,accepted,\ndg4,met,\ndg3,needs_evidence,\n"


class ReviewImportTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = make_world()
        cls.wave = make_assessment_wave(cls.world)
        claims = assessment_claims(instrument_for(cls.wave.instrument), {"dg1", "dg3", "dg4"})
        cls.response = Response.objects.create(wave=cls.wave, city=cls.world.city_a, status="submitted")
        for question, value in claims.items():
            cls.response.answers.create(question=question, value=value)

    def run_cli(self, content: bytes, *extra: str):
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "reviews.csv"
            path.write_bytes(content)
            args = ["assessment", "review", "--wave", self.wave.code, "--city", "baltimore-us", str(path)]
            return CliRunner().invoke(app, [*args, *extra])

    def test_the_command_records_every_row_in_file_order(self):
        result = self.run_cli(GOOD)
        self.assertEqual(result.exit_code, 0, result.output)
        self.assertIn("Recorded 3 review decisions for baltimore-us", result.output)
        rows = CriterionReview.objects.filter(response=self.response).order_by("pk")
        self.assertEqual(
            [(r.criterion, r.outcome, r.note, r.reviewer) for r in rows],
            [
                ("dg3", "accepted", "", None),
                ("dg4", "needs_evidence", "Send the audit.", None),
                ("dg4", "accepted", "", None),
            ],
        )

    def test_every_bad_row_is_reported_and_nothing_is_written(self):
        result = self.run_cli(BAD)
        self.assertEqual(result.exit_code, 2, result.output)
        for text in ("Row 3: [review.E002] dg99", "Row 4: [review.E003] met", "Row 5: [review.E005]"):
            self.assertIn(text, result.output)
        self.assertNotIn("Row 2", result.output)
        self.assertFalse(CriterionReview.objects.exists())

    def test_accepting_without_fresh_dated_records_is_refused_at_its_row(self):
        result = self.run_cli(b"criterion,decision,comment\ndg3,accepted,\ndg1,accepted,\n")
        self.assertEqual(result.exit_code, 2, result.output)
        self.assertIn("Row 3: [assessment.E024] DG1 cannot be accepted", result.output)
        self.assertNotIn("Row 2", result.output)
        self.assertFalse(CriterionReview.objects.exists())

    def test_a_named_reviewer_must_be_assigned_and_the_decisions_are_theirs(self):
        reviewer = self.world.reviewer
        result = self.run_cli(GOOD, "--reviewer", reviewer.username)
        self.assertEqual(result.exit_code, 2, result.output)
        self.assertIn("Only reviewers assigned to this assessment may review it", result.output)
        self.assertFalse(CriterionReview.objects.exists())
        reviewer_assign(actor=SYSTEM, response=self.response, reviewer=reviewer)
        result = self.run_cli(GOOD, "--reviewer", reviewer.username, "--decided-on", "2026-03-02")
        self.assertEqual(result.exit_code, 0, result.output)
        rows = CriterionReview.objects.filter(response=self.response)
        self.assertEqual({(r.reviewer, r.at.date().isoformat()) for r in rows}, {(reviewer, "2026-03-02")})
        self.assertIn("no user is named 'nobody'", self.run_cli(GOOD, "--reviewer", "nobody").output)

    def test_an_assessment_not_yet_submitted_cannot_be_reviewed(self):
        Response.objects.filter(pk=self.response.pk).update(status="draft")
        result = self.run_cli(GOOD)
        self.assertEqual(result.exit_code, 2, result.output)
        self.assertFalse(CriterionReview.objects.exists())

    def test_a_survey_wave_has_no_criteria_to_review(self):
        survey = Response.objects.create(wave=self.world.wave, city=self.world.city_a, status="submitted")
        with self.assertRaises(ValidationError) as caught:
            review_import(actor=SYSTEM, response=survey, filename="r.csv", content=GOOD)
        self.assertEqual(caught.exception.code, "review.E001")

    def test_a_file_without_the_decision_column_is_refused(self):
        with self.assertRaises(ValidationError) as caught:
            criteria_review_import(
                actor=SYSTEM, response=self.response, filename="r.csv", content=b"criterion,outcome\ndg1,x\n"
            )
        self.assertEqual(
            caught.exception.messages,
            [
                "[review.E006] r.csv has no decision column; a review file has the columns criterion, "
                "decision and comment (one row per criterion)."
            ],
        )

    def test_a_respondent_may_not_review_in_bulk(self):
        with self.assertRaises(PermissionDenied):
            criteria_review_import(
                actor=self.world.respondent_a, response=self.response, filename="r.csv", content=GOOD
            )
        self.assertFalse(CriterionReview.objects.exists())

    def test_an_unknown_city_names_the_fix(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "r.csv"
            path.write_bytes(GOOD)
            args = ["assessment", "review", "--wave", self.wave.code, "--city", "bilbao-es", str(path)]
            result = CliRunner().invoke(app, args)
        self.assertEqual(result.exit_code, 2)
        self.assertIn("bilbao-es has no response in wave 2020-data-use", result.output)

    def test_the_system_actor_records_history_at_its_stated_time(self):
        then = datetime(2020, 6, 15, tzinfo=UTC)
        actor = SYSTEM.as_of(then)
        self.assertEqual((now_for(actor), user_of(actor)), (then, None))
        reviews = criteria_review_import(actor=actor, response=self.response, filename="r.csv", content=GOOD)
        self.assertEqual({r.at for r in reviews}, {then})
        response_validate(actor=actor, response=self.response)
        self.response.refresh_from_db()
        self.assertEqual(self.response.last_activity_at, then)
        self.assertEqual(ResponseEvent.objects.get(response=self.response).at, then)
        self.assertNotEqual(now_for(SYSTEM), then)
        with self.assertRaises(ValueError):
            SYSTEM.as_of(datetime(2020, 6, 15))  # noqa: DTZ001 - the naive time refused


class WavePairCommandTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = make_world()
        cls.assessment = make_assessment_wave(cls.world, paired=False)

    def test_pairing_and_unpairing_from_the_command_line(self):
        args = ["wave", "pair", "--wave", "2020-data-use", "--with", "2020"]
        result = CliRunner().invoke(app, args)
        self.assertEqual(result.exit_code, 0, result.output)
        self.assertIn("Paired assessment wave 2020-data-use with survey wave 2020", result.output)
        self.assertEqual(Wave.objects.get(code="2020-data-use").pairs_with, self.world.wave)
        result = CliRunner().invoke(app, ["wave", "pair", "--wave", "2020-data-use", "--none"])
        self.assertEqual(result.exit_code, 0, result.output)
        self.assertIsNone(Wave.objects.get(code="2020-data-use").pairs_with)

    def test_pairing_the_wrong_way_round_is_refused_with_the_service_message(self):
        result = CliRunner().invoke(app, ["wave", "pair", "--wave", "2020", "--with", "2020-data-use"])
        self.assertEqual(result.exit_code, 2)
        self.assertIn("[wave.E001] Wave 2020 uses a questionnaire", result.output)
        self.assertIsNone(Wave.objects.get(code="2020-data-use").pairs_with)

    def test_the_command_needs_a_partner_or_none(self):
        result = CliRunner().invoke(app, ["wave", "pair", "--wave", "2020-data-use"])
        self.assertEqual(result.exit_code, 2)
        self.assertIn("name the survey wave with --with CODE, or unpair", " ".join(result.output.split()))
