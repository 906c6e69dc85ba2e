"""Responses are read-only in the admin: answers change only through the services, which check
permissions, versions and record the history."""

from django.contrib import admin

from civicmeter.web.core.admin import ReadOnlyAdmin

from .models import AnswerChange, CriterionReview, ImportRun, Response, ResponseEvent


@admin.register(Response)
class ResponseAdmin(ReadOnlyAdmin):
    list_display = ("city", "wave", "status", "version", "synthetic", "last_activity_at")
    list_filter = ("wave", "status", "synthetic")
    search_fields = ("city__name",)


@admin.register(AnswerChange)
class AnswerChangeAdmin(ReadOnlyAdmin):
    list_display = ("response", "question", "old_value", "new_value", "actor", "source", "at")
    list_filter = ("source",)
    search_fields = ("question", "response__city__name")


@admin.register(ResponseEvent)
class ResponseEventAdmin(ReadOnlyAdmin):
    list_display = ("response", "action", "from_status", "to_status", "actor", "at")


@admin.register(ImportRun)
class ImportRunAdmin(ReadOnlyAdmin):
    list_display = (
        "wave", "filename", "status", "inserted", "updated", "cleared", "unchanged", "actor", "started_at"
    )


@admin.register(CriterionReview)
class CriterionReviewAdmin(ReadOnlyAdmin):
    list_display = ("response", "criterion", "outcome", "reviewer", "at")
    list_filter = ("outcome",)
    search_fields = ("criterion", "response__city__name")
