"""What the staff write endpoints take and return (the schema is generated from these)."""

from __future__ import annotations

from rest_framework import serializers

from civicmeter.outcomes.import_spec import ImportSpec


class ProblemSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()


class RefusedSerializer(serializers.Serializer):
    """A refused write: nothing was written; every problem found, each with its code."""

    detail = serializers.CharField()
    problems = ProblemSerializer(many=True)
    more = serializers.IntegerField(help_text="Problems found beyond those listed")


class ResponsesImportRequest(serializers.Serializer):
    file = serializers.FileField(help_text="CSV or XLSX, one row per city (as `civicmeter responses import`)")
    city_column = serializers.CharField(required=False, help_text="Column naming the city (default: city)")
    encoding = serializers.CharField(required=False, help_text="Encoding of a CSV that is not UTF-8")
    allow_closed = serializers.BooleanField(
        required=False, default=False, help_text="Import into a closed wave, or over validated answers"
    )


class ImportRunSerializer(serializers.Serializer):
    """What every import run reports: the file read and how many values it wrote, kept or left."""

    id = serializers.IntegerField()
    filename = serializers.CharField()
    sha256 = serializers.CharField()
    status = serializers.CharField()
    inserted = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()


class ResponsesImportRunSerializer(ImportRunSerializer):
    """A responses import (all or nothing); ``cleared`` counts the answers an empty cell emptied."""

    wave = serializers.CharField(source="wave.code")
    size = serializers.IntegerField()
    cleared = serializers.IntegerField()
    started_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField()


class OutcomesImportRequest(serializers.Serializer):
    """The reading options are those of ``civicmeter outcomes import`` (an ImportSpec)."""

    file = serializers.FileField(help_text="CSV or XLSX table of city outcome values")
    mapping = serializers.DictField(
        child=serializers.CharField(), required=False, help_text="Role -> column, e.g. {\"city\": \"Town\"}"
    )
    indicator = serializers.CharField(required=False, help_text="Indicator code of a one-measure table")
    value_column = serializers.CharField(required=False)
    period = serializers.CharField(required=False, help_text="Period of every value, e.g. 2023")
    country = serializers.CharField(required=False, help_text="ISO 3166 alpha-2 code of every city")
    source = serializers.CharField(required=False, help_text="Who published the figures")
    encoding = serializers.CharField(required=False)
    skip_rows = serializers.IntegerField(required=False, min_value=0)
    sheet = serializers.CharField(required=False)
    skip_unmatched = serializers.BooleanField(required=False, default=False)

    def spec(self) -> ImportSpec:
        options = {k: v for k, v in self.validated_data.items() if k not in ("file", "skip_unmatched")}
        return ImportSpec(**options)


class OutcomesImportRunSerializer(ImportRunSerializer):
    """An outcomes import, with the problems that refused it and the city names it could not match."""

    programme = serializers.CharField(source="programme.slug")
    problems = serializers.SerializerMethodField()
    unmatched_names = serializers.SerializerMethodField()

    def get_problems(self, run) -> list[dict]:
        return [{"code": p["code"], "message": p["message"]} for p in run.report.get("problems", [])]

    def get_unmatched_names(self, run) -> list[str]:
        matching = run.report.get("matching") or {}
        return [e["name"] for e in [*matching.get("unmatched", []), *matching.get("ambiguous", [])]]


class ScoreRunSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    wave = serializers.CharField(source="wave.code")
    recipe = serializers.CharField()
    recipe_version = serializers.CharField()
    recipe_sha256 = serializers.CharField()
    instrument_version = serializers.CharField()
    code_version = serializers.CharField()
    interval_method = serializers.CharField()
    n = serializers.IntegerField(help_text="Cities scored")
    notes = serializers.ListField(child=serializers.CharField())
    created_at = serializers.DateTimeField()


class WaveStatusSerializer(serializers.Serializer):
    programme = serializers.CharField(source="programme.slug")
    code = serializers.CharField()
    status = serializers.CharField()
