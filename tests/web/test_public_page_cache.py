"""Whole public pages answered from memory (``explorer.public_pages``) are never stale, never show
an unpublished answer and never hand one visitor's CSRF token or sign-in to another: each page is
asked for twice (the second answer comes from the cache: no template is drawn) around a change."""

from __future__ import annotations

from unittest import mock

from django.test import Client, TestCase, override_settings
from django.urls import reverse

from civicmeter.testing import login, make_published_world
from civicmeter.web.accounts.permissions import SYSTEM
from civicmeter.web.collection.models import Response
from civicmeter.web.explorer import public_pages, published, snapshot_views
from civicmeter.web.programmes import services
from civicmeter.web.programmes.models import City
from civicmeter.web.wellbeing.models import OutcomeImportRun, OutcomeIndicator, OutcomeValue

from .test_page_cache import assert_carries_own_csrf_token

#: Each cached public page with the text that shows Baltimore (public in make_published_world).
PAGES = {
    "snapshot": (reverse("explorer:snapshot", args=["baltimore-us"]), "Baltimore"),
    "cities": (reverse("explorer:cities"), "Baltimore"),
    "compare": (reverse("explorer:compare") + "?cities=baltimore-us,bilbao-es", "Baltimore"),
    "map": (reverse("explorer:map"), "Baltimore"),
    "findings": (reverse("explorer:findings", args=["2020"]), "(n = 2)"),
}


@override_settings(SECURE_SSL_REDIRECT=False)
class PublicPageCacheTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = make_published_world()

    def setUp(self):
        # Tests reuse ids after each rollback, so a page kept by an earlier test can carry this
        # test's key; start empty to see every draw.
        published.clear_cache()
        snapshot_views.BODIES.clear()
        public_pages.PAGES.clear()

    def assertFromCache(self, page):
        self.assertEqual(page.status_code, 200)
        self.assertEqual(page.templates, [], "answered from the page cache, no template drawn")

    def assertDrawn(self, page):
        self.assertTrue(page.templates, "drawn afresh")

    def test_every_public_page_is_kept_and_unpublishing_takes_it_down_at_once(self):
        for name, (url, shown) in PAGES.items():
            with self.subTest(name):
                first = self.client.get(url)
                self.assertDrawn(first)
                self.assertContains(first, shown)
                self.assertFromCache(self.client.get(url))
        services.wave_unpublish(actor=SYSTEM, wave=self.world.wave)
        for name, (url, shown) in PAGES.items():
            with self.subTest(name):
                page = self.client.get(url)
                self.assertDrawn(page)
                self.assertNotContains(page, shown, status_code=page.status_code)
                self.assertNotContains(page, "Baltimore", status_code=page.status_code)
        self.assertEqual(self.client.get(PAGES["snapshot"][0]).status_code, 404)
        services.wave_publish(actor=SYSTEM, wave=self.world.wave)
        self.assertContains(self.client.get(PAGES["snapshot"][0]), "Baltimore")

    def test_a_response_no_longer_validated_leaves_every_page(self):
        for url, _shown in PAGES.values():
            self.client.get(url)
        Response.objects.filter(city=self.world.city_b).update(status=Response.Status.RETURNED)
        self.assertEqual(self.client.get(reverse("explorer:snapshot", args=["bilbao-es"])).status_code, 404)
        for name in ("cities", "map"):
            with self.subTest(name):
                page = self.client.get(PAGES[name][0])
                self.assertDrawn(page)
                self.assertNotContains(page, "Bilbao")

    def test_a_consent_withdrawn_shows_at_once(self):
        City.objects.filter(pk=self.world.city_a.pk).update(mayor="Brandon Scott")
        services.disclosure_set(
            actor=SYSTEM, programme=self.world.programme, city=self.world.city_a,
            profile_fields=["mayor"], private_texts=[],
        )  # fmt: skip
        url = PAGES["snapshot"][0]
        self.assertContains(self.client.get(url), "Brandon Scott")
        services.disclosure_set(
            actor=SYSTEM, programme=self.world.programme, city=self.world.city_a,
            profile_fields=[], private_texts=[],
        )  # fmt: skip
        page = self.client.get(url)
        self.assertDrawn(page)
        self.assertNotContains(page, "Brandon Scott")

    def test_new_outcome_figures_redraw_the_map(self):
        url = PAGES["map"][0]
        self.client.get(url)
        self.assertFromCache(self.client.get(url))
        indicator = OutcomeIndicator.objects.create(
            code="obesity", name="Adult obesity", dimension="health", unit="%", direction=-1,
            source="test", rescale="minmax",
        )  # fmt: skip
        run = OutcomeImportRun.objects.create(
            programme=self.world.programme, filename="o.csv", sha256="x", status="applied",
            started_at="2024-01-01T00:00Z", finished_at="2024-01-01T00:00Z",
        )  # fmt: skip
        OutcomeValue.objects.create(
            programme=self.world.programme, city=self.world.city_a, indicator=indicator, period="2022",
            value=30.0, index_points=55.0, unit="%", source="test", import_run=run,
        )  # fmt: skip
        page = self.client.get(url)
        self.assertDrawn(page)
        self.assertContains(page, "Adult obesity")

    def test_a_renamed_city_is_shown_by_its_new_name_at_once(self):
        for url, _shown in PAGES.values():
            self.client.get(url)
        city = City.objects.get(slug="baltimore-us")
        record = services.CityRecord(slug=city.slug, name="Charm City", country=city.country)
        services.cities_import(actor=SYSTEM, cities=[record])
        for name in ("snapshot", "cities", "compare", "map"):
            with self.subTest(name):
                page = self.client.get(PAGES[name][0])
                self.assertDrawn(page)
                self.assertContains(page, "Charm City")

    def test_each_visitor_gets_its_own_csrf_token(self):
        url = PAGES["snapshot"][0]
        first, second = Client(), Client()
        first.get(url)
        page = second.get(url)
        self.assertFromCache(page)
        assert_carries_own_csrf_token(page, second)

    def test_a_signed_in_page_is_never_an_anonymous_one(self):
        url = PAGES["snapshot"][0]
        staff = Client()
        login(staff, self.world.admin)
        self.assertContains(staff.get(url), "Sign out admin")
        page = self.client.get(url)
        self.assertDrawn(page)
        self.assertNotContains(page, "Sign out")
        self.assertContains(page, "Sign in")

    def test_each_language_and_address_is_its_own_page(self):
        url = PAGES["snapshot"][0]
        self.client.get(url)
        spanish = self.client.get(url, headers={"accept-language": "es"})
        self.assertDrawn(spanish)
        self.assertContains(spanish, '<html lang="es">')
        continent = self.client.get(url, {"peers": "continent"})
        self.assertDrawn(continent)
        self.assertContains(continent, "Cities in North America")

    def test_a_starting_server_process_builds_the_public_data_before_its_first_visitor(self):
        public_pages.warm()
        with mock.patch.object(published, "_build", side_effect=AssertionError("built on a request")):
            self.assertContains(self.client.get(PAGES["snapshot"][0]), "Baltimore")
