"""Files handed out by the pages (web/core/downloads.py): saved or shown, and the name quoted or
encoded by Django rather than pasted into the header."""

from __future__ import annotations

from django.test import SimpleTestCase

from civicmeter.web.core.downloads import CSV, download


class DownloadTests(SimpleTestCase):
    def test_saved_or_shown_under_its_name(self):
        saved = download("a,b\n", filename="baltimore-us-agenda.csv", content_type=CSV)
        self.assertEqual(saved["Content-Disposition"], 'attachment; filename="baltimore-us-agenda.csv"')
        self.assertEqual(saved["Content-Type"], CSV)
        self.assertEqual(saved.content, b"a,b\n")
        shown = download(b"%PDF", filename="x.pdf", content_type="application/pdf", inline=True)
        self.assertEqual(shown["Content-Disposition"], 'inline; filename="x.pdf"')

    def test_a_name_with_quotes_or_beyond_ascii_is_encoded(self):
        quoted = download("", filename='say "hi".csv', content_type=CSV)
        self.assertEqual(quoted["Content-Disposition"], 'attachment; filename="say \\"hi\\".csv"')
        accented = download("", filename="zürich.csv", content_type=CSV)
        self.assertEqual(accented["Content-Disposition"], "attachment; filename*=utf-8''z%C3%BCrich.csv")
