"""Public reads: only validated responses of published waves, in every list and file; filtering,
ordering, paging, conditional GETs and the anonymous rate limit."""

from __future__ import annotations

import io
import json
import zipfile
from unittest import mock

from django.test import TestCase
from openpyxl import load_workbook
from rest_framework.test import APIClient
from rest_framework.throttling import AnonRateThrottle

from civicmeter.testing import make_published_world
from civicmeter.web.accounts.permissions import SYSTEM
from civicmeter.web.programmes import services as programme_services

PUBLIC = {"baltimore-us", "bilbao-es"}
NEVER = {"athens-gr", "lisbon-pt", "rochester-us"}
FILES = "/api/v1/programmes/test/waves/2020/files/"


class PublicReadTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = make_published_world()

    def setUp(self):
        self.api = APIClient()

    def get(self, url, **headers):
        response = self.api.get(url, **headers)
        self.assertEqual(response.status_code, 200, response.content[:300])
        return response

    def everything_public(self) -> bytes:
        """Every list and every file, concatenated (to search for names that must not be there)."""
        urls = ["/api/v1/programmes/", "/api/v1/waves/", "/api/v1/cities/", "/api/v1/results/",
                "/api/v1/shares/", "/api/v1/peer-groups/", "/api/v1/programmes/test/outcomes/"]
        blobs = [self.get(url).content for url in urls]
        archive = zipfile.ZipFile(io.BytesIO(self.get(f"{FILES}datapackage.zip").content))
        blobs += [archive.read(name) for name in archive.namelist()]
        blobs += [self.get(f"{FILES}{t}.csv").content for t in ("cities", "results", "shares")]
        return b"\n".join(blobs)

    def test_lists_hold_only_validated_responses_of_published_waves(self):
        results = self.get("/api/v1/results/").json()
        self.assertEqual({r["city"] for r in results["results"]}, PUBLIC)
        self.assertEqual({c["city"] for c in self.get("/api/v1/cities/").json()["results"]}, PUBLIC)
        shares = self.get("/api/v1/shares/?question=s1_strategy").json()["results"]
        self.assertEqual({r["valid"] + r["excluded"] for r in shares}, {2})
        everything = self.everything_public()
        for slug in NEVER:
            self.assertNotIn(slug.encode(), everything)

    def test_an_unpublished_wave_disappears_from_every_endpoint(self):
        programme_services.wave_unpublish(actor=SYSTEM, wave=self.world.wave)
        for url in ("/api/v1/programmes/", "/api/v1/waves/", "/api/v1/results/", "/api/v1/cities/",
                    "/api/v1/shares/"):
            self.assertEqual(self.get(url).json()["count"], 0, url)
        self.assertEqual(self.api.get(f"{FILES}datapackage.json").status_code, 404)
        self.assertEqual(self.api.get("/api/v1/programmes/test/outcomes/").status_code, 404)

    def test_results_carry_index_components_class_and_rank_interval(self):
        rows = {r["city"]: r for r in self.get("/api/v1/results/?wave=2020").json()["results"]}
        baltimore = rows["baltimore-us"]
        self.assertEqual(baltimore["score"], 10.0)
        self.assertEqual(baltimore["index"], "psi-capacity")
        self.assertEqual(len(baltimore["components"]), 5)
        self.assertLessEqual(baltimore["rank_p5"], baltimore["rank"])
        self.assertLessEqual(baltimore["rank"], baltimore["rank_p95"])
        self.assertEqual(rows["bilbao-es"]["score"], 3.5)

    def test_filters_by_continent_name_or_code_country_and_class(self):
        for continent in ("Europe", "EU"):
            rows = self.get(f"/api/v1/results/?wave=2020&continent={continent}").json()["results"]
            self.assertEqual([r["city"] for r in rows], ["bilbao-es"])
        rows = self.get("/api/v1/cities/?country=us").json()["results"]
        self.assertEqual([r["city"] for r in rows], ["baltimore-us"])
        self.assertEqual(self.get("/api/v1/results/?wave=2019").json()["count"], 0)

    def test_a_bad_filter_value_is_a_400_naming_it(self):
        response = self.api.get("/api/v1/results/?continent=Atlantis")
        self.assertEqual(response.status_code, 400)
        self.assertIn("continent", response.json())
        response = self.api.get("/api/v1/shares/?peer_group=everyone")
        self.assertEqual(response.status_code, 400)
        self.assertIn("peer_group", response.json())

    def test_ordering_and_pages(self):
        rows = self.get("/api/v1/results/?ordering=-score").json()["results"]
        self.assertEqual([r["city"] for r in rows], ["baltimore-us", "bilbao-es"])
        rows = self.get("/api/v1/results/?ordering=score").json()["results"]
        self.assertEqual([r["city"] for r in rows], ["bilbao-es", "baltimore-us"])
        first = self.get("/api/v1/results/?page_size=1").json()
        self.assertEqual(first["count"], 2)
        self.assertEqual(len(first["results"]), 1)
        second = self.api.get(first["next"]).json()
        self.assertIsNone(second["next"])
        self.assertNotEqual(first["results"][0]["city"], second["results"][0]["city"])

    def test_shares_per_peer_group(self):
        groups = {g["code"]: g["size"] for g in self.get("/api/v1/peer-groups/").json()["results"]}
        self.assertEqual(groups["all"], 2)
        self.assertEqual(groups["continent:EU"], 1)
        rows = self.get("/api/v1/shares/?peer_group=continent:EU&question=s1_strategy").json()["results"]
        self.assertEqual({(r["option"], r["count"]) for r in rows if r["count"]}, {("no", 1)})

    def test_conditional_get_answers_304_until_the_public_data_changes(self):
        first = self.get("/api/v1/results/?wave=2020")
        etag, modified = first["ETag"], first["Last-Modified"]
        again = self.api.get("/api/v1/results/?wave=2020", HTTP_IF_NONE_MATCH=etag)
        self.assertEqual(again.status_code, 304)
        since = self.api.get("/api/v1/results/?wave=2020", HTTP_IF_MODIFIED_SINCE=modified)
        self.assertEqual(since.status_code, 304)
        self.assertNotEqual(self.get("/api/v1/results/?wave=2020&ordering=score")["ETag"], etag)
        programme_services.wave_unpublish(actor=SYSTEM, wave=self.world.wave)
        self.assertEqual(self.api.get("/api/v1/results/?wave=2020", HTTP_IF_NONE_MATCH=etag).status_code, 200)

    def test_csv_and_xlsx_files(self):
        csv = self.get(f"{FILES}results.csv")
        self.assertEqual(csv["Content-Disposition"], 'attachment; filename="test-2020-results.csv"')
        self.assertNotIn("Content-Disposition", self.get(f"{FILES}datapackage.json"))
        text = csv.content.decode()
        header = text.splitlines()[0].split(",")
        self.assertEqual(header[:5], ["city", "name", "country", "continent", "synthetic"])
        self.assertIn("component_strategy", header)
        book = load_workbook(io.BytesIO(self.get(f"{FILES}cities.xlsx").content))
        cities = [row[0] for row in book["cities"].iter_rows(min_row=2, values_only=True)]
        self.assertEqual(sorted(cities), sorted(PUBLIC))
        self.assertEqual(self.api.get(f"{FILES}secrets.csv").status_code, 404)

    def test_the_data_package_names_licence_sources_versions_and_schemas(self):
        package = json.loads(self.get(f"{FILES}datapackage.json").content)
        self.assertEqual(package["licenses"][0]["name"], "CC-BY-4.0")
        self.assertEqual([r["name"] for r in package["resources"]], ["cities", "results", "shares"])
        self.assertEqual(package["civicmeter"]["scores"]["recipe"], "psi-capacity")
        self.assertTrue(package["sources"])
        fields = [f["name"] for f in package["resources"][1]["schema"]["fields"]]
        self.assertIn("rank_p95", fields)

    def test_anonymous_clients_are_rate_limited(self):
        with mock.patch.object(AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/minute"}):
            codes = [self.api.get("/api/v1/waves/").status_code for _ in range(4)]
        self.assertEqual(codes, [200, 200, 200, 429])
