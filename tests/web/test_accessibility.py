"""Accessibility that axe in the browser test cannot see, or that every page shares: the messages
region, id references, the language menu and the focus ring's room (issue 14)."""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

from django.test import TestCase
from django.urls import reverse

import civicmeter
from civicmeter.testing import login, make_user

from .test_wellbeing import OutcomesTestCase

CORE = Path(civicmeter.__file__).parent / "web/core"


class _Ids(HTMLParser):
    """Every id on the page and every id an attribute points at (``for``, ``aria-*``)."""

    def __init__(self):
        super().__init__()
        self.ids: Counter[str] = Counter()
        self.references: list[tuple[str, str, str]] = []  # (tag, attribute, id)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids[attrs["id"]] += 1
        for name in ("for", "aria-describedby", "aria-labelledby", "aria-controls"):
            for target in (attrs.get(name) or "").split():
                self.references.append((tag, name, target))


def id_problems(html: str) -> list[str]:
    parser = _Ids()
    parser.feed(html)
    duplicates = [f"id {i!r} used {n} times" for i, n in parser.ids.items() if n > 1]
    dangling = [
        f"<{t} {a}> points at missing id {i!r}" for t, a, i in parser.references if i not in parser.ids
    ]
    return duplicates + dangling


class MessagesTests(TestCase):
    def test_messages_keep_their_list_role_inside_a_status_region(self):
        login(self.client, make_user("someone"))
        http = self.client.get(reverse("accounts:invitation", args=["no-such-token"]), follow=True)
        html = http.content.decode()
        region = re.search(
            r'<div class="messages-region" role="status">\s*<ul class="messages">(.*?)</ul>', html, re.S
        )
        self.assertIsNotNone(region, "messages must sit in a role=status wrapper around a plain list")
        self.assertIn('<li class="message error">', region.group(1))
        self.assertNotRegex(html, r'<ul[^>]*class="messages"[^>]*role=')

    def test_the_status_region_is_on_every_page_before_a_message_arrives(self):
        http = self.client.get(reverse("accounts:login"))
        self.assertContains(http, '<div class="messages-region" role="status">')


class OutcomesPageIdsTests(OutcomesTestCase):
    def test_ids_are_unique_and_every_reference_points_at_an_element(self):
        login(self.client, self.world.admin)
        http = self.client.get(reverse("wellbeing:outcomes", args=[self.world.programme.slug]))
        self.assertEqual(http.status_code, 200)
        self.assertEqual(id_problems(http.content.decode()), [])

    def test_an_untranslated_programme_name_is_marked_as_english_on_spanish_pages(self):
        login(self.client, self.world.admin)
        self.client.cookies["django_language"] = "es"
        slug, code = self.world.programme.slug, self.world.wave.code
        for url in (
            reverse("wellbeing:outcomes", args=[slug]),
            reverse("collection:dashboard", args=[slug, code]),
            reverse("accounts:home"),
        ):
            with self.subTest(url=url):
                self.assertContains(self.client.get(url), '<span lang="en">Test programme</span>', html=True)
        self.world.programme.name_translations = {"es": "Programa de prueba"}
        self.world.programme.save()
        http = self.client.get(reverse("wellbeing:outcomes", args=[slug]))
        self.assertContains(http, '<p class="muted">Programa de prueba</p>', html=True)

    def test_both_file_inputs_have_their_own_label(self):
        login(self.client, self.world.admin)
        http = self.client.get(reverse("wellbeing:outcomes", args=[self.world.programme.slug]))
        self.assertContains(http, '<label for="id_file">Outcome table (CSV or XLSX)</label>', html=True)
        self.assertContains(
            http, '<label for="id_catalogue_file">Indicator catalogue (YAML)</label>', html=True
        )


class LanguageMenuTests(TestCase):
    def test_language_changes_only_with_the_button(self):
        html = self.client.get(reverse("accounts:login")).content.decode()
        form = re.search(r'<form[^>]*class="language"[^>]*>(.*?)</form>', html, re.S).group(1)
        self.assertNotIn("data-autosubmit", form)
        self.assertRegex(form, r'<button type="submit"[^>]*>Change</button>')
        self.assertNotIn("<noscript>", form)  # the button is there with and without JavaScript
        script = (CORE / "static/civicmeter/civicmeter.js").read_text(encoding="utf-8")
        self.assertNotIn("autosubmit", script)

    def test_language_names_are_marked_with_their_own_language(self):
        http = self.client.get(reverse("accounts:login"))
        self.assertContains(http, '<option value="es" lang="es">Español</option>', html=True)

    def test_focused_controls_keep_room_for_their_ring_when_scrolled_into_view(self):
        css = (CORE / "static/civicmeter/civicmeter.css").read_text(encoding="utf-8")
        rule = re.search(r"\n([^{}\n]*\binput\b[^{}\n]*)\{\s*scroll-margin:\s*([^;]+);", css)
        self.assertIsNotNone(rule, "focusable controls need a scroll-margin")
        for selector in ("a", "button", "input", "select", "textarea"):
            self.assertIn(selector, rule.group(1))
