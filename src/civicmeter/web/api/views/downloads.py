"""A published wave's files: each table as CSV or XLSX, and the Data Package (descriptor or zip).

Public like the lists (only published data, through ``explorer.published``), with the same ETag and
Last-Modified, so a mirror re-downloads a wave only when its public data changed.
"""

from __future__ import annotations

from django.http import Http404, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.views import APIView

from civicmeter.web.core.downloads import download
from civicmeter.web.explorer import published

from .. import datapackage, tables
from ..conditional import ConditionalGetMixin

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
    "zip": "application/zip",
}
FILES = [f"{t}.{f}" for t in tables.TABLES for f in tables.FORMATS] + ["datapackage.json", "datapackage.zip"]


class _WaveFile(APIView):
    def wave(self):
        if not hasattr(self, "_wave"):
            self._wave = published.find_published_wave(self.kwargs["programme"], self.kwargs["code"])
            if self._wave is None or self.kwargs["filename"] not in FILES:
                raise Http404("No such published wave or file.")
        return self._wave

    def get(self, request, programme: str, code: str, filename: str):
        wave = self.wave()
        stem, fmt = filename.rsplit(".", 1)
        if filename == "datapackage.zip":
            content = datapackage.package_zip(wave)
        elif filename == "datapackage.json":
            content = datapackage.package_files(wave)["datapackage.json"]
        else:
            public = published.public_wave(wave)
            content = tables.WRITERS[fmt](tables.BUILDERS[stem](public))
        if fmt == "json":  # the descriptor is read by tools, not saved: no file name
            return HttpResponse(content, content_type=CONTENT_TYPES[fmt])
        name = f"{wave.programme.slug}-{wave.code}-{filename}"
        return download(content, filename=name, content_type=CONTENT_TYPES[fmt])


@extend_schema(
    tags=["public"],
    summary="A published wave's file: cities/results/shares as CSV or XLSX, or its Data Package",
    parameters=[OpenApiParameter("filename", str, OpenApiParameter.PATH, enum=FILES)],
    responses={
        (200, "text/csv"): OpenApiResponse(OpenApiTypes.BINARY),
        (200, CONTENT_TYPES["xlsx"]): OpenApiResponse(OpenApiTypes.BINARY),
        (200, "application/json"): OpenApiResponse(OpenApiTypes.OBJECT, description="datapackage.json"),
        (200, "application/zip"): OpenApiResponse(OpenApiTypes.BINARY),
    },
)
class WaveFile(ConditionalGetMixin, _WaveFile):
    def data_keys(self, request):
        public = published.public_wave(self.wave())
        return ([public.key] if public else []), [self.wave().pk]
