"""Gunicorn hooks of ``civicmeter serve`` (given to gunicorn as ``--config python:<this module>``).

Each web server process keeps its own parsed instruments (``programmes.instrument_cache``). Reading
and checking a survey workbook takes about a second of CPU, so a process that parses it on its
first survey, dashboard or scoring request makes that request, and every request queued behind it,
wait that long, once per process and instrument. ``post_worker_init`` parses the instruments of
every wave when the process starts, before it accepts a request, and builds the public pages' data
and chart shapes the same way (``explorer.public_pages.warm``).

Then it tells Python's cycle collector to look less often (:func:`collect_less`): a warm process
holds about 300,000 long-lived objects (parsed instruments, kept pages, Django's own), and with the
default threshold (a young collection every 700 new containers) a single staff page triggered
several collections that walked far more than the request's own garbage.
"""

from __future__ import annotations

import gc
import logging

#: New container objects between two young collections (Python's default: 700). A request makes a
#: few tens of thousands; its garbage is still collected, in one pass instead of dozens.
YOUNG_COLLECTION_EVERY = 50_000

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
    collect_less()


def collect_less() -> None:
    """Move everything the start-up built into the collector's permanent generation (``gc.freeze``:
    never scanned again, and never garbage: modules, parsed instruments, warmed caches), then raise
    the young generation's threshold. One process, warm, demo data, CPU per request (median of 60,
    alternating runs): survey section 4.3-4.9 -> 3.0-3.3 ms; the other staff pages within the
    machine's noise."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNG_COLLECTION_EVERY, *gc.get_threshold()[1:])
