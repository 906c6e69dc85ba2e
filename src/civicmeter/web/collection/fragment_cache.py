"""Rendered pages and fragments kept in process memory under a key that changes with their data.

Why not Django's cache framework: the key already says what the fragment shows (a fingerprint of the
rows read in one or two small queries, the language, the role), so a stale entry can never be served
and nothing needs invalidating; and a per-process dictionary costs no pickling or network round trip.
Each server process holds at most ``size`` fragments and forgets the least recently used.

Fragments and pages must not contain anything specific to one request. They are rendered with
:data:`CSRF_PLACEHOLDER` as the CSRF token (the ``csrf_token`` context variable, so ``{% csrf_token %}``
and ``{{ csrf_token }}`` both write it), and :class:`PageCache` puts the request's own token in its
place when it answers. A part of a cached page that must always be current (a block another app
draws from data the page's key does not cover) is a *live* part: drawn on every request and put in
at its own placeholder.
"""

from __future__ import annotations

import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

from django.contrib.messages import get_messages
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

#: Written where a cached page or fragment has its CSRF token: random per process, so no text a
#: user typed into a page can be mistaken for it.
CSRF_PLACEHOLDER = f"csrf-placeholder-{secrets.token_hex(16)}"


class FragmentCache:
    def __init__(self, size: int = 64):
        self.size = size
        self._items: OrderedDict[Hashable, object] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> object | None:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        return None

    def put(self, key: Hashable, value: object) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def get_or_render(self, key: Hashable, render: Callable[[], object]) -> object:
        value = self.get(key)
        if value is None:
            value = render()
            self.put(key, value)
        return value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


class PageCache:
    """Whole pages of signed-in users, answered from memory while nothing they show has changed.

    The caller's ``key`` names the data the page shows (fingerprints read in a query or two);
    :meth:`respond` adds who asks (user id and name), the language and the full path, so one user's
    page is never answered to another and each view of a page is kept apart. A request with messages
    waiting (a notice after a form) is drawn afresh and not kept, as is any answer but a plain 200 or
    one that sets a cookie.
    """

    def __init__(self, size: int = 64):
        self._pages = FragmentCache(size)

    def respond(
        self,
        request: HttpRequest,
        key: Hashable,
        render: Callable[[dict], HttpResponse],
        live: dict[str, Callable[[], str]] | None = None,
    ) -> HttpResponse:
        """The page for ``key``; on a miss ``render(extra_context)`` draws it, with ``extra_context``
        merged into its template context: the CSRF placeholder and, for each ``live`` part, its
        placeholder under its name. Each ``live`` function draws its part (HTML) for this request."""
        live = live or {}
        if len(get_messages(request)):
            return render({name: mark_safe(draw()) for name, draw in live.items()})  # noqa: S308
        user = request.user
        full_key = (key, user.pk, user.get_username(), get_language(), request.get_full_path())
        page = self._pages.get(full_key)
        if page is None:
            holes = {name: mark_safe(_live_placeholder(name)) for name in live}  # noqa: S308
            response = render({"csrf_token": CSRF_PLACEHOLDER, **holes})
            if response.status_code != 200 or response.cookies:
                response.content = _fill(response.content, request, live)
                return response
            page = (response.content, response["Content-Type"])
            self._pages.put(full_key, page)
        content, content_type = page
        return HttpResponse(_fill(content, request, live), content_type=content_type)

    def clear(self) -> None:
        self._pages.clear()


def _live_placeholder(name: str) -> str:
    return f"<!--live-{name}-{CSRF_PLACEHOLDER}-->"


def _fill(content: bytes, request: HttpRequest, live: dict[str, Callable[[], str]]) -> bytes:
    """``content`` with this request's CSRF token and live parts where their placeholders stand."""
    for name, draw in live.items():
        content = content.replace(_live_placeholder(name).encode(), str(draw()).encode())
    return content.replace(CSRF_PLACEHOLDER.encode(), get_token(request).encode())
