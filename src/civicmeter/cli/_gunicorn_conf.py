"""Gunicorn hooks of ``civicmeter serve`` (given to gunicorn as ``--config python:<this module>``).

Each web server process keeps its own parsed instruments (``programmes.instrument_cache``). Reading
and checking a survey workbook takes about a second of CPU, so a process that parses it on its
first survey, dashboard or scoring request makes that request, and every request queued behind it,
wait that long, once per process and instrument. ``post_worker_init`` parses the instruments of
every wave when the process starts, before it accepts a request.
"""

from __future__ import annotations

import logging

logger = logging.getLogger("civicmeter.serve")


def post_worker_init(worker) -> None:
    """Parse the waves' instruments into this process's cache (the WSGI app, so Django, is loaded)."""
    from django.db import DatabaseError, connections

    from civicmeter.web.programmes.instrument_cache import instrument_for
    from civicmeter.web.programmes.models import Instrument

    try:
        for row in Instrument.objects.filter(waves__isnull=False).distinct():
            instrument_for(row)
    except DatabaseError as exc:  # the first request will say what is wrong; starting must not fail
        logger.warning("instruments not loaded ahead of requests: %s", exc)
    finally:
        connections.close_all()  # each request thread opens its own
