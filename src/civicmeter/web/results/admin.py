"""Stored scores are read-only in the admin: a run is evidence of what was published."""

from django.contrib import admin

from civicmeter.web.core.admin import ReadOnlyAdmin

from .models import CityScore, ScoreRun


class CityScoreInline(admin.TabularInline):
    model = CityScore
    fields = ("city", "index", "score_class", "tier", "rank", "rank_p5", "rank_p95")
    readonly_fields = fields
    can_delete = False
    extra = 0

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ScoreRun)
class ScoreRunAdmin(ReadOnlyAdmin):
    list_display = ("wave", "recipe", "recipe_version", "n", "code_version", "actor", "created_at")
    list_filter = ("recipe", "wave__programme")
    inlines = [CityScoreInline]


@admin.register(CityScore)
class CityScoreAdmin(ReadOnlyAdmin):
    list_display = ("city", "run", "index", "score_class", "tier", "rank")
    list_filter = ("run__recipe", "score_class")
    search_fields = ("city__name", "city__slug")
