"""Roles in the admin, so site staff can grant a programme admin or reviewer role."""

from django.contrib import admin

from .models import Role


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ("user", "programme", "kind", "city")
    list_filter = ("programme", "kind")
    search_fields = ("user__username", "city__name")
    autocomplete_fields = ("city",)
