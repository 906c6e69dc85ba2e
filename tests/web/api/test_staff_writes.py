"""Staff writes through the API: each endpoint with no token, a revoked token, the wrong role, another
programme's staff and the right admin; the same services as the web and CLI do the work."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from rest_framework.test import APIClient

from civicmeter.testing import PSI_FULL_ANSWERS, complete_answers, make_city, make_user, make_world
from civicmeter.web.accounts.models import Role
from civicmeter.web.accounts.permissions import SYSTEM
from civicmeter.web.api import services
from civicmeter.web.collection.models import ImportRun, Response
from civicmeter.web.programmes.instrument_cache import instrument_for
from civicmeter.web.programmes.models import Programme
from civicmeter.web.results.models import ScoreRun
from civicmeter.web.wellbeing.models import OutcomeImportRun, OutcomeValue

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
EU_QOL = FIXTURES / "eu-qol-2023" / "qol2023_city_indicators_long_slice.csv"


def responses_csv(instrument, cities) -> bytes:
    answers = complete_answers(instrument, PSI_FULL_ANSWERS)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=["city", *answers])
    writer.writeheader()
    for city in cities:
        writer.writerow({"city": city.slug, **answers})
    return out.getvalue().encode()


class WriteEndpointTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = make_world()
        other = Programme.objects.create(name="Other network", slug="other")
        cls.other_admin = make_user("other-admin", programme=other, kind=Role.Kind.ADMIN)
        for name, country in [("Vienna", "AT"), ("Munich", "DE"), ("Brussels", "BE")]:
            make_city(name, country)
        cls.keys = {
            who: services.token_create(actor=SYSTEM, user=user, name="test").key
            for who, user in {
                "admin": cls.world.admin,
                "reviewer": cls.world.reviewer,
                "respondent": cls.world.respondent_a,
                "other_admin": cls.other_admin,
            }.items()
        }
        revoked = services.token_create(actor=SYSTEM, user=cls.world.admin, name="old")
        services.token_revoke(actor=SYSTEM, token=revoked.token)
        cls.keys["revoked"] = revoked.key

    def client_as(self, who: str | None) -> APIClient:
        client = APIClient()
        if who:
            client.credentials(HTTP_AUTHORIZATION=f"Token {self.keys[who]}")
        return client

    # -- the requests, one per endpoint --------------------------------------------------------
    def import_responses(self, who):
        content = responses_csv(instrument_for(self.world.wave.instrument), [self.world.city_a])
        return self.client_as(who).post(
            "/api/v1/programmes/test/waves/2020/responses/import/",
            {"file": SimpleUploadedFile("answers.csv", content, content_type="text/csv")},
            format="multipart",
        )

    def import_outcomes(self, who):
        return self.client_as(who).post(
            "/api/v1/programmes/test/outcomes/import/",
            {
                "file": SimpleUploadedFile(EU_QOL.name, EU_QOL.read_bytes(), content_type="text/csv"),
                "period": "2023",
                "skip_unmatched": "true",
            },
            format="multipart",
        )

    def score(self, who):
        return self.client_as(who).post("/api/v1/programmes/test/waves/2020/score/")

    WRITES = ("import_responses", "import_outcomes", "score")

    def assert_refused(self, who, expected: int):
        for write in self.WRITES:
            with self.subTest(write=write, who=who):
                response = getattr(self, write)(who)
                self.assertEqual(response.status_code, expected, response.content[:300])
        self.assertFalse(ImportRun.objects.filter(status="applied").exists())
        self.assertFalse(OutcomeValue.objects.exists())
        self.assertFalse(ScoreRun.objects.exists())

    def test_no_token_is_401_with_the_scheme_to_use(self):
        self.assert_refused(None, 401)
        self.assertEqual(self.score(None)["WWW-Authenticate"], 'Token realm="api"')

    def test_a_revoked_token_is_401(self):
        self.assert_refused("revoked", 401)

    def test_a_reviewer_may_not_write_403(self):
        self.assert_refused("reviewer", 403)

    def test_a_city_respondent_sees_no_staff_endpoint_404(self):
        self.assert_refused("respondent", 404)

    def test_another_programmes_admin_gets_404(self):
        self.assert_refused("other_admin", 404)

    def test_the_admin_imports_responses_through_the_service(self):
        response = self.import_responses("admin")
        self.assertEqual(response.status_code, 201, response.content[:500])
        self.assertEqual(response.json()["inserted"] > 0, True)
        run = ImportRun.objects.get(status="applied")
        self.assertEqual(run.actor, self.world.admin)
        self.assertEqual(Response.objects.get(wave=self.world.wave).status, "submitted")

    def test_a_bad_responses_file_is_400_with_every_problem_and_nothing_written(self):
        response = self.client_as("admin").post(
            "/api/v1/programmes/test/waves/2020/responses/import/",
            {"file": SimpleUploadedFile("a.csv", b"city,s1_strategy\nnowhere-xx,perhaps\n")},
            format="multipart",
        )
        self.assertEqual(response.status_code, 400)
        codes = {p["code"] for p in response.json()["problems"]}
        self.assertTrue(codes and all(code.startswith("import.") for code in codes), codes)
        self.assertFalse(Response.objects.exists())

    def test_the_admin_imports_outcomes(self):
        response = self.import_outcomes("admin")
        self.assertEqual(response.status_code, 201, response.content[:800])
        self.assertEqual(OutcomeImportRun.objects.get().actor, self.world.admin)
        self.assertTrue(OutcomeValue.objects.exists())

    def test_the_admin_scores_the_wave(self):
        self.assertEqual(self.import_responses("admin").status_code, 201)
        response = self.score("admin")
        self.assertEqual(response.status_code, 201, response.content[:500])
        self.assertEqual(response.json()["n"], 1)
        self.assertEqual(ScoreRun.objects.get().actor, self.world.admin)
