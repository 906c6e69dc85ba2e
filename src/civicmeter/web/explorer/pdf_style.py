"""The snapshot PDF's stylesheet, read once from the app's static files.

Why inline: WeasyPrint draws the PDF from a string with no web server to fetch a linked stylesheet
from, and a PDF is not subject to the page's Content-Security-Policy.
"""

from __future__ import annotations

import functools
from pathlib import Path

STYLESHEET = Path(__file__).parent / "static" / "explorer" / "snapshot-print.css"


@functools.cache
def pdf_css() -> str:
    return STYLESHEET.read_text(encoding="utf-8")
