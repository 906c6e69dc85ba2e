"""``RowSet``: rows read from ``explorer.published`` that django-filter, DRF's ordering and the
paginator can work on.

Public data is built once per published wave in memory (``published.public_wave``), not queried
row by row, so the API filters, orders and pages lists of dicts. RowSet offers the few QuerySet
methods those libraries call (``all``, ``order_by``, ``model``); filters are django-filter
``method=`` filters that return a narrower RowSet, so the query parameters, their validation and
their OpenAPI description stay django-filter's.
"""

from __future__ import annotations

from collections.abc import Callable


class RowSet(list):
    model = None
    ordered = True

    def all(self) -> RowSet:
        return self

    def where(self, keep: Callable[[dict], bool]) -> RowSet:
        return RowSet(row for row in self if keep(row))

    def order_by(self, *fields: str) -> RowSet:
        """Sorted by ``fields`` (``-name`` descending), a missing value last either way."""
        rows = list(self)
        for field in reversed(fields):
            name = field.lstrip("-")
            known = [r for r in rows if r.get(name) is not None]
            missing = [r for r in rows if r.get(name) is None]
            known.sort(key=lambda r: r[name], reverse=field.startswith("-"))
            rows = known + missing
        return RowSet(rows)
