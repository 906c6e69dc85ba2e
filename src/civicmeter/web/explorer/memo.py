"""A small per-process memo of built public things (charts, map rows), keyed by what they read.

The keys hold ``published.PublicWave.key`` (a fingerprint of everything public about a wave) and
anything else the result reads, so a change to published results changes the key: a stale entry
can never be served and nothing needs invalidating; old entries simply age out.

A key is built by one thread at a time: a server process's threads that ask for the same missing
entry at once (a page's first visitors) wait for the first build instead of each repeating it
(a wave's public data or a chart's shape takes a fraction of a second of CPU).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any


class KeyedMemo:
    def __init__(self, size: int):
        self.size = size
        self._items: OrderedDict[tuple, Any] = OrderedDict()
        self._lock = threading.Lock()
        self._building: dict[tuple, threading.Lock] = {}

    def get_or_build(self, key: tuple, build: Callable[[], Any]) -> Any:
        found, value = self._get(key)
        if found:
            return value
        with self._lock:
            building = self._building.setdefault(key, threading.Lock())
        try:
            with building:
                found, value = self._get(key)  # built by the thread this one waited for
                if not found:
                    value = build()
                    with self._lock:
                        self._items[key] = value
                        while len(self._items) > self.size:
                            self._items.popitem(last=False)
        finally:
            with self._lock:
                self._building.pop(key, None)
        return value

    def _get(self, key: tuple) -> tuple[bool, Any]:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return True, self._items[key]
        return False, None

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
