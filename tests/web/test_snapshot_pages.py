"""The public city pages: snapshot, PDF, list of cities, comparison and the team's preview.

Security first: nothing unpublished (draft, returned, submitted-only answers, unpublished waves,
private free text) reaches a public page, and every text a city wrote is escaped.
"""

from __future__ import annotations

from django.contrib.messages import get_messages
from django.test import TestCase, override_settings
from django.urls import reverse

from civicmeter.testing import (
    PSI_FULL_ANSWERS,
    PSI_MIXED_ANSWERS,
    complete_answers,
    login,
    make_city,
    make_world,
)
from civicmeter.web.accounts.permissions import SYSTEM
from civicmeter.web.collection.models import Answer, Response
from civicmeter.web.explorer import public_pages, published, snapshot_views
from civicmeter.web.programmes import services
from civicmeter.web.programmes.instrument_cache import instrument_for
from civicmeter.web.programmes.models import CityDisclosure, Wave
from civicmeter.web.results import services as results_services

SPOTLIGHT = "<script>alert('spot')</script> Our lab & partners"
DRAFT_MARK = "Draft-only strategy text"
PRIVATE_MARK = "Private strategy text"


def respond(wave, city, answers: dict[str, str], status: str) -> Response:
    response = Response.objects.create(wave=wave, city=city, status=status)
    Answer.objects.bulk_create([Answer(response=response, question=q, value=v) for q, v in answers.items()])
    return response


@override_settings(SECURE_SSL_REDIRECT=False)
class SnapshotPagesTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = w = make_world(wave_status=Wave.Status.CLOSED)
        instrument = instrument_for(w.wave.instrument)
        full = complete_answers(
            instrument, {**PSI_FULL_ANSWERS, "spotlight": SPOTLIGHT, "mayor": "<b>Mayor</b> Pugh"}
        )
        full["s1_strategy_text"] = "<img src=x onerror=alert(1)> A public strategy"
        mixed = complete_answers(instrument, PSI_MIXED_ANSWERS)
        respond(w.wave, w.city_a, full, Response.Status.VALIDATED)
        respond(w.wave, w.city_b, mixed, Response.Status.VALIDATED)
        draft = {**full, "s1_strategy_text": DRAFT_MARK}
        cls.lisbon = make_city("Lisbon", "PT", population=547_733)
        cls.athens = make_city("Athens", "GR", population=665_000)
        cls.rochester = make_city("Rochester", "US", population=208_046)
        respond(w.wave, cls.lisbon, draft, Response.Status.DRAFT)
        respond(w.wave, cls.athens, draft, Response.Status.RETURNED)
        respond(w.wave, cls.rochester, draft, Response.Status.SUBMITTED)
        results_services.scores_compute(actor=SYSTEM, wave=w.wave)
        services.disclosure_set(
            actor=SYSTEM,
            programme=w.programme,
            city=w.city_a,
            profile_fields=list(CityDisclosure.PROFILE_FIELDS),
            private_texts=[],
        )

    def setUp(self):
        published.clear_cache()
        snapshot_views.BODIES.clear()
        public_pages.PAGES.clear()
        snapshot_views.PDFS.clear()

    def publish(self):
        services.wave_publish(actor=self.world.admin, wave=self.world.wave)

    def snapshot(self, slug="baltimore-us", **query):
        return self.client.get(reverse("explorer:snapshot", args=[slug]), query)

    def test_nothing_before_publication(self):
        self.assertEqual(self.snapshot().status_code, 404)
        self.assertEqual(
            self.client.get(reverse("explorer:snapshot_pdf", args=["baltimore-us"])).status_code, 404
        )
        self.assertNotContains(self.client.get(reverse("explorer:cities")), "Baltimore")

    def test_snapshot_shows_public_facts_and_escapes_city_text(self):
        self.publish()
        page = self.snapshot()
        self.assertEqual(page.status_code, 200)
        html = page.content.decode()
        self.assertIn("&lt;script&gt;alert(&#x27;spot&#x27;)&lt;/script&gt; Our lab &amp; partners", html)
        self.assertNotIn("<script>alert(", html)
        self.assertNotIn("<img src=x", html)
        self.assertIn("&lt;b&gt;Mayor&lt;/b&gt; Pugh", html)
        self.assertIn("611,648 (2017)", html)
        self.assertIn("Baltimore has an explicit innovation strategy", html)
        self.assertIn("10.0", html)  # the PSI index, 10 of 10
        self.assertNotIn(DRAFT_MARK, html)
        self.assertIn("2 cities with published answers", html)

    def test_unpublished_answers_never_reach_a_public_page(self):
        self.publish()
        for slug in ("lisbon-pt", "athens-gr", "rochester-us"):
            self.assertEqual(self.snapshot(slug).status_code, 404)
            self.assertEqual(self.client.get(reverse("explorer:snapshot_pdf", args=[slug])).status_code, 404)
        listing = self.client.get(reverse("explorer:cities")).content.decode()
        self.assertIn("Baltimore", listing)
        for name in ("Lisbon", "Athens", "Rochester"):
            self.assertNotIn(name, listing)
        compare = self.client.get(reverse("explorer:compare"), {"cities": "baltimore-us,lisbon-pt"})
        self.assertEqual(compare.status_code, 404)
        self.assertContains(compare, "lisbon-pt", status_code=404)
        self.assertNotContains(compare, DRAFT_MARK, status_code=404)

    def test_unpublishing_takes_the_pages_down(self):
        self.publish()
        self.assertEqual(self.snapshot().status_code, 200)
        services.wave_unpublish(actor=self.world.admin, wave=self.world.wave)
        self.assertEqual(self.snapshot().status_code, 404)

    def test_private_free_text_and_withheld_profile_facts(self):
        self.publish()
        self.assertContains(self.snapshot(), "A public strategy")
        services.disclosure_set(
            actor=self.world.respondent_a,
            programme=self.world.programme,
            city=self.world.city_a,
            profile_fields=["mayor"],
            private_texts=["s1_strategy_text"],
        )
        html = self.snapshot().content.decode()
        self.assertNotIn("A public strategy", html)
        self.assertNotIn("Our lab", html)
        self.assertIn("Pugh", html)

    def test_peer_group_and_wave_choices(self):
        self.publish()
        continent = self.snapshot(peers="continent")
        self.assertContains(continent, "Cities in North America")
        self.assertContains(continent, "1 city with published answers")
        self.assertEqual(self.snapshot(peers="galaxy").status_code, 404)
        wrong = self.snapshot(wave="1999")
        self.assertContains(wrong, "no published results in wave 1999", status_code=404)
        self.assertEqual(self.snapshot("nowhere-xx").status_code, 404)

    def test_pages_are_translated(self):
        self.publish()
        page = self.client.get(reverse("explorer:snapshot", args=["baltimore-us"]), HTTP_ACCEPT_LANGUAGE="es")
        self.assertContains(page, 'lang="es"')
        self.assertContains(page, "Como el")

    def test_pdf_download(self):
        self.publish()
        response = self.client.get(reverse("explorer:snapshot_pdf", args=["baltimore-us"]))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertIn("baltimore-us-2020-snapshot.pdf", response["Content-Disposition"])
        self.assertTrue(response.content.startswith(b"%PDF"))

    def test_compare_two_cities_and_clear_errors(self):
        self.publish()
        url = reverse("explorer:compare")
        page = self.client.get(url, {"cities": "baltimore-us,bilbao-es"})
        self.assertEqual(page.status_code, 200)
        self.assertContains(page, "Strategy, goals and approaches")
        self.assertContains(page, "Does the city have a formal innovation strategy?")
        one = self.client.get(url, {"cities": "baltimore-us"})
        self.assertContains(one, "Choose two to four cities", status_code=400)
        five = self.client.get(url, {"cities": "a-xx,b-xx,c-xx,d-xx,e-xx"})
        self.assertContains(five, "the address names 5", status_code=400)
        unknown = self.client.get(url, {"cities": "baltimore-us,atlantis-xx"})
        self.assertContains(unknown, "atlantis-xx", status_code=404)
        by_form = self.client.get(url, {"city": ["baltimore-us", "bilbao-es", ""]})
        self.assertEqual(by_form.status_code, 200)

    def test_public_pages_keep_the_strict_csp(self):
        self.publish()
        page = self.snapshot()
        self.assertIn("script-src 'self'", page["Content-Security-Policy"])
        self.assertNotIn(
            "unsafe-inline", page["Content-Security-Policy"].split("script-src")[1].split(";")[0]
        )
        self.assertNotIn("<script>", page.content.decode().replace('<script type="application/json"', ""))


@override_settings(SECURE_SSL_REDIRECT=False)
class TeamPreviewTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = w = make_world(wave_status=Wave.Status.CLOSED)
        instrument = instrument_for(w.wave.instrument)
        respond(w.wave, w.city_a, complete_answers(instrument, PSI_FULL_ANSWERS), Response.Status.VALIDATED)
        respond(w.wave, w.city_b, complete_answers(instrument, PSI_MIXED_ANSWERS), Response.Status.SUBMITTED)

    def preview_url(self, city="baltimore-us"):
        return reverse("explorer:preview", args=[self.world.programme.slug, city, self.world.wave.code])

    def test_the_city_team_previews_its_snapshot_before_publication(self):
        login(self.client, self.world.respondent_a)
        page = self.client.get(self.preview_url())
        self.assertContains(page, "Preview: this wave is not published")
        self.assertContains(page, "Baltimore")
        team = self.client.get(reverse("cityhome:page", args=[self.world.programme.slug, "baltimore-us"]))
        self.assertContains(team, "preview the snapshot")
        self.assertEqual(
            self.client.get(reverse("explorer:snapshot", args=["baltimore-us"])).status_code, 404
        )

    def test_other_cities_and_strangers_get_nothing(self):
        login(self.client, self.world.respondent_b)
        self.assertEqual(self.client.get(self.preview_url()).status_code, 404)
        self.client.logout()
        login(self.client, self.world.outsider)
        self.assertEqual(self.client.get(self.preview_url()).status_code, 404)

    def test_a_response_not_yet_validated_has_no_preview(self):
        login(self.client, self.world.respondent_b)
        page = self.client.get(self.preview_url("bilbao-es"))
        self.assertContains(page, "no validated response")

    def test_the_team_sets_what_it_publishes(self):
        login(self.client, self.world.respondent_a)
        url = reverse("explorer:disclosure", args=[self.world.programme.slug, "baltimore-us"])
        response = self.client.post(url, {"publish": ["spotlight", "mayor"], "private": ["s1_strategy_text"]})
        self.assertEqual(response.status_code, 302)
        disclosure = CityDisclosure.objects.get(city=self.world.city_a)
        self.assertEqual(disclosure.profile_fields, ["mayor", "spotlight"])
        self.assertEqual(disclosure.private_texts, ["s1_strategy_text"])
        refused = self.client.post(url, {"publish": ["email"]})
        self.assertRedirects(
            refused,
            reverse("cityhome:page", args=[self.world.programme.slug, "baltimore-us"]),
            fetch_redirect_response=False,
        )
        shown = [(m.level_tag, m.message) for m in get_messages(refused.wsgi_request)]
        self.assertEqual(shown[-1][0], "error")  # after the first post's success, never read
        self.assertIn("programme.E006", shown[-1][1])
        self.assertEqual(len(shown), 2)
        self.assertEqual(
            CityDisclosure.objects.get(city=self.world.city_a).profile_fields, ["mayor", "spotlight"]
        )
        other = reverse("explorer:disclosure", args=[self.world.programme.slug, "bilbao-es"])
        self.assertEqual(self.client.post(other, {"publish": ["mayor"]}).status_code, 404)
        self.client.logout()
        login(self.client, self.world.reviewer)
        self.assertEqual(self.client.post(url, {"publish": []}).status_code, 403)


@override_settings(SECURE_SSL_REDIRECT=False)
class ChangeAndDataUseTestCase(TestCase):
    """Change since the previous published wave, and the data-use index only when the paired
    assessment wave is published too."""

    @classmethod
    def setUpTestData(cls):
        from civicmeter.testing import assessment_claims, make_assessment_wave

        cls.world = w = make_world(wave_status=Wave.Status.CLOSED)
        instrument = instrument_for(w.wave.instrument)
        cls.earlier = Wave.objects.create(
            programme=w.programme, code="2018", instrument=w.wave.instrument, status=Wave.Status.CLOSED
        )
        for wave, answers in ((cls.earlier, PSI_MIXED_ANSWERS), (w.wave, PSI_FULL_ANSWERS)):
            for city in (w.city_a, w.city_b):
                respond(wave, city, complete_answers(instrument, answers), Response.Status.VALIDATED)
            results_services.scores_compute(actor=SYSTEM, wave=wave)
            services.wave_publish(actor=SYSTEM, wave=wave)
        cls.assessment = make_assessment_wave(w)
        claims = assessment_claims(instrument_for(cls.assessment.instrument))
        respond(cls.assessment, w.city_a, claims, Response.Status.VALIDATED)
        results_services.scores_compute(actor=SYSTEM, wave=cls.assessment)
        services.wave_close(actor=SYSTEM, wave=cls.assessment)

    def setUp(self):
        published.clear_cache()
        snapshot_views.BODIES.clear()
        public_pages.PAGES.clear()

    def test_change_since_the_previous_wave(self):
        page = self.client.get(reverse("explorer:snapshot", args=["baltimore-us"]))
        self.assertContains(page, "Change since wave 2018")
        self.assertContains(page, "PSI capacity index: 3.5 then, 10.0 now (+6.5 points).")
        self.assertContains(page, "Does the city have a formal innovation strategy?")
        earlier = self.client.get(reverse("explorer:snapshot", args=["baltimore-us"]), {"wave": "2018"})
        self.assertNotContains(earlier, "Change since wave")

    def test_data_use_index_only_once_its_wave_is_published(self):
        page = self.client.get(reverse("explorer:snapshot", args=["baltimore-us"]))
        self.assertNotContains(page, "Data-use index")
        services.wave_publish(actor=SYSTEM, wave=self.assessment)
        page = self.client.get(reverse("explorer:snapshot", args=["baltimore-us"]))
        self.assertContains(page, "Data-use index")
        self.assertContains(page, "Data governance and management")
