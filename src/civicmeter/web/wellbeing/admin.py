"""Outcome imports and analysis runs are records of what was done: read-only in the admin."""

from django.contrib import admin

from civicmeter.web.core.admin import ReadOnlyAdmin

from .models import AnalysisRun, CityNameMapping, OutcomeImportRun, OutcomeIndicator, OutcomeValue


@admin.register(OutcomeIndicator)
class OutcomeIndicatorAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "dimension", "unit", "direction", "rescale", "programme")
    list_filter = ("dimension", "programme")
    search_fields = ("code", "name")


@admin.register(OutcomeValue)
class OutcomeValueAdmin(ReadOnlyAdmin):
    list_display = ("city", "indicator", "period", "value", "index_points", "n", "source")
    list_filter = ("programme", "indicator")
    search_fields = ("city__name", "city__slug")


@admin.register(OutcomeImportRun)
class OutcomeImportRunAdmin(ReadOnlyAdmin):
    list_display = (
        "filename",
        "programme",
        "status",
        "inserted",
        "updated",
        "unchanged",
        "actor",
        "started_at",
    )
    list_filter = ("status", "kind", "programme")
    exclude = ("content",)


@admin.register(CityNameMapping)
class CityNameMappingAdmin(ReadOnlyAdmin):
    list_display = ("source_name", "country", "city", "programme", "confirmed_by", "confirmed_at")
    search_fields = ("source_name",)


@admin.register(AnalysisRun)
class AnalysisRunAdmin(ReadOnlyAdmin):
    list_display = ("wave", "status", "progress", "actor", "created_at", "finished_at")
    list_filter = ("status",)
    exclude = ("report_html", "tables")
