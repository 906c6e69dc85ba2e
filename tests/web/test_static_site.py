"""``civicmeter publish``'s static site: only public data, relative links, no server-only parts."""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path

from django.test import TestCase, override_settings
from typer.testing import CliRunner

from civicmeter.cli import app
from civicmeter.testing import make_published_world
from civicmeter.web.accounts.permissions import SYSTEM
from civicmeter.web.explorer import public_pages, published
from civicmeter.web.explorer.static_site import PublishError, build_site
from civicmeter.web.programmes import services as programme_services
from civicmeter.web.programmes.models import Wave

NEVER_PUBLIC = ("Athens", "Lisbon", "Rochester", "athens-gr", "lisbon-pt", "rochester-us")


@override_settings(SECURE_SSL_REDIRECT=False)
class StaticSiteTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = make_published_world()

    def setUp(self):
        published.clear_cache()
        public_pages.PAGES.clear()

    def build(self, tmp, **options):
        wave = Wave.objects.get(pk=self.world.wave.pk)
        return build_site(wave, tmp, languages=("en", "es"), pdfs=False, workers=1, **options)

    def test_the_site_holds_only_public_cities_with_relative_links(self):
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp)
            report = self.build(out)
            self.assertEqual((report.pages, report.pdfs), (2 * (3 + 2), 0))
            files = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
            for path in ("index.html", "en/index.html", "es/findings/index.html",
                         "en/cities/baltimore-us/index.html", "es/cities/bilbao-es/index.html",
                         "en/data/index.html", "data/datapackage.json", "data/compare.json",
                         "static/vendor/leaflet/leaflet.js", "static/charts/charts.js"):
                self.assertIn(path, files)
            texts = [p for p in out.rglob("*") if p.suffix in (".html", ".json", ".csv")]
            every_text = "\n".join(p.read_text(encoding="utf-8") for p in texts)
            for name in NEVER_PUBLIC:
                self.assertNotIn(name, every_text)
            self.assertEqual(set(json.loads((out / "data/compare.json").read_text())["cities"]),
                             {"baltimore-us", "bilbao-es"})
            page = (out / "en/cities/baltimore-us/index.html").read_text(encoding="utf-8")
            self.assertIsNone(re.search(r'(?:href|src|action)="/(?!/)', page), "a root-relative link is left")
            self.assertIn('href="../../../static/civicmeter/civicmeter.css"', page)
            self.assertIn('<meta http-equiv="Content-Security-Policy" content="default-src \'self\'', page)
            self.assertIn('href="../../../es/cities/baltimore-us/index.html" lang="es"', page)
            self.assertNotIn("/accounts/", page)
            self.assertNotIn("csrfmiddlewaretoken", page)
            home = (out / "en/index.html").read_text(encoding="utf-8")
            self.assertIn('"url": "cities/baltimore-us/index.html"', home)
            self.assertIn('data-world="../static/vendor/world-countries-110m.json"', home)
            root = (out / "index.html").read_text(encoding="utf-8")  # names its icon: no /favicon.ico 404
            self.assertIn('<link rel="icon" href="static/civicmeter/favicon.svg"', root)
            self.assertTrue((out / "static/civicmeter/favicon.svg").is_file())

    def test_an_unpublished_wave_is_refused(self):
        programme_services.wave_unpublish(actor=SYSTEM, wave=self.world.wave)
        with tempfile.TemporaryDirectory() as tmp, self.assertRaisesMessage(PublishError, "is not published"):
            self.build(Path(tmp))

    def test_the_command_reports_what_it_wrote(self):
        with tempfile.TemporaryDirectory() as tmp:
            command = ["publish", "--wave", "2020", "--out", tmp, "--language", "en", "--no-pdf"]
            command += ["--workers", "1"]
            result = CliRunner().invoke(app, command)
            self.assertEqual(result.exit_code, 0, result.output)
            self.assertIn("Wrote 5 pages, 0 PDFs", result.output)
            refused = CliRunner().invoke(app, ["publish", "--wave", "2020", "--out", tmp, "--language", "de"])
            self.assertEqual(refused.exit_code, 2)
            self.assertIn("no page language de", refused.output)
