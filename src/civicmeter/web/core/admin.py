"""The admin base for stored records: they are shown, never added or changed there.

Responses, scores, outcome imports and analysis runs change only through the services (which check
permissions and keep the history), so their admin pages are for reading."""

from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
