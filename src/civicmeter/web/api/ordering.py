"""``?ordering=-score,name``: DRF's ordering, but an unknown field is a 400 (DRF drops it silently,
so a typo gave a list in another order than asked) and the schema states the allowed fields."""

from __future__ import annotations

import re

from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter


class StrictOrderingFilter(OrderingFilter):
    def get_ordering(self, request, queryset, view):
        value = request.query_params.get(self.ordering_param)
        if not value:
            return self.get_default_ordering(view)
        allowed = list(view.ordering_fields)
        fields = [f.strip() for f in value.split(",")]
        unknown = [f for f in fields if f.lstrip("-") not in allowed]
        if unknown:
            use = f"use {', '.join(allowed)} ('-' first: descending)"
            raise ValidationError({self.ordering_param: f"unknown field {unknown[0]!r}; {use}"})
        return fields

    def get_schema_operation_parameters(self, view):
        one = "-?(" + "|".join(re.escape(f) for f in view.ordering_fields) + ")"
        return [
            {
                "name": self.ordering_param,
                "required": False,
                "in": "query",
                "description": f"Fields to order by, comma-separated, '-' first for descending: "
                f"{', '.join(view.ordering_fields)}",
                "schema": {"type": "string", "pattern": f"^{one}(,{one})*$"},
            }
        ]
