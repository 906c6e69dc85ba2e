"""The survey page's costly parts, rendered once for the content they show.

A section's questions and the section list are a pure function of the instrument file, the
language, the section, whether the response can be edited and the stored answers (values and
versions). Rendering them is most of a survey request (a matrix section has hundreds of inputs),
while people reload and revisit sections far more often than they change them. The cache key is a
digest of exactly those inputs, so nothing needs invalidating: a changed answer, instrument file,
language or edit right is a different key, and an old entry simply ages out. The parts hold no
CSRF token or message: those stay in the page around them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable

from civicmeter.web.collection.fragment_cache import FragmentCache

#: Per server process, least recently used forgotten first (see ``fragment_cache``).
_rendered = FragmentCache(size=256)


def content_key(kind: str, *, identity: Iterable[object], stored: Iterable[tuple[str, str, int]]) -> str:
    """A cache key for ``kind`` from what the rendering depends on: ``identity`` (response, file
    digest, language, section, edit right) and every stored ``(question, value, version)``."""
    digest = hashlib.sha256()
    for part in identity:
        digest.update(f"{part}\x1f".encode())
    for question, value, version in sorted(stored):
        digest.update(f"{question}\x1f{version}\x1f{value}\x1e".encode())
    return f"survey:{kind}:{digest.hexdigest()}"


def cached(key: str, render: Callable[[], object]) -> object:
    """The value kept under ``key``, rendering (and keeping) it on a miss."""
    return _rendered.get_or_render(key, render)
