"""A city's roadmap as a file it can take to its council: CSV (one row per step) or a PDF drawn by
WeasyPrint from a print template. The web download and ``civicmeter assessment roadmap`` share it."""

from __future__ import annotations

import csv
import io

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from civicmeter.web.collection.models import Response

from . import display, selectors
from .panel import step_view

CSV_COLUMNS = (
    "order",
    "criterion",
    "statement",
    "rule",
    "items_missing",
    "items_to_tick",
    "evidence_needed",
    "freshness",
    "waits_for",
    "unlocks",
    "peer_cities_meeting_it",
)


def roadmap_context(response: Response, lang: str) -> dict:
    standard = selectors.standard_for(response.wave)
    verdict = selectors.verdict_of(response, standard)
    steps = [step_view(s, lang) for s in selectors.roadmap_of(response, standard)]
    return {
        "response": response,
        "city": response.city,
        "wave": response.wave,
        "verdict": verdict,
        "tier_name": display.tier_name(verdict.tier),
        "class_name": display.class_name(verdict.score_class),
        "practices": [(p.name(lang), s) for p, s in zip(standard.practices, verdict.practices, strict=True)],
        "steps": steps,
        "lang": lang,
        "made_on": timezone.localdate(),
    }


def roadmap_csv(response: Response, lang: str = "en") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for k, step in enumerate(roadmap_context(response, lang)["steps"], start=1):
        writer.writerow(
            [
                k,
                step["code"],
                step["statement"],
                step["rule"],
                step["missing_items"],
                "; ".join(step["unticked"]),
                step["evidence"],
                step["freshness"],
                " ".join(step["blocked_by"]),
                " ".join(step["unlocks"]),
                "; ".join(step["peers"]),
            ]
        )
    return buffer.getvalue().encode("utf-8-sig")  # a BOM, so spreadsheet programs read UTF-8


def roadmap_pdf(response: Response, lang: str = "en", base_url: str | None = None) -> bytes:
    from weasyprint import HTML  # noqa: PLC0415 - a large library loaded only to draw a PDF

    html = render_to_string("assessment/roadmap_pdf.html", roadmap_context(response, lang))
    return HTML(string=html, base_url=base_url).write_pdf()


def roadmap_filename(response: Response, fmt: str) -> str:
    return _("roadmap") + f"-{response.city.slug}-{response.wave.code}.{fmt}"
