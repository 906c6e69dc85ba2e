"""The agenda as a PDF for the council (WeasyPrint, the ``pdf`` extra): every action by status,
with owner, dates and notes, and where each came from."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from . import selectors


class PdfUnavailable(RuntimeError):
    """WeasyPrint is not installed."""


def agenda_pdf(request, programme, city) -> bytes:
    try:
        from weasyprint import HTML
    except ImportError as exc:  # the optional "pdf" extra
        raise PdfUnavailable(_("PDFs need WeasyPrint: pip install 'civicmeter[pdf]'.")) from exc
    html = render_to_string(
        "agenda/council.html",
        {
            "programme": programme,
            "city": city,
            "columns": selectors.board(programme, city),
            "today": timezone.localdate(),
        },
        request=request,
    )
    return HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
