"""Staff writes through the API: import responses and outcomes, score a wave, publish it.

Each view parses the request, calls the ONE service the web page and the CLI call, and renders its
result; the service checks the token user's roles. A wave or programme the user is not staff of is
404 (as on the web: no telling "not yours" from "does not exist"); staff without the right (a
reviewer importing) get 403; no token gets 401.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import permissions, status
from rest_framework.exceptions import ValidationError as BadRequest
from rest_framework.response import Response
from rest_framework.views import APIView

from civicmeter.instruments.errors import ResponsesImportError
from civicmeter.params import ParameterError
from civicmeter.web.accounts.permissions import access_wave_by_code
from civicmeter.web.collection.services.transfer import responses_import
from civicmeter.web.programmes.models import Programme
from civicmeter.web.programmes.services import wave_publish
from civicmeter.web.results.services import scores_compute
from civicmeter.web.wellbeing.services import outcomes_import

from .. import serializers_staff as s


def refused(detail: str, problems, more: int = 0, code: int = status.HTTP_400_BAD_REQUEST) -> Response:
    rows = [{"code": getattr(p, "code", ""), "message": str(p)} for p in problems]
    return Response({"detail": detail, "problems": rows, "more": more}, status=code)


def _staff_programme(user, slug: str) -> Programme:
    """The programme if ``user`` has a staff role in it (or is a superuser); else 404."""
    programmes = Programme.objects.all()
    if not user.is_superuser:
        programmes = programmes.filter(roles__user=user, roles__kind__in=["admin", "reviewer"]).distinct()
    return get_object_or_404(programmes, slug=slug)


class StaffView(APIView):
    permission_classes = [permissions.IsAuthenticated]


class ResponsesImportView(StaffView):
    @extend_schema(
        operation_id="responses_import",
        request={"multipart/form-data": s.ResponsesImportRequest},
        responses={201: s.ResponsesImportRunSerializer, 400: s.RefusedSerializer},
        tags=["staff"],
        summary="Import a wave's responses (CSV/XLSX): all or nothing",
    )
    def post(self, request, programme: str, code: str):
        wave = access_wave_by_code(request.user, programme, code)
        form = s.ResponsesImportRequest(data=request.data)
        form.is_valid(raise_exception=True)
        upload = form.validated_data["file"]
        options = {k: v for k, v in form.validated_data.items() if k != "file"}
        try:
            run = responses_import(
                actor=request.user, wave=wave, filename=upload.name, content=upload.read(), **options
            )
        except ResponsesImportError as exc:
            return refused(f"{upload.name}: nothing was imported", exc.problems, exc.more)
        return Response(s.ResponsesImportRunSerializer(run).data, status=status.HTTP_201_CREATED)


class OutcomesImportView(StaffView):
    @extend_schema(
        operation_id="outcomes_import",
        request={"multipart/form-data": s.OutcomesImportRequest},
        responses={
            201: s.OutcomesImportRunSerializer,
            400: s.RefusedSerializer,
            422: s.OutcomesImportRunSerializer,
        },
        tags=["staff"],
        summary="Import a city outcome table; 422 with the problems when it is refused",
    )
    def post(self, request, programme: str):
        found = _staff_programme(request.user, programme)
        form = s.OutcomesImportRequest(data=request.data)
        form.is_valid(raise_exception=True)
        upload = form.validated_data["file"]
        try:
            spec = form.spec()
        except ParameterError as exc:
            raise BadRequest({"detail": str(exc)}) from exc
        run = outcomes_import(
            actor=request.user,
            programme=found,
            filename=upload.name,
            content=upload.read(),
            spec=spec,
            skip_unmatched=form.validated_data["skip_unmatched"],
        )
        applied = run.status == run.Status.APPLIED
        code = status.HTTP_201_CREATED if applied else status.HTTP_422_UNPROCESSABLE_ENTITY
        return Response(s.OutcomesImportRunSerializer(run).data, status=code)


# A staff action on one wave through its service (``service(actor=, wave=)``): a refusal (the
# service's ValidationError) is 400 with every message, else the serialized result. (A comment, not a
# docstring: the schema would take a docstring as each operation's description.)
class WaveActionView(StaffView):
    service = None  # a staticmethod: the web form's service
    refusal = ""  # "scored", "published": said in "wave <code> cannot be <refusal>"
    serializer = None
    done = status.HTTP_200_OK

    def post(self, request, programme: str, code: str):
        wave = access_wave_by_code(request.user, programme, code)
        try:
            result = self.service(actor=request.user, wave=wave)
        except ValidationError as exc:
            return refused(f"wave {wave.code} cannot be {self.refusal}", exc.messages)
        return Response(self.serializer(result).data, status=self.done)


def wave_action(operation_id: str, summary: str):
    """Document a WaveActionView: its responses come from the class's ``serializer`` and ``done``."""

    def document(view: type[WaveActionView]) -> type[WaveActionView]:
        responses = {view.done: view.serializer, 400: s.RefusedSerializer}
        schema = extend_schema(
            operation_id=operation_id, request=None, responses=responses, tags=["staff"], summary=summary
        )
        return extend_schema_view(post=schema)(view)

    return document


@wave_action("wave_score", "Score the wave's submitted and validated responses (a new stored run)")
class ScoreView(WaveActionView):
    service = staticmethod(scores_compute)
    refusal = "scored"
    serializer = s.ScoreRunSerializer
    done = status.HTTP_201_CREATED


@wave_action(
    "wave_publish", "Publish a closed wave: its validated data becomes public (the web's status form)"
)
class PublishView(WaveActionView):
    service = staticmethod(wave_publish)
    refusal = "published"
    serializer = s.WaveStatusSerializer
