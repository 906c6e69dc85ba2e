from django.contrib import admin

from .models import Delivery


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ("created_at", "kind", "status", "attempts", "wave", "city", "last_error")
    list_filter = ("status", "kind")
    readonly_fields = [f.name for f in Delivery._meta.fields]
