"""Admin for site staff. Programme work happens in the app's own pages, which go through services
and the permission policy; the admin is for fixing reference data (cities, programmes)."""

from django.contrib import admin

from civicmeter.web.core.admin import ReadOnlyAdmin

from .models import City, CityDisclosure, Instrument, Invitation, Programme, Wave, WaveEvent


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "created_at")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(City)
class CityAdmin(admin.ModelAdmin):
    list_display = ("name", "country", "region", "population", "population_year", "synthetic")
    list_filter = ("country", "synthetic")
    search_fields = ("name", "slug", "region")


@admin.register(Instrument)
class InstrumentAdmin(admin.ModelAdmin):
    """Instruments are registered with ``instrument_register`` (immutable once used): read-only here."""

    list_display = ("form_id", "version", "title", "kind", "sha256", "created_at")
    readonly_fields = ("form_id", "version", "title", "kind", "filename", "sha256", "created_at")
    exclude = ("content",)

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(Wave)
class WaveAdmin(admin.ModelAdmin):
    """The status changes only through the publication services (the dashboard, ``civicmeter wave
    close|publish|unpublish``), which keep their rules and record each change: read-only here."""

    list_display = ("programme", "code", "title", "instrument", "status", "opens_on", "closes_on")
    list_filter = ("programme", "status")
    readonly_fields = ("status",)


@admin.register(WaveEvent)
class WaveEventAdmin(ReadOnlyAdmin):
    """Who closed, published or unpublished a wave, and when."""

    list_display = ("wave", "action", "from_status", "to_status", "actor", "at")
    list_filter = ("action", "wave__programme")


@admin.register(CityDisclosure)
class CityDisclosureAdmin(ReadOnlyAdmin):
    """What each city agreed to publish (set by the city's team through ``disclosure_set``)."""

    list_display = ("city", "profile_fields", "private_texts", "updated_at", "updated_by")
    search_fields = ("city__name", "city__slug")


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ("wave", "city", "email", "sent_at", "reminder_count", "accepted_at")
    list_filter = ("wave",)
    readonly_fields = ("token", "sent_at", "reminded_at", "reminder_count", "accepted_at", "accepted_by")
