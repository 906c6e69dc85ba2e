"""Recommendations on the city team page, the programme's rules and case versions (validated, history
kept, staff only), the case library's filters, and ``civicmeter recommendations check``."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from django.test import TestCase
from django.urls import reverse
from typer.testing import CliRunner

from civicmeter.cli import app
from civicmeter.narrative import SHIPPED_RULES
from civicmeter.testing import (
    PSI_FULL_ANSWERS,
    PSI_MIXED_ANSWERS,
    complete_answers,
    login,
    make_city,
    make_user,
    make_world,
)
from civicmeter.web.accounts.models import Role
from civicmeter.web.accounts.permissions import SYSTEM
from civicmeter.web.collection.models import Answer, Response
from civicmeter.web.programmes.instrument_cache import instrument_for
from civicmeter.web.recommendations import selectors, services
from civicmeter.web.recommendations.models import ContentVersion
from civicmeter.web.results import services as results_services

RULES = SHIPPED_RULES.read_text(encoding="utf-8")
NEW_CASE = {
    "id": "porto-open-budget",
    "city": "Porto",
    "country": "Portugal",
    "title": "An open budget",
    "summary": "Budget data published monthly, with a guide for residents.",
    "recommendations": [8],
    "component": "data_use",
    "source": {"publication": "Programme visit notes, 2026", "url": "https://example.org/notes"},
}


def answer(wave, city, answers, status=Response.Status.SUBMITTED) -> None:
    response = Response.objects.create(wave=wave, city=city, status=status)
    complete = complete_answers(instrument_for(wave.instrument), answers)
    Answer.objects.bulk_create([Answer(response=response, question=q, value=v) for q, v in complete.items()])


class CityRecommendationsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = make_world()
        answer(cls.w.wave, cls.w.city_a, PSI_MIXED_ANSWERS)  # no strategy, no goals...
        answer(cls.w.wave, cls.w.city_b, PSI_FULL_ANSWERS)
        lima = make_city("Lima", "PE", population=9_000_000)
        make_user("lima-pe", programme=cls.w.programme, kind=Role.Kind.RESPONDENT, city=lima)
        answer(cls.w.wave, lima, PSI_FULL_ANSWERS)
        results_services.scores_compute(actor=SYSTEM, wave=cls.w.wave)
        cls.url = reverse("cityhome:page", args=[cls.w.programme.slug, cls.w.city_a.slug])

    def test_reasons_priority_and_peer_examples_from_stored_answers_and_scores(self):
        found = selectors.city_recommendations(self.w.wave, self.w.city_a)
        strategy = next(t for t in found.result.items if t.number == 3)
        self.assertIn("no formal strategy, while 100% of peers have one", [r.text for r in strategy.reasons])
        # strategy: Baltimore 0.5 of 2 points (share 0.25), both peers 1.0: gap 0.75, both close it
        self.assertAlmostEqual(strategy.gap, 0.75)
        self.assertAlmostEqual(strategy.priority, 0.75)
        self.assertEqual([slug for slug, _ in strategy.strong_cities], ["bilbao-es", "lima-pe"])
        self.assertTrue(strategy.cases)
        self.assertEqual(found.result.provenance["rules_version"], "1.0")

    def test_the_team_page_shows_them_with_the_agenda_button_for_the_team_only(self):
        login(self.client, self.w.respondent_a)
        page = self.client.get(self.url)
        self.assertContains(page, 'id="panel-recommendations"')
        self.assertContains(page, "Adopt a formal, public innovation strategy with measurable goals")
        self.assertContains(page, "no formal strategy, while 100% of peers have one")
        self.assertContains(page, "Bilbao (100%)")
        self.assertContains(page, "<li><strong>Las Vegas, United States:</strong>")  # no lang: in the page's
        self.assertContains(page, "No data-use assessment is paired with wave 2020")
        self.assertNotContains(page, "criteria triggers were not checked")
        add = reverse("agenda:add", args=[self.w.programme.slug, self.w.city_a.slug])
        self.assertContains(page, f"{add}?recommendation=3&amp;wave=2020")
        self.client.logout()
        login(self.client, self.w.admin)
        page = self.client.get(self.url)
        self.assertContains(page, "no formal strategy")
        self.assertNotContains(page, add)

    def test_a_new_rules_version_is_used_at_once(self):
        text = RULES.replace('version: "1.0"', 'version: "1.1"').replace(
            "Adopt a formal, public innovation strategy with measurable goals", "Write the strategy down"
        )
        services.rules_save(actor=self.w.admin, programme=self.w.programme, text=text, note="shorter title")
        found = selectors.city_recommendations(self.w.wave, self.w.city_a)
        self.assertEqual(found.result.provenance["rules_version"], "1.1")
        self.assertEqual(found.result.provenance["rules_source"], "rules v1.yaml")
        self.assertIn("Write the strategy down", [t.recommendation.title for t in found.result.items])


class ContentVersionTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = make_world()

    def test_each_save_is_a_new_version_and_history_is_kept(self):
        first = services.rules_save(actor=self.w.admin, programme=self.w.programme, text=RULES)
        second = services.rules_save(
            actor=self.w.admin, programme=self.w.programme, text=RULES + "\n# again\n"
        )
        self.assertEqual((first.number, second.number), (1, 2))
        self.assertEqual(ContentVersion.objects.filter(programme=self.w.programme, kind="rules").count(), 2)
        self.assertEqual(second.created_by, self.w.admin)

    def test_a_bad_rule_is_refused_naming_it_and_nothing_is_saved(self):
        text = RULES.replace("question: s1_strategy\n", "question: s1_strategyy\n", 1)
        with self.assertRaises(ValidationError) as caught:
            services.rules_save(actor=self.w.admin, programme=self.w.programme, text=text)
        self.assertEqual(
            caught.exception.messages,
            [
                "[narrative.E005] rules v1.yaml key recommendations.3.triggers.no_strategy.question: "
                "question 's1_strategyy' is not in instrument 'innovation_capacity'; use a question name "
                "of the instrument"
            ],
        )
        self.assertFalse(ContentVersion.objects.exists())

    def test_removing_a_recommendation_cases_point_to_is_refused(self):
        start = RULES.index("  - number: 10")
        with self.assertRaisesMessage(ValidationError, "narrative.E013"):
            services.rules_save(actor=self.w.admin, programme=self.w.programme, text=RULES[:start])

    def test_only_staff_edit(self):
        for user in (self.w.reviewer, self.w.respondent_a, self.w.outsider):
            with self.subTest(user=user.username), self.assertRaises(PermissionDenied):
                services.rules_save(actor=user, programme=self.w.programme, text=RULES)
        with self.assertRaises(PermissionDenied):
            services.case_add(actor=self.w.respondent_a, programme=self.w.programme, case=NEW_CASE)

    def test_staff_add_a_case_and_a_used_id_is_refused(self):
        version = services.case_add(actor=self.w.reviewer, programme=self.w.programme, case=NEW_CASE)
        self.assertEqual((version.kind, version.number), ("cases", 1))
        with self.assertRaisesMessage(ValidationError, "case id 'porto-open-budget' is used twice"):
            services.case_add(actor=self.w.reviewer, programme=self.w.programme, case=NEW_CASE)
        with self.assertRaisesMessage(ValidationError, "narrative.E013"):
            services.case_add(
                actor=self.w.admin,
                programme=self.w.programme,
                case={**NEW_CASE, "id": "x", "recommendations": [11]},
            )
        self.assertEqual(ContentVersion.objects.filter(kind="cases").count(), 1)


class PagesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = make_world()

    def test_the_rules_page_saves_a_valid_upload_and_lists_every_problem_of_a_bad_one(self):
        url = reverse("recommendations:content", args=[self.w.programme.slug, "rules"])
        login(self.client, self.w.admin)
        bad = RULES.replace('equals: "no"', 'equals: "nope"', 1)
        page = self.client.post(url, {"text": bad, "note": "typo"})
        self.assertContains(page, "[narrative.E006]", status_code=400)
        self.assertContains(
            page, "&#x27;nope&#x27; is not an option of &#x27;s2_training&#x27;", count=1, status_code=400
        )
        self.assertContains(page, "Not saved:", status_code=400)
        self.assertContains(self.client.post(url, {"text": " "}), "Paste the YAML text or upload a file.")
        with self.settings(CIVICMETER_MAX_YAML_BYTES=1000):
            big = SimpleUploadedFile("rules.yaml", RULES.encode())
            page = self.client.post(url, {"text": "", "file": big})
        self.assertContains(page, f"rules.yaml is {filesizeformat(len(RULES.encode()))}, above the 1000")
        with self.settings(CIVICMETER_MAX_YAML_BYTES=1000):
            page = self.client.post(url, {"text": RULES})
        self.assertContains(page, f"The pasted text is {filesizeformat(len(RULES.encode()))}, above the 1000")
        self.assertRedirects(self.client.post(url, {"text": RULES, "note": "first"}), url)
        page = self.client.get(url)
        self.assertContains(page, "In use: version 1.")
        download = self.client.get(
            reverse("recommendations:download", args=[self.w.programme.slug, "rules", "v1"])
        )
        self.assertEqual(download.content.decode(), RULES)
        self.assertEqual(download["Content-Type"], "application/yaml; charset=utf-8")
        self.assertEqual(
            download["Content-Disposition"], f'attachment; filename="{self.w.programme.slug}-rules-v1.yaml"'
        )

    def test_respondents_and_outsiders_cannot_open_the_rules_page(self):
        url = reverse("recommendations:content", args=[self.w.programme.slug, "rules"])
        for user in (self.w.respondent_a, self.w.outsider):
            self.client.logout()
            login(self.client, user)
            self.assertEqual(self.client.get(url).status_code, 404)

    def test_the_case_library_filters_and_searches(self):
        url = reverse("recommendations:cases", args=[self.w.programme.slug])
        login(self.client, self.w.respondent_a)
        page = self.client.get(url)
        self.assertContains(page, "15 cases of 15.")
        page = self.client.get(url, {"q": "cornella"})
        self.assertContains(page, "Cornellà")
        self.assertContains(page, "case of 15.")
        page = self.client.get(url, {"recommendation": "8", "component": "data_use"})
        self.assertNotContains(page, "Cornellà")
        self.assertNotContains(
            page, recommendations_add := reverse("recommendations:case_add", args=[self.w.programme.slug])
        )
        self.client.logout()
        login(self.client, self.w.reviewer)
        self.assertContains(self.client.get(url), recommendations_add)
        self.client.logout()
        login(self.client, self.w.outsider)
        self.assertEqual(self.client.get(url).status_code, 404)


class CheckCommandTests(TestCase):
    def test_check_reports_every_problem_or_what_the_file_holds(self):
        result = CliRunner().invoke(app, ["recommendations", "check", str(SHIPPED_RULES)])
        self.assertEqual(result.exit_code, 0, result.output)
        self.assertIn("10 recommendations, 33 triggers", result.output)


class PublicTopTests(TestCase):
    """The snapshot's top three read public data only: a merely submitted response is not a peer."""

    @classmethod
    def setUpTestData(cls):
        cls.w = make_world()
        answer(cls.w.wave, cls.w.city_a, PSI_MIXED_ANSWERS, Response.Status.VALIDATED)
        answer(cls.w.wave, cls.w.city_b, PSI_FULL_ANSWERS, Response.Status.VALIDATED)
        lima = make_city("Lima", "PE", population=9_000_000)
        make_user("lima-pe", programme=cls.w.programme, kind=Role.Kind.RESPONDENT, city=lima)
        answer(cls.w.wave, lima, PSI_MIXED_ANSWERS)  # submitted, not validated: never public
        results_services.scores_compute(actor=SYSTEM, wave=cls.w.wave)
        type(cls.w.wave).objects.filter(pk=cls.w.wave.pk).update(status="published")

    def test_three_at_most_from_public_peers_only(self):
        from django.template import Context, Template

        from civicmeter.web.explorer.published import public_wave
        from civicmeter.web.recommendations.public import public_top

        wave = public_wave(type(self.w.wave).objects.get(pk=self.w.wave.pk))
        top = public_top(wave, self.w.city_a.slug)
        self.assertEqual(len(top), 3)
        reasons = [r.text for t in top for r in t.item.reasons]
        self.assertTrue(all("while 100% of peers" in text or "no peer" in text for text in reasons), reasons)
        self.assertEqual(public_top(wave, "lima-pe"), [])
        html = Template("{% load recommendations_tags %}{% top_recommendations w 'baltimore-us' %}").render(
            Context({"w": wave})
        )
        self.assertIn("What to do next", html)
        self.assertNotIn("Lima", html)


class CaseFormTests(TestCase):
    def test_staff_add_a_case_through_the_form_and_find_it(self):
        w = make_world()
        login(self.client, w.reviewer)
        url = reverse("recommendations:case_add", args=[w.programme.slug])
        fields = {
            "id": "porto-open-budget",
            "city": "Porto",
            "country": "Portugal",
            "title": "An open budget",
            "summary": "Budget data published monthly.",
            "recommendations": ["8"],
            "component": "data_use",
            "publication": "Programme visit notes, 2026",
            "url": "https://example.org/notes",
        }
        library = reverse("recommendations:cases", args=[w.programme.slug])
        self.assertRedirects(self.client.post(url, fields), library)
        page = self.client.get(library, {"q": "porto", "recommendation": "8"})
        self.assertContains(page, "An open budget")
        self.assertContains(page, "1 case of 16.")
        again = self.client.post(url, fields)
        self.assertContains(again, "Not added:", status_code=400)
        self.assertContains(
            again, "case id &#x27;porto-open-budget&#x27; is used twice", count=1, status_code=400
        )
