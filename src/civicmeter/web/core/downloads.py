"""A file the browser saves or shows: the one place a page's CSV, XLSX or PDF gets its headers.

The name goes through Django's ``content_disposition_header``, which quotes it and encodes a name
that is not ASCII (a city's slug is, a table's title may not be), rather than each view writing the
header by hand.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.http import content_disposition_header

#: The type of every CSV the pages hand out (UTF-8, as the exports write it).
CSV = "text/csv; charset=utf-8"


def download(content: bytes | str, *, filename: str, content_type: str, inline: bool = False) -> HttpResponse:
    """``content`` as a file named ``filename``: saved by the browser, or shown in it when ``inline``."""
    return HttpResponse(
        content,
        content_type=content_type,
        headers={"Content-Disposition": content_disposition_header(not inline, filename)},
    )
