"""The public map and findings: only validated answers of published waves, escaped, translated,
filtered the same way with and without script, and fresh as soon as what is public changes."""

from __future__ import annotations

import json
import re

from django.test import TestCase, override_settings
from django.urls import reverse

from civicmeter.testing import make_city, make_published_world
from civicmeter.web.accounts.permissions import SYSTEM
from civicmeter.web.collection.models import Response
from civicmeter.web.explorer import public_pages, published
from civicmeter.web.explorer.findings import wave_findings
from civicmeter.web.programmes import services as programme_services
from civicmeter.web.programmes.models import Wave

NEVER_PUBLIC = ("Athens", "Lisbon", "Rochester")  # draft, returned, submitted in make_published_world


def map_rows(response) -> list[dict]:
    block = re.search(r'<script id="map-data" type="application/json">(.*?)</script>', response.text, re.S)
    return json.loads(block.group(1))["rows"]


@override_settings(SECURE_SSL_REDIRECT=False)
class PublicMapTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = make_published_world()

    def setUp(self):
        published.clear_cache()
        public_pages.PAGES.clear()

    def get_map(self, **query):
        return self.client.get(reverse("explorer:map"), query)

    def test_only_validated_cities_of_published_waves_reach_the_map(self):
        response = self.get_map()
        self.assertEqual(response.status_code, 200)
        self.assertEqual([r["name"] for r in map_rows(response)], ["Baltimore", "Bilbao"])
        for name in NEVER_PUBLIC:
            self.assertNotContains(response, name)
        self.assertContains(response, "Showing 2 of 2 cities.")

    def test_unpublishing_empties_the_map(self):
        programme_services.wave_unpublish(actor=SYSTEM, wave=self.world.wave)
        response = self.get_map()
        self.assertContains(response, "No survey results have been published yet.")
        self.assertNotContains(response, "Baltimore")

    def test_a_newly_validated_response_shows_without_clearing_any_cache(self):
        self.assertEqual(len(map_rows(self.get_map())), 2)
        Response.objects.filter(city__name="Rochester").update(status=Response.Status.VALIDATED)
        self.assertIn("Rochester", [r["name"] for r in map_rows(self.get_map())])

    def test_a_newer_wave_with_no_public_city_is_not_the_default(self):
        w = self.world
        Wave.objects.create(programme=w.programme, code="2022", instrument=w.wave.instrument,
                            status=Wave.Status.PUBLISHED)
        self.assertContains(self.get_map(), "Showing 2 of 2 cities.")
        self.assertContains(self.get_map(wave="2022"), "Showing 0 of 0 cities.")
        response = self.client.get(reverse("explorer:findings_latest"))
        target = reverse("explorer:findings", args=["2020"])
        self.assertRedirects(response, target, fetch_redirect_response=False)

    def test_filters_narrow_the_table_the_script_reads_every_row(self):
        response = self.get_map(continent="EU")
        table = response.text.split('id="map-table"')[1].split("</table>")[0]
        self.assertIn("Bilbao", table)
        self.assertNotIn("Baltimore", table)
        self.assertEqual(len(map_rows(response)), 2)  # the script filters itself
        self.assertContains(response, "Showing 1 of 2 cities.")
        self.assertContains(self.get_map(q="balt"), "Showing 1 of 2 cities.")

    def test_a_choice_not_offered_is_reported_and_ignored(self):
        response = self.get_map(continent="XX")
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "Some choices are not offered for this wave", status_code=400)
        self.assertContains(response, "Showing 2 of 2 cities.", status_code=400)

    def test_every_row_carries_its_snapshot_link_and_colours(self):
        row = map_rows(self.get_map())[0]
        self.assertEqual(row["url"], reverse("explorer:snapshot", args=["baltimore-us"]) + "?wave=2020")
        self.assertIn(row["colour"]["psi_class"], ("#1f5fa8", "#c25700"))
        self.assertEqual((row["lat"], row["continent"]), (None, "NA"))

    def test_city_names_are_escaped_in_the_table_and_the_data_block(self):
        city = make_city("<script>alert(1)</script>", "US", slug="evil-us")
        Response.objects.filter(city__name="Rochester").update(city=city, status=Response.Status.VALIDATED)
        response = self.get_map()
        self.assertNotContains(response, "<script>alert(1)</script>")
        self.assertContains(response, "&lt;script&gt;alert(1)&lt;/script&gt;")
        self.assertIn("<script>alert(1)</script>", [r["name"] for r in map_rows(response)])

    def test_the_page_is_translated(self):
        response = self.client.get(reverse("explorer:map"), headers={"accept-language": "es"})
        self.assertContains(response, "Las ciudades en el mapa")
        self.assertContains(response, '<html lang="es">')


@override_settings(SECURE_SSL_REDIRECT=False)
class FindingsTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = make_published_world()

    def setUp(self):
        published.clear_cache()
        public_pages.PAGES.clear()

    def test_nothing_before_publication(self):
        programme_services.wave_unpublish(actor=SYSTEM, wave=self.world.wave)
        self.assertEqual(self.client.get(reverse("explorer:findings", args=["2020"])).status_code, 404)
        self.assertEqual(self.client.get(reverse("explorer:findings_latest")).status_code, 404)

    def test_latest_findings_redirect_to_the_newest_published_wave(self):
        response = self.client.get(reverse("explorer:findings_latest"))
        target = reverse("explorer:findings", args=["2020"])
        self.assertRedirects(response, target, fetch_redirect_response=False)

    def test_findings_count_only_validated_answers(self):
        public = published.public_wave(Wave.objects.get(pk=self.world.wave.pk))
        findings = {f.key: f for f in wave_findings(public, "en")}
        self.assertEqual(len(findings), 12)
        strategy = findings["strategy"]
        self.assertEqual((strategy.n_low, strategy.n_high), (2, 2))  # Baltimore and Bilbao only
        table = strategy.chart.table()
        self.assertEqual(table.columns[:3], ("Question", "Yes", "No"))
        self.assertEqual(table.rows[0][1:3], ("50%", "50%"))  # one yes (full), one no (mixed)

    def test_page_shows_each_chart_with_its_question_and_n(self):
        response = self.client.get(reverse("explorer:findings", args=["2020"]))
        self.assertContains(response, "Factors lacking in cities&#x27; innovation capacity")
        self.assertContains(response, "Which of these are lacking in the city&#x27;s innovation capacity?")
        self.assertContains(response, "(n = 2)")
        self.assertNotContains(response, "n = 3")
        self.assertContains(response, 'type="application/json"', count=12)
        for name in NEVER_PUBLIC:
            self.assertNotContains(response, name)

    def test_findings_pdf(self):
        response = self.client.get(reverse("explorer:findings_pdf", args=["2020"]))
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertTrue(response.content.startswith(b"%PDF"))
        self.assertIn('filename="findings-test-2020.pdf"', response["Content-Disposition"])
