"""Gunicorn hooks of ``civicmeter serve`` (given to gunicorn as ``--config python:<this module>``).

Each web server process keeps its own parsed instruments (``programmes.instrument_cache``). Reading
and checking a survey workbook takes about a second of CPU, so a process that parses it on its
first survey, dashboard or scoring request makes that request, and every request queued behind it,
wait that long, once per process and instrument. ``post_worker_init`` parses the instruments of
every wave when the process starts, before it accepts a request, and builds the public pages' data
and chart shapes the same way (``explorer.public_pages.warm``).
"""

from __future__ import annotations

import logging

logger = logging.getLogger("civicmeter.serve")


def post_worker_init(worker) -> None:
    """Parse the waves' instruments into this process's cache and build the public pages' data (the
    WSGI app, so Django, is loaded)."""
    from django.db import DatabaseError, connections

    from civicmeter.web.explorer import public_pages
    from civicmeter.web.programmes.instrument_cache import instrument_for
    from civicmeter.web.programmes.models import Instrument

    try:
        for row in Instrument.objects.filter(waves__isnull=False).distinct():
            instrument_for(row)
        public_pages.warm()
    except DatabaseError as exc:  # the first request will say what is wrong; starting must not fail
        logger.warning("instruments and public data not loaded ahead of requests: %s", exc)
    except Exception:  # noqa: BLE001 - a public page's own error shows on its request; starting must not fail
        logger.exception("public pages' data not built ahead of requests")
    finally:
        connections.close_all()  # each request thread opens its own
