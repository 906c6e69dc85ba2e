"""Public reads: programmes, waves, cities, results, answer shares, peer groups, outcomes, analyses.

Only published data, for everyone (a token changes nothing here): every row comes from
``explorer.published`` through ``public_rows``. Lists filter (django-filter), order (``?ordering=``)
and page (``?page=``), and answer conditional GETs (``conditional``).
"""

from __future__ import annotations

from django.db.models import Count, Max, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import generics

from civicmeter.web.explorer import published
from civicmeter.web.explorer.memo import KeyedMemo
from civicmeter.web.programmes.models import City, Programme, Wave
from civicmeter.web.wellbeing.models import AnalysisRun, OutcomeValue

from .. import filters, public_rows, serializers
from ..conditional import ConditionalGetMixin
from ..ordering import StrictOrderingFilter
from ..rowset import RowSet

_LISTS = KeyedMemo(size=256)


class PublicList(ConditionalGetMixin, generics.ListAPIView):
    """A list built from the public waves the request's ``programme`` and ``wave`` select: the
    rows ``rows_of(wave)`` gives for each (or a ``get_queryset`` of its own)."""

    filterset_class = filters.WaveRowsFilter
    filter_backends = [DjangoFilterBackend, StrictOrderingFilter]

    def data_keys(self, request):
        waves = self.waves()
        return [w.key for w in waves], [w.pk for w in waves]

    #: A model for the schema generator, which calls ``get_queryset`` with ``swagger_fake_view`` and
    #: types a filter by the model field of its name when it has one (City's are all text, as our
    #: filters); the rows never come from it.
    schema_model = City

    def waves(self) -> list[published.PublicWave]:
        if not hasattr(self, "_waves"):
            params = self.request.query_params
            self._waves = public_rows.public_waves(params.get("programme"), params.get("wave"))
        return self._waves

    def get_queryset(self) -> RowSet:
        if getattr(self, "swagger_fake_view", False):
            return self.schema_model.objects.none()
        return RowSet(row for wave in self.waves() for row in self.rows_of(wave))

    def list(self, request, *args, **kwargs):
        """The page of rows as they are: ``public_rows`` builds each row in its serializer's shape
        with JSON values (the schema tests check every answer against the schema), so the
        per-field serializer pass, most of a request's time at 100 rows a page, is skipped."""
        return self.get_paginated_response(self.paginate_queryset(self.filter_queryset(self.get_queryset())))

    def filter_queryset(self, queryset):
        """Filtered and ordered once per set of public waves and query (the page aside): a client
        paging through a list, or many asking the same, costs one filter and sort."""
        params = self.request.query_params
        query = tuple(sorted((k, tuple(v)) for k, v in params.lists() if k not in ("page", "page_size")))
        key = (type(self).__name__, tuple(w.key for w in self.waves()), query)
        return _LISTS.get_or_build(key, lambda: RowSet(super(PublicList, self).filter_queryset(queryset)))


@extend_schema(tags=["public"], summary="Programmes with at least one published wave")
class ProgrammeList(PublicList):
    serializer_class = serializers.ProgrammeSerializer
    filterset_class = None
    ordering_fields = ["slug", "name"]
    ordering = ["slug"]

    def get_queryset(self) -> RowSet:
        if getattr(self, "swagger_fake_view", False):
            return Programme.objects.none()
        programmes: dict[str, dict] = {}
        for wave in self.waves():
            row = programmes.setdefault(
                wave.programme_slug, {"slug": wave.programme_slug, "name": wave.programme_name, "waves": []}
            )
            row["waves"].append(wave.code)
        return RowSet(programmes.values())


def wave_row(request, wave: published.PublicWave, when) -> dict:
    run = public_rows.own_run(wave)
    files = f"/api/v1/programmes/{wave.programme_slug}/waves/{wave.code}/files/"
    lists = {
        name: f"{reverse(f'api:{name}')}?programme={wave.programme_slug}&wave={wave.code}"
        for name in ("cities", "results", "shares", "peer_groups")
    }
    links = {name: request.build_absolute_uri(url) for name, url in lists.items()}
    links["datapackage"] = request.build_absolute_uri(f"{files}datapackage.json")
    links["datapackage_zip"] = request.build_absolute_uri(f"{files}datapackage.zip")
    for table in ("cities", "results", "shares"):
        for fmt in ("csv", "xlsx"):
            links[f"{table}_{fmt}"] = request.build_absolute_uri(f"{files}{table}.{fmt}")
    return {
        "programme": wave.programme_slug,
        "programme_name": wave.programme_name,
        "code": wave.code,
        "title": wave.title,
        "kind": wave.kind,
        "instrument": f"{wave.instrument.form_id} {wave.instrument.version}",
        "published_at": when,
        "cities": len(wave.cities),
        "scores": None
        if run is None
        else {
            "index": run.recipe,
            "recipe_version": run.recipe_version,
            "recipe_title": run.recipe_title,
            "interval_method": run.interval_method,
            "code_version": run.code_version,
            "scored": run.scored,
            "public": len(run.scores),
        },
        "links": links,
    }


@extend_schema(tags=["public"], summary="Published waves, with their score run and download links")
class WaveList(PublicList):
    serializer_class = serializers.WaveSerializer
    filterset_class = filters.WaveFilter
    ordering_fields = ["programme", "code", "published_at"]
    ordering = ["programme", "code"]

    def get_queryset(self) -> RowSet:
        if getattr(self, "swagger_fake_view", False):
            return Wave.objects.none()
        waves = self.waves()
        when = public_rows.published_at([w.pk for w in waves])
        return RowSet(wave_row(self.request, w, when.get(w.pk)) for w in waves)


@extend_schema(tags=["public"], summary="Cities with a public response, one row per published wave")
class CityList(PublicList):
    serializer_class = serializers.CitySerializer
    filterset_class = filters.CityRowsFilter
    ordering_fields = ["name", "country", "continent", "population", "wave"]
    ordering = ["wave", "name"]
    rows_of = staticmethod(public_rows.city_rows)


@extend_schema(
    tags=["public"],
    summary="Published scores: index, components, class, tier and rank interval per city and wave",
)
class ResultList(PublicList):
    serializer_class = serializers.ResultSerializer
    filterset_class = filters.ResultRowsFilter
    ordering_fields = ["score", "rank", "rank_p5", "rank_p95", "name", "country", "continent", "wave"]
    ordering = ["wave", "index", "rank", "city"]
    rows_of = staticmethod(public_rows.result_rows)


@extend_schema(
    tags=["public"],
    summary="Aggregate answer shares per question and option, for one peer group (default: all)",
)
class ShareList(PublicList):
    serializer_class = serializers.ShareSerializer
    filterset_class = filters.ShareRowsFilter
    ordering_fields = ["question", "option", "share", "count"]
    ordering = ["wave", "question", "option"]

    def rows_of(self, wave: published.PublicWave) -> RowSet:
        group = public_rows.peer_groups(wave).get(self.request.query_params.get("peer_group") or "all")
        return RowSet() if group is None else public_rows.share_rows(wave, group)


@extend_schema(tags=["public"], summary="The peer groups of each published wave (for /shares/)")
class PeerGroupList(PublicList):
    serializer_class = serializers.PeerGroupSerializer
    ordering_fields = ["code", "size"]
    ordering = ["wave", "code"]

    def rows_of(self, wave: published.PublicWave) -> RowSet:
        return RowSet(
            {"programme": wave.programme_slug, "wave": wave.code, "code": code, "kind": g.kind,
             "size": len(g.members)}
            for code, g in public_rows.peer_groups(wave).items()
        )


class ProgrammeScoped(ConditionalGetMixin, generics.ListAPIView):
    """Lists of one programme (``/programmes/<slug>/...``) that has a published wave; else 404."""

    def programme(self) -> Programme:
        if not hasattr(self, "_programme"):
            slugs = {w.programme.slug for w in published.published_waves()}
            self._programme = get_object_or_404(Programme, slug=self.kwargs["programme"], slug__in=slugs)
        return self._programme

    def data_keys(self, request):
        waves = public_rows.public_waves(self.programme().slug)
        return [w.key for w in waves] + [self.own_key()], [w.pk for w in waves]


@extend_schema(tags=["public"], summary="Outcome values (published sources) of the programme's public cities")
class OutcomeList(ProgrammeScoped):
    serializer_class = serializers.OutcomeSerializer
    filter_backends = []  # filtered by the programme only; ordered by city, indicator, period
    filterset_class = None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return OutcomeValue.objects.none()
        return published.public_outcomes(self.programme()).order_by("city__name", "indicator__code", "period")

    def own_key(self) -> tuple:
        values = self.get_queryset()
        stats = values.aggregate(n=Count("id"), ids=Sum("id"), last=Max("import_run__finished_at"))
        return tuple(stats.values())


@extend_schema(tags=["public"], summary="Finished capacity-outcome analyses of a published wave")
class AnalysisList(ProgrammeScoped):
    serializer_class = serializers.AnalysisSerializer
    filter_backends = []
    filterset_class = None

    def wave(self):
        found = published.find_published_wave(self.programme().slug, self.kwargs["code"])
        if found is None:
            raise Http404("No such published wave.")
        return found

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return AnalysisRun.objects.none()
        return published.public_analyses(self.wave())

    def own_key(self) -> tuple:
        return tuple((run.pk, run.finished_at) for run in self.get_queryset())
