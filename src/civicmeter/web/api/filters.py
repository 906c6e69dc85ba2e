"""Query parameters of the public lists (django-filter), applied to rows from ``public_rows``.

Every filter is a ``method=`` filter over a :class:`~civicmeter.web.api.rowset.RowSet`; an invalid
value is a 400 naming the parameter (django-filter's form validation), never an empty 200.
"""

from __future__ import annotations

import re

import django_filters as filters
from django import forms
from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema_field

from .public_rows import CONTINENT_NAMES, continent_code

CONTINENT_CHOICES = [(code, code) for code in CONTINENT_NAMES] + [
    (name, name) for name in CONTINENT_NAMES.values()
]
INDEX_CHOICES = [("psi-capacity", "psi-capacity"), ("data-use", "data-use")]
PEER_GROUP = re.compile(r"all|continent:[A-Z]{2}|population_band:\d+-\d*")


def _equal(field: str, *, fold: bool = False):
    def method(self, rows, name, value):
        wanted = value.lower() if fold else value
        return rows.where(lambda r: ((r[field] or "").lower() if fold else r[field]) == wanted)

    return method


class StrictBooleanField(forms.Field):
    """``true`` or ``false`` and nothing else (Django's null-boolean field also takes ``null``,
    ``2``... and then filters nothing, which hides a client's mistake)."""

    def to_python(self, value):
        if value in (None, ""):
            return None
        if value in ("true", "false"):
            return value == "true"
        raise ValidationError("Use true or false.")


class StrictBooleanFilter(filters.BooleanFilter):
    field_class = StrictBooleanField


class RowFilterSet(filters.FilterSet):
    def filter_queryset(self, rows):
        """django-filter's loop over the cleaned parameters, on rows (its own asserts a QuerySet)."""
        for name, value in self.form.cleaned_data.items():
            rows = self.filters[name].filter(rows, value)
        return rows


class WaveRowsFilter(RowFilterSet):
    """Parameters every public list takes: which programme's and which wave's rows."""

    programme = filters.CharFilter(
        label="programme", method="by_programme", help_text="Programme slug, e.g. icc"
    )
    wave = filters.CharFilter(label="wave", method="by_wave", help_text="Wave code, e.g. 2018")

    by_programme = _equal("programme")
    by_wave = _equal("wave")


class WaveFilter(WaveRowsFilter):
    by_wave = _equal("code")


class CityRowsFilter(WaveRowsFilter):
    country = filters.CharFilter(
        label="country", method="by_country", help_text="ISO 3166-1 alpha-2 code, e.g. ES"
    )
    continent = filters.ChoiceFilter(
        label="continent",
        choices=CONTINENT_CHOICES,
        method="by_continent",
        help_text="Continent code or English name",
    )
    city = filters.CharFilter(label="city", method="by_city", help_text="City slug, e.g. bilbao-es")
    search = filters.CharFilter(
        label="search", method="by_name", help_text="Part of the city's name (any case)"
    )
    synthetic = StrictBooleanFilter(
        label="synthetic",
        method="by_synthetic",
        help_text="true: only demo cities with generated answers; false: only real ones",
    )

    by_country = _equal("country", fold=True)
    by_city = _equal("city")

    def by_continent(self, rows, name, value):
        code = continent_code(value)
        return rows.where(lambda r: r["continent"] == code)

    def by_name(self, rows, name, value):
        return rows.where(lambda r: value.lower() in r["name"].lower())

    def by_synthetic(self, rows, name, value):
        return rows.where(lambda r: r["synthetic"] is value)


class ResultRowsFilter(CityRowsFilter):
    index = filters.ChoiceFilter(
        label="index", choices=INDEX_CHOICES, method="by_index", help_text="Which index"
    )
    score_class = filters.CharFilter(
        label="score_class", method="by_class", help_text="Score class, e.g. high"
    )
    tier = filters.CharFilter(label="tier", method="by_tier", help_text="Data-use tier, e.g. gold")

    by_index = _equal("index")
    by_class = _equal("score_class", fold=True)
    by_tier = _equal("tier", fold=True)


def peer_group_code(value: str) -> str:
    if not PEER_GROUP.fullmatch(value):
        raise ValidationError(
            "Use all, continent:<code> (e.g. continent:EU) or population_band:<low>-<high> "
            "(e.g. population_band:250000-499999); /api/v1/peer-groups/ lists a wave's groups."
        )
    return value


@extend_schema_field({"type": "string", "pattern": f"^({PEER_GROUP.pattern})$"})
class PeerGroupFilter(filters.CharFilter):
    """A peer group code (its pattern is in the schema, so clients can check it first)."""


class ShareRowsFilter(WaveRowsFilter):
    peer_group = PeerGroupFilter(
        label="peer_group",
        method="by_group",
        validators=[peer_group_code],
        help_text="Peer group code: all (default), continent:EU, population_band:250000-499999",
    )
    question = filters.CharFilter(
        label="question", method="by_question", help_text="Question name, e.g. s1_strategy"
    )

    by_question = _equal("question")

    def by_group(self, rows, name, value):
        return rows.where(lambda r: r["peer_group"] == value)
