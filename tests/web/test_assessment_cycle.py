"""The data-use assessment as cities and reviewers live it: claims, evidence (private, checked by
content), submission with its checks, reviewer assignment, the review cycle, permissions, the verdict,
the results page and the roadmap files."""

from __future__ import annotations

import shutil
import tempfile
from datetime import timedelta
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase, override_settings
from django.urls import reverse
from django.utils import timezone

from civicmeter.testing import login, make_assessment_wave, make_city, make_user, make_world
from civicmeter.web.accounts.models import Role
from civicmeter.web.accounts.permissions import SYSTEM
from civicmeter.web.assessment import services
from civicmeter.web.assessment.models import CriterionClaim, EvidencePiece
from civicmeter.web.collection.models import CriterionReview, Response
from civicmeter.web.collection.services import response_start

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
HOME = tempfile.mkdtemp(prefix="assess-evidence-")


def pdf(name="minutes.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@override_settings(HOME=Path(HOME))
class CycleTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = w = make_world()
        cls.wave = make_assessment_wave(w)
        cls.other_reviewer = make_user("reviewer2", programme=w.programme, kind=Role.Kind.REVIEWER)
        cls.response = response_start(actor=w.respondent_a, wave=cls.wave, city=w.city_a)
        cls.response_b = response_start(actor=w.respondent_b, wave=cls.wave, city=w.city_b)

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        shutil.rmtree(HOME, ignore_errors=True)

    def refresh(self):
        self.response.refresh_from_db()
        return self.response

    def claim_od1(self, actor=None):
        actor = actor or self.world.respondent_a
        services.criterion_save(
            actor=actor,
            response=self.response,
            entry=services.CriterionEntry(
                "OD1",
                ["codified", "public"],
                "Order 12",
                evidence=services.NewEvidence(upload=pdf("order.pdf")),
            ),
        )

    def submit(self):
        return services.assessment_submit(actor=self.world.respondent_a, response=self.response)


class ClaimAndEvidenceTests(CycleTestCase):
    def test_claim_items_are_kept_in_checklist_order_and_unknown_items_refused(self):
        claim = services.claim_save(
            actor=self.world.respondent_a,
            response=self.response,
            criterion="DG2",
            items=["published", "method"],
            text=" x ",
        )
        self.assertEqual((claim.items, claim.text), (["method", "published"], "x"))
        with self.assertRaises(ValidationError) as caught:
            services.claim_save(
                actor=self.world.respondent_a,
                response=self.response,
                criterion="DG2",
                items=["nope"],
                text="",
            )
        self.assertIn("nope", caught.exception.messages[0])

    def test_a_stale_version_is_refused_instead_of_overwriting(self):
        first = services.claim_save(
            actor=self.world.respondent_a, response=self.response, criterion="DG2", items=["method"], text=""
        )
        services.claim_save(
            actor=self.world.respondent_a,
            response=self.response,
            criterion="DG2",
            items=["recent"],
            text="",
            version=first.version,
        )
        with self.assertRaises(ValidationError) as caught:
            services.claim_save(
                actor=self.world.respondent_a,
                response=self.response,
                criterion="DG2",
                items=[],
                text="",
                version=first.version,
            )
        self.assertEqual(caught.exception.code, "assessment.E016")

    def test_a_pdf_that_is_not_a_pdf_is_refused_and_the_claim_is_kept(self):
        with self.assertRaises(ValidationError) as caught:
            services.criterion_save(
                actor=self.world.respondent_a,
                response=self.response,
                entry=services.CriterionEntry(
                    "DG1",
                    ["named", "written"],
                    "Data board",
                    evidence=services.NewEvidence(upload=pdf("minutes.pdf", PNG)),
                ),
            )
        message = caught.exception.messages[0]
        self.assertIn("DG1", message)
        self.assertIn("minutes.pdf is named .pdf but its content is PNG", message)
        claim = CriterionClaim.objects.get(response=self.response, criterion="DG1")
        self.assertEqual((claim.items, claim.text), (["named", "written"], "Data board"))
        self.assertFalse(EvidencePiece.objects.exists())

    def test_an_executable_is_refused_whatever_its_name(self):
        with self.assertRaises(ValidationError) as caught:
            services.evidence_add(
                actor=self.world.respondent_a,
                response=self.response,
                criterion="DG1",
                evidence=services.NewEvidence(upload=pdf("report.csv", b"MZ\x90\x00" + b"\x00" * 200)),
            )
        self.assertIn("not accepted as evidence", caught.exception.messages[0])

    @override_settings(CIVICMETER_EVIDENCE_MAX_BYTES=1024)
    def test_an_oversized_file_is_refused_with_the_limit(self):
        with self.assertRaises(ValidationError) as caught:
            services.evidence_add(
                actor=self.world.respondent_a,
                response=self.response,
                criterion="DG1",
                evidence=services.NewEvidence(upload=pdf("big.pdf", PDF + b"0" * 4096)),
            )
        self.assertIn(
            "big.pdf is 4.0\xa0KB, above the 1.0\xa0KB limit for evidence files", caught.exception.messages[0]
        )
        self.assertFalse(EvidencePiece.objects.exists())

    def test_path_tricks_in_file_names_never_reach_the_disk(self):
        for name in ("../../etc/passwd.pdf", "..\\..\\windows\\evil.pdf", "/abs/path/x.pdf"):
            row = services.evidence_add(
                actor=self.world.respondent_a,
                response=self.response,
                criterion="DG1",
                evidence=services.NewEvidence(upload=pdf(name)),
            )
            self.assertNotIn("..", row.filename)
            self.assertNotIn("/", row.filename)
            self.assertNotIn("\\", row.filename)
            self.assertTrue(row.file.name.startswith(f"{self.response.pk}/"))
            self.assertRegex(row.file.name, r"^\d+/[0-9a-f]{32}\.pdf$")
            self.assertTrue(row.file.path.startswith(HOME))

    def test_a_stored_file_is_removed_when_its_transaction_rolls_back(self):
        """The file store is not part of the database's transaction: a failure after the file was
        written (here, touching the response) must not leave it on disk without a row."""
        before = {p for p in Path(HOME).rglob("*") if p.is_file()}

        def failing_touch(response, actor):
            raise RuntimeError("database went away")

        original = services._touch
        services._touch = failing_touch
        try:
            with self.assertRaises(RuntimeError):
                services.evidence_add(
                    actor=self.world.respondent_a,
                    response=self.response,
                    criterion="DG1",
                    evidence=services.NewEvidence(upload=pdf()),
                )
        finally:
            services._touch = original
        self.assertFalse(EvidencePiece.objects.exists())
        self.assertEqual({p for p in Path(HOME).rglob("*") if p.is_file()}, before)

    def test_a_date_in_the_future_is_refused_naming_the_criterion(self):
        tomorrow = timezone.localdate() + timedelta(days=1)
        with self.assertRaises(ValidationError) as caught:
            services.evidence_add(
                actor=self.world.respondent_a,
                response=self.response,
                criterion="DG1",
                evidence=services.NewEvidence(url="https://example.org/minutes", dated=tomorrow),
            )
        self.assertEqual(caught.exception.code, "assessment.E017")
        self.assertIn("DG1", caught.exception.messages[0])

    def test_a_link_must_be_a_web_address(self):
        with self.assertRaises(ValidationError) as caught:
            services.evidence_add(
                actor=self.world.respondent_a,
                response=self.response,
                criterion="OD3",
                evidence=services.NewEvidence(url="javascript:alert(1)"),
            )
        self.assertEqual(caught.exception.code, "assessment.E018")

    def test_another_city_cannot_write_or_read_our_evidence(self):
        with self.assertRaises(PermissionDenied):
            services.claim_save(
                actor=self.world.respondent_b, response=self.response, criterion="DG1", items=[], text=""
            )
        row = services.evidence_add(
            actor=self.world.respondent_a,
            response=self.response,
            criterion="DG1",
            evidence=services.NewEvidence(upload=pdf()),
        )
        url = reverse("assessment:evidence", args=[row.key])
        login(self.client, self.world.respondent_b)
        self.assertEqual(self.client.get(url).status_code, 404)
        self.client.logout()
        self.assertEqual(self.client.get(url).status_code, 302)  # to sign in
        login(self.client, self.world.respondent_a)
        got = self.client.get(url)
        self.assertEqual(got.status_code, 200)
        self.assertEqual(b"".join(got.streaming_content), PDF)
        self.assertIn("attachment", got["Content-Disposition"])
        self.assertEqual(got["X-Content-Type-Options"], "nosniff")

    def test_evidence_urls_carry_a_random_key_not_a_counter(self):
        row = services.evidence_add(
            actor=self.world.respondent_a,
            response=self.response,
            criterion="DG1",
            evidence=services.NewEvidence(upload=pdf()),
        )
        url = reverse("assessment:evidence", args=[row.key])
        self.assertNotIn(f"/{row.pk}/", url)
        self.assertEqual(len(str(row.key)), 36)


class SubmitTests(CycleTestCase):
    def test_a_claimed_criterion_without_its_prerequisite_is_refused_and_nothing_is_lost(self):
        services.criterion_save(
            actor=self.world.respondent_a,
            response=self.response,
            entry=services.CriterionEntry(
                "OD3",
                ["portal", "formats"],
                "data.city",
                evidence=services.NewEvidence(url="https://data.example.org"),
            ),
        )
        with self.assertRaises(ValidationError) as caught:
            self.submit()
        self.assertEqual(caught.exception.code, "assessment.E014")
        self.assertIn("OD3 counts only when OD1 is met", caught.exception.messages[0])
        self.assertEqual(self.refresh().status, "draft")
        self.assertEqual(EvidencePiece.objects.filter(criterion="OD3").count(), 1)
        self.assertEqual(CriterionClaim.objects.get(criterion="OD3").items, ["portal", "formats"])

    def test_submit_writes_the_claims_into_the_workbook_answers(self):
        self.claim_od1()
        self.submit()
        answers = dict(self.refresh().answers.values_list("question", "value"))
        self.assertEqual(
            (answers["od1"], answers["od1_evidence"], answers["od2"]), ("met", "Order 12", "not_met")
        )
        self.assertEqual(self.response.status, "submitted")


class ReviewCycleTests(CycleTestCase):
    def assign(self, reviewer=None):
        return services.reviewer_assign(
            actor=self.world.admin, response=self.response, reviewer=reviewer or self.world.reviewer
        )

    def test_full_cycle_with_a_request_for_more_evidence(self):
        self.claim_od1()
        self.submit()
        self.assign()
        reviewer = self.world.reviewer
        services.review_decide(
            actor=reviewer,
            response=self.response,
            criterion="OD1",
            outcome="needs_evidence",
            note="Show the adopted text",
        )
        services.assessment_return(actor=reviewer, response=self.response)
        self.assertEqual(self.refresh().status, "returned")
        with self.assertRaises(ValidationError) as caught:
            self.submit()
        self.assertEqual(caught.exception.code, "assessment.E013")
        services.criterion_save(
            actor=self.world.respondent_a,
            response=self.response,
            entry=services.CriterionEntry(
                "OD1",
                ["codified", "public", "proactive"],
                "Order 12",
                evidence=services.NewEvidence(url="https://example.org/order"),
                reply="Added the adopted order",
            ),
        )
        self.submit()
        services.review_decide(actor=reviewer, response=self.response, criterion="OD1", outcome="accepted")
        services.assessment_validate(actor=reviewer, response=self.response)
        self.assertEqual(self.refresh().status, "validated")
        history = list(
            CriterionReview.objects.filter(response=self.response)
            .order_by("at", "pk")
            .values_list("outcome", "reviewer__username")
        )
        self.assertEqual(history, [("needs_evidence", "reviewer"), ("accepted", "reviewer")])
        events = list(self.response.events.order_by("at", "pk").values_list("action", "actor__username"))
        self.assertEqual([e[0] for e in events], ["submit", "return", "submit", "validate"])

    def test_illegal_steps_are_refused(self):
        self.assign()
        with self.assertRaises(ValidationError) as caught:  # nothing submitted yet
            services.review_decide(
                actor=self.world.reviewer, response=self.response, criterion="OD1", outcome="accepted"
            )
        self.assertEqual(caught.exception.code, "assessment.E010")
        self.claim_od1()
        self.submit()
        with self.assertRaises(ValidationError) as caught:  # no open request to send back
            services.assessment_return(actor=self.world.reviewer, response=self.response)
        self.assertEqual(caught.exception.code, "assessment.E011")
        services.review_decide(
            actor=self.world.reviewer,
            response=self.response,
            criterion="OD1",
            outcome="needs_evidence",
            note="more",
        )
        with self.assertRaises(ValidationError) as caught:  # an open request blocks validation
            services.assessment_validate(actor=self.world.reviewer, response=self.response)
        self.assertEqual(caught.exception.code, "assessment.E012")
        with self.assertRaises(ValidationError):  # the city cannot edit a submitted assessment
            services.claim_save(
                actor=self.world.respondent_a, response=self.response, criterion="OD1", items=[], text=""
            )

    def test_a_criterion_with_stale_dated_records_cannot_be_accepted(self):
        today = timezone.localdate()
        services.criterion_save(
            actor=self.world.respondent_a,
            response=self.response,
            entry=services.CriterionEntry(
                "DG1",
                ["named", "written", "quarterly"],
                "Data board",
                evidence=services.NewEvidence(upload=pdf("charter.pdf")),
            ),
        )
        for days in (200, 300):  # older than the 4-month window of "meets at least every quarter"
            services.evidence_add(
                actor=self.world.respondent_a,
                response=self.response,
                criterion="DG1",
                evidence=services.NewEvidence(
                    url=f"https://example.org/minutes-{days}", dated=today - timedelta(days=days)
                ),
            )
        self.submit()
        self.assign()
        with self.assertRaises(ValidationError) as caught:
            services.review_decide(
                actor=self.world.reviewer, response=self.response, criterion="DG1", outcome="accepted"
            )
        self.assertEqual(caught.exception.code, "assessment.E024")
        self.assertIn("DG1 cannot be accepted: 0 of the 2 dated records needed", caught.exception.messages[0])
        services.review_decide(
            actor=self.world.reviewer,
            response=self.response,
            criterion="DG1",
            outcome="needs_evidence",
            note="Add the minutes of the two latest meetings",
        )
        self.assertFalse(CriterionReview.objects.filter(outcome="accepted").exists())

    def test_an_unassigned_reviewer_may_not_decide_and_gets_404_pages(self):
        self.claim_od1()
        self.submit()
        self.assign()
        with self.assertRaises(PermissionDenied):
            services.review_decide(
                actor=self.other_reviewer, response=self.response, criterion="OD1", outcome="accepted"
            )
        login(self.client, self.other_reviewer)
        for name in ("assessment:review", "assessment:overview"):
            self.assertEqual(self.client.get(reverse(name, args=[self.response.pk])).status_code, 404)
        got = self.client.post(
            reverse("assessment:decide", args=[self.response.pk, "OD1"]), {"OD1-outcome": "accepted"}
        )
        self.assertEqual(got.status_code, 404)
        self.assertFalse(CriterionReview.objects.exists())
        row = EvidencePiece.objects.get(criterion="OD1")
        self.assertEqual(self.client.get(reverse("assessment:evidence", args=[row.key])).status_code, 404)
        login(self.client, self.world.reviewer)
        self.assertEqual(
            self.client.get(reverse("assessment:review", args=[self.response.pk])).status_code, 200
        )
        self.assertEqual(self.client.get(reverse("assessment:evidence", args=[row.key])).status_code, 200)

    def test_only_admins_assign_and_only_programme_reviewers(self):
        with self.assertRaises(PermissionDenied):
            services.reviewer_assign(
                actor=self.world.reviewer, response=self.response, reviewer=self.world.reviewer
            )
        with self.assertRaises(ValidationError) as caught:
            services.reviewer_assign(
                actor=self.world.admin, response=self.response, reviewer=self.world.outsider
            )
        self.assertEqual(caught.exception.code, "assessment.E020")

    def test_only_accepted_criteria_score_and_the_pages_show_tier_and_roadmap(self):
        self.claim_od1()
        self.submit()
        self.assign()
        services.review_decide(
            actor=self.world.reviewer, response=self.response, criterion="OD1", outcome="accepted"
        )
        services.review_decide(
            actor=self.world.reviewer, response=self.response, criterion="DG1", outcome="not_met"
        )
        login(self.client, self.world.respondent_a)
        page = self.client.get(reverse("assessment:overview", args=[self.response.pk])).content.decode()
        self.assertIn('1<span class="of">/38</span>', page)
        csv_body = self.client.get(
            reverse("assessment:roadmap_file", args=[self.response.pk, "csv"])
        ).content.decode("utf-8-sig")
        lines = csv_body.splitlines()
        self.assertTrue(lines[0].startswith("order,criterion"))
        self.assertEqual(len(lines), 1 + 37)
        self.assertTrue(lines[1].split(",")[1] in {"PA1", "BF1", "EV1"})
        pdf_body = self.client.get(reverse("assessment:roadmap_file", args=[self.response.pk, "pdf"])).content
        self.assertTrue(pdf_body.startswith(b"%PDF"))
        login(self.client, self.world.admin)
        results = self.client.get(
            reverse("assessment:results", args=["test", self.wave.code])
        ).content.decode()
        self.assertIn("Baltimore", results)
        self.assertNotIn("Bilbao", results)  # never submitted
        self.assertNotIn(">Tier<", results)  # no city has a tier: no empty column


class AnswerPageTests(CycleTestCase):
    def test_the_criterion_form_keeps_what_was_typed_when_a_file_is_refused(self):
        login(self.client, self.world.respondent_a)
        url = reverse("assessment:criterion", args=[self.response.pk, "DG1"])
        got = self.client.post(
            url,
            {
                "items": ["named", "quarterly"],
                "text": "Board",
                "label": "Minutes",
                "file": SimpleUploadedFile("m.pdf", b"not a pdf at all"),
            },
        )
        self.assertEqual(got.status_code, 400)
        body = got.content.decode()
        self.assertIn("m.pdf is named .pdf but its content is TXT", body)
        self.assertIn('value="Minutes"', body)
        self.assertIn('value="quarterly" id="item-quarterly" checked', body)
        self.assertEqual(CriterionClaim.objects.get(criterion="DG1").items, ["named", "quarterly"])

    def test_autosave_answers_json(self):
        login(self.client, self.world.respondent_a)
        url = reverse("assessment:autosave", args=[self.response.pk, "DG2"])
        first = self.client.post(url, {"items": ["method"], "text": "x"}).json()
        self.assertEqual(first["version"], 1)
        second = self.client.post(url, {"items": ["method", "recent"], "text": "x", "version": "1"}).json()
        self.assertEqual(second["version"], 2)
        stale = self.client.post(url, {"items": [], "text": "", "version": "1"})
        self.assertEqual(stale.status_code, 409)

    def test_the_survey_address_of_an_assessment_leads_to_the_assessment(self):
        login(self.client, self.world.respondent_a)
        got = self.client.get(reverse("collection:survey", args=[self.response.pk]))
        self.assertRedirects(got, reverse("assessment:overview", args=[self.response.pk]))


class ResultsAndVisibilityTests(CycleTestCase):
    def test_results_export_of_an_assessment_wave_has_index_class_tier_and_practices(self):
        import csv as csv_module

        from typer.testing import CliRunner

        from civicmeter.cli import app

        self.claim_od1()
        self.submit()
        services.reviewer_assign(actor=self.world.admin, response=self.response, reviewer=self.world.reviewer)
        services.review_decide(
            actor=self.world.reviewer, response=self.response, criterion="OD1", outcome="accepted"
        )
        out = Path(HOME) / "results.csv"
        result = CliRunner().invoke(app, ["results", "export", "--wave", self.wave.code, "--out", str(out)])
        self.assertEqual(result.exit_code, 0, result.output)
        rows = list(csv_module.DictReader(out.open(encoding="utf-8")))
        self.assertEqual(len(rows), 1)
        self.assertEqual(
            {
                k: rows[0][k]
                for k in ("rank", "city", "data_use_index", "data_use_class", "tier", "practice_OD")
            },
            {
                "rank": "1",
                "city": "baltimore-us",
                "data_use_index": "1",
                "data_use_class": "low",
                "tier": "",
                "practice_OD": "0.25",
            },
        )

    def test_the_results_address_of_an_assessment_wave_leads_to_its_own_page(self):
        login(self.client, self.world.admin)
        got = self.client.get(reverse("results:wave", args=["test", self.wave.code]))
        self.assertRedirects(got, reverse("assessment:results", args=["test", self.wave.code]))

    def test_a_city_not_invited_does_not_see_an_assessment_wave_that_invites_others(self):
        from civicmeter.web.accounts.selectors import respondent_assignments
        from civicmeter.web.programmes import services as programme_services

        athens = make_user(
            "athens-gr",
            programme=self.world.programme,
            kind=Role.Kind.RESPONDENT,
            city=make_city("Athens", "GR"),
        )
        programme_services.invitation_send(
            actor=self.world.admin,
            wave=self.wave,
            city=self.world.city_a,
            email="b@example.org",
            notify=False,
        )
        waves = [a["wave"].code for a in respondent_assignments(athens)]
        self.assertNotIn(self.wave.code, waves)
        self.assertIn(
            self.wave.code, [a["wave"].code for a in respondent_assignments(self.world.respondent_a)]
        )


class DemoRoundTests(TestCase):
    def test_the_demo_round_leaves_each_step_to_try_and_loads_once(self):
        from civicmeter.web.assessment import selectors
        from civicmeter.web.assessment.demo import WAVE, load_assessment_round

        world = make_world()
        make_assessment_wave(world)  # the instrument, as the demo registers it
        for name in ("Boston", "Seattle", "Louisville"):
            city = make_city(name, "US")
            make_user(city.slug, programme=world.programme, kind=Role.Kind.RESPONDENT, city=city)
        with override_settings(HOME=Path(HOME)):
            self.assertEqual(load_assessment_round(world.programme), 3)
            self.assertEqual(load_assessment_round(world.programme), 0)
        statuses = dict(Response.objects.filter(wave__code=WAVE).values_list("city__slug", "status"))
        self.assertEqual(
            statuses, {"boston-us": "submitted", "seattle-us": "submitted", "louisville-us": "returned"}
        )
        louisville = Response.objects.get(wave__code=WAVE, city__slug="louisville-us")
        standard = selectors.standard_for(louisville.wave)
        latest = selectors.latest_reviews(louisville, standard)
        self.assertEqual(selectors.open_requests(latest), ["DG1", "OD4"])
        self.assertTrue(louisville.synthetic)
        self.assertTrue(
            all(
                r.reviewers.filter(reviewer=world.reviewer).exists()
                for r in Response.objects.filter(wave__code=WAVE)
            )
        )
        self.assertTrue(
            world.wave.programme.waves.get(code=WAVE).invitations.filter(city__slug="baltimore-us").exists()
        )


class RoadmapCommandTests(CycleTestCase):
    def run_cli(self, *args):
        from typer.testing import CliRunner

        from civicmeter.cli import app

        return CliRunner().invoke(app, ["assessment", "roadmap", "--wave", self.wave.code, *args])

    def test_roadmap_as_csv_and_pdf_and_a_wrong_suffix_refused(self):
        self.claim_od1()
        self.submit()
        csv_path, pdf_path = Path(HOME) / "r.csv", Path(HOME) / "r.pdf"
        self.assertEqual(self.run_cli("--city", "baltimore-us", "--out", str(csv_path)).exit_code, 0)
        lines = csv_path.read_text(encoding="utf-8-sig").splitlines()
        self.assertEqual(len(lines), 39)  # header + 38 unmet criteria
        self.assertEqual(lines[1].split(",")[1], "OD1")  # a prerequisite whose checklist is complete
        self.assertEqual(self.run_cli("--city", "baltimore-us", "--out", str(pdf_path)).exit_code, 0)
        self.assertTrue(pdf_path.read_bytes().startswith(b"%PDF"))
        wrong = self.run_cli("--city", "baltimore-us", "--out", str(Path(HOME) / "r.docx"))
        self.assertEqual(wrong.exit_code, 2)
        self.assertIn(".csv or .pdf", wrong.output)
        missing = self.run_cli("--city", "nowhere-xx", "--out", str(csv_path))
        self.assertEqual(missing.exit_code, 2)
        self.assertIn("nowhere-xx has no assessment", missing.output)


class AssignedListTests(CycleTestCase):
    def test_a_reviewer_lists_only_the_assessments_assigned_to_them(self):
        services.reviewer_assign(actor=self.world.admin, response=self.response, reviewer=self.world.reviewer)
        login(self.client, self.world.reviewer)
        home = self.client.get(reverse("accounts:home")).content.decode()
        self.assertIn(reverse("assessment:assigned"), home)
        page = self.client.get(reverse("assessment:assigned")).content.decode()
        self.assertIn("Baltimore", page)
        self.assertNotIn("Bilbao", page)
        login(self.client, self.other_reviewer)
        self.assertNotIn("Baltimore", self.client.get(reverse("assessment:assigned")).content.decode())


@override_settings(HOME=Path(HOME))
class SecondStandardTests(TestCase):
    def test_another_standard_is_loaded_and_scored_from_the_home_with_no_code_change(self):
        from civicmeter.web.assessment import selectors
        from civicmeter.web.programmes import services as programme_services
        from civicmeter.web.programmes.models import Instrument, Wave
        from civicmeter.web.results import services as results_services

        fixtures = Path(__file__).parents[1] / "fixtures" / "assessment-wwc2018"
        folder = Path(HOME) / "standards"
        folder.mkdir(parents=True, exist_ok=True)
        for suffix in ("recipe.yaml", "standard.yaml"):
            shutil.copy(fixtures / f"wwc2018.{suffix}", folder / f"wwc2018_test.{suffix}")
        world = make_world()
        row = programme_services.instrument_register(
            actor=SYSTEM,
            filename="wwc2018.xlsx",
            content=(fixtures / "wwc2018.xlsx").read_bytes(),
            kind=Instrument.Kind.ASSESSMENT,
        )
        wave = Wave.objects.create(programme=world.programme, code="2018-wwc", instrument=row, status="open")
        standard = selectors.standard_for(wave)
        self.assertEqual(
            (standard.id, len(standard.practices), len(standard.criteria)), ("wwc2018-test", 8, 16)
        )
        response = response_start(actor=world.respondent_a, wave=wave, city=world.city_a)
        services.criterion_save(
            actor=world.respondent_a,
            response=response,
            entry=services.CriterionEntry(
                "CO1", ["a", "b"], "x", evidence=services.NewEvidence(upload=pdf())
            ),
        )
        services.assessment_submit(actor=world.respondent_a, response=response)
        services.review_decide(actor=world.admin, response=response, criterion="CO1", outcome="accepted")
        run = results_services.scores_compute(actor=world.admin, wave=wave)
        self.assertEqual((run.recipe, run.scores.get().index), ("wwc2018-test", 1.0))
