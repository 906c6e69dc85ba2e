"""Rendered page fragments kept in process memory under a key that changes with their data.

Why not Django's cache framework: the key already says what the fragment shows (a fingerprint of the
rows read in one or two small queries, the language, the role), so a stale entry can never be served
and nothing needs invalidating; and a per-process dictionary costs no pickling or network round trip.
Each server process holds at most ``size`` fragments and forgets the least recently used.

Fragments must not contain anything specific to one request. A form's CSRF token is left as
:data:`CSRF_HOLE` and put in per request by :func:`fill_csrf`.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

from django.middleware.csrf import get_token
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

#: Stands for the CSRF input in a cached fragment (an HTML comment, so it is inert if left over).
CSRF_HOLE = mark_safe("<!--csrf-input-->")  # noqa: S308 - a constant with no user input


class FragmentCache:
    def __init__(self, size: int = 64):
        self.size = size
        self._items: OrderedDict[Hashable, str] = OrderedDict()
        self._lock = threading.Lock()

    def get_or_render(self, key: Hashable, render: Callable[[], str]) -> str:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        html = render()
        with self._lock:
            self._items[key] = html
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return html

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


def fill_csrf(html: str, request) -> SafeString:
    """``html`` with each :data:`CSRF_HOLE` replaced by this request's CSRF input."""
    field = format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', get_token(request))
    return mark_safe(html.replace(CSRF_HOLE, field))  # noqa: S308 - rendered by our templates
