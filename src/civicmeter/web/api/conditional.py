"""ETag and Last-Modified for the public reads, so a client polling the API gets 304 until the
published data changes.

The validators come from what the response is built from: each published wave's fingerprint
(``PublicWave.key``, which changes with any change to the public data), the time it was last
published, and the request's path and query. They are checked before the list is filtered,
ordered or paged, so an unchanged page costs only the fingerprint queries.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from django.utils.cache import get_conditional_response
from django.utils.http import http_date

from .public_rows import published_at


def _times(value) -> list[datetime]:
    if isinstance(value, datetime):
        return [value]
    if isinstance(value, tuple | list):
        return [t for item in value for t in _times(item)]
    return []


def validators(request, keys: list[tuple], wave_ids: list[int]) -> tuple[str, datetime | None]:
    """``(etag, last_modified)`` of a response built from the public waves with ``keys``."""
    digest = hashlib.sha256(repr((request.get_full_path(), keys)).encode()).hexdigest()[:32]
    times = _times(keys) + list(published_at(wave_ids).values())
    return f'"{digest}"', max(times, default=None)


class ConditionalGetMixin:
    """For GET views with ``data_keys(request) -> (keys, wave_ids)``: answer 304 when the client's
    copy is current, else add the ETag and Last-Modified headers to the response."""

    def get(self, request, *args, **kwargs):
        keys, wave_ids = self.data_keys(request)
        etag, modified = validators(request, keys, wave_ids)
        timestamp = int(modified.timestamp()) if modified else None  # HTTP dates have whole seconds
        not_modified = get_conditional_response(request, etag=etag, last_modified=timestamp)
        if not_modified is not None:
            return not_modified
        response = super().get(request, *args, **kwargs)
        if response.status_code == 200:
            response["ETag"] = etag
            if modified:
                response["Last-Modified"] = http_date(timestamp)
        return response
