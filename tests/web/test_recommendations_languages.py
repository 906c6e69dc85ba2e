"""Recommendations in the page's language: the team page panel, the public top three, the case
library and the agenda's copy in Spanish or French, and an English-only rules version shown in
English marked ``lang="en"``."""

from __future__ import annotations

import yaml
from django.template import Context, Template
from django.test import TestCase
from django.urls import reverse
from django.utils import translation

from civicmeter.narrative import SHIPPED_RULES
from civicmeter.testing import PSI_FULL_ANSWERS, PSI_MIXED_ANSWERS, login, make_city, make_user, make_world
from civicmeter.web.accounts.models import Role
from civicmeter.web.accounts.permissions import SYSTEM
from civicmeter.web.collection.models import Response
from civicmeter.web.recommendations import services
from civicmeter.web.results import services as results_services

from .test_recommendations import answer

TITLE_ES = "Adoptar una estrategia de innovación formal y pública con objetivos medibles"
REASON_ES = "no hay una estrategia formal, mientras que el 100 % de las ciudades comparables tienen una"


def english_only(node):
    """The rules with every ``{en, es, fr}`` text cut down to its English, as staff might write them."""
    if isinstance(node, dict):
        if "en" in node and set(node) <= {"en", "es", "fr"}:
            return node["en"]
        return {k: english_only(v) for k, v in node.items()}
    if isinstance(node, list):
        return [english_only(v) for v in node]
    return node


class PanelLanguageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = make_world()
        answer(cls.w.wave, cls.w.city_a, PSI_MIXED_ANSWERS, Response.Status.VALIDATED)
        answer(cls.w.wave, cls.w.city_b, PSI_FULL_ANSWERS, Response.Status.VALIDATED)
        lima = make_city("Lima", "PE", population=9_000_000)
        make_user("lima-pe", programme=cls.w.programme, kind=Role.Kind.RESPONDENT, city=lima)
        answer(cls.w.wave, lima, PSI_FULL_ANSWERS)
        results_services.scores_compute(actor=SYSTEM, wave=cls.w.wave)
        cls.url = reverse("cityhome:page", args=[cls.w.programme.slug, cls.w.city_a.slug])

    def tearDown(self):
        # a request with a language cookie leaves that language active in this thread; later tests
        # (e.g. e-mails written in the active language) expect the default again
        translation.deactivate()

    def _page(self, language: str):
        login(self.client, self.w.respondent_a)
        self.client.cookies["django_language"] = language
        return self.client.get(self.url)

    def test_the_team_page_panel_in_spanish(self):
        page = self._page("es")
        self.assertContains(page, '<html lang="es">')
        self.assertContains(page, f"<h3>{TITLE_ES}</h3>")
        self.assertContains(page, f"<li>{REASON_ES}</li>")
        self.assertContains(page, "<li>Acordar en una página, con el visto bueno de la alcaldía,")
        self.assertContains(
            page, "<li><strong>Las Vegas, Estados Unidos:</strong> Primero los planes estratégicos"
        )
        self.assertNotContains(page, "Adopt a formal, public innovation strategy")
        self.assertNotContains(page, '<h3 lang="en">')
        self.assertNotContains(page, '<ul lang="en">')

    def test_the_team_page_panel_in_french(self):
        page = self._page("fr")
        self.assertContains(
            page, "pas de stratégie formelle, alors que 100\u00a0% des villes comparables en ont une"
        )
        self.assertContains(page, "<li><strong>Las Vegas, États-Unis :</strong>".replace(" :", ":"))

    def test_an_english_only_rules_version_is_shown_in_english_marked_lang_en(self):
        text = yaml.safe_dump(
            english_only(yaml.safe_load(SHIPPED_RULES.read_text(encoding="utf-8"))),
            sort_keys=False,
            allow_unicode=True,
        )
        services.rules_save(actor=self.w.admin, programme=self.w.programme, text=text, note="English only")
        page = self._page("es")
        self.assertContains(
            page, '<h3 lang="en">Adopt a formal, public innovation strategy with measurable goals</h3>'
        )
        self.assertContains(page, '<li lang="en">no formal strategy, while 100% of peers have one</li>')
        self.assertContains(page, '<ul lang="en"><li>Agree what innovation means')
        # the shipped cases are still translated, so they follow the page
        self.assertContains(page, "<li><strong>Las Vegas, Estados Unidos:</strong>")

    def test_the_case_library_and_the_agenda_copy_in_spanish(self):
        login(self.client, self.w.respondent_a)
        self.client.cookies["django_language"] = "es"
        cases = self.client.get(reverse("recommendations:cases", args=[self.w.programme.slug]))
        self.assertContains(cases, "Un premio al error más instructivo")
        self.assertContains(cases, f'<option value="3">3. {TITLE_ES}</option>')
        self.assertNotContains(cases, '<p lang="en">')  # no case summary falls back to English
        self.assertNotContains(cases, '<h2><span lang="en">')
        add = reverse("agenda:add", args=[self.w.programme.slug, self.w.city_a.slug])
        form = self.client.get(add, {"recommendation": "3", "wave": "2020"})
        self.assertContains(form, f'value="{TITLE_ES}"')
        self.assertContains(self.client.get(add), f"3. {TITLE_ES}")

    def test_the_public_top_three_in_french(self):
        from civicmeter.web.explorer.published import public_wave

        type(self.w.wave).objects.filter(pk=self.w.wave.pk).update(status="published")
        wave = public_wave(type(self.w.wave).objects.get(pk=self.w.wave.pk))
        with translation.override("fr"):
            html = Template(
                "{% load recommendations_tags %}{% top_recommendations w 'baltimore-us' %}"
            ).render(Context({"w": wave}))
        self.assertIn("<h3>Adopter une stratégie d&#x27;innovation formelle et publique", html)
        self.assertIn("des villes comparables", html)
        self.assertNotIn('lang="en"', html)
