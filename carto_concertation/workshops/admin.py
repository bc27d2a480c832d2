# SPDX-License-Identifier: AGPL-3.0-or-later
from django.contrib import admin

from .models import Workshop, WorkshopCapture


class CaptureInline(admin.TabularInline):
    """Read only: captures are made by the relays' tablets and imports (services)."""

    model = WorkshopCapture
    fields = ("key", "contribution", "channel", "participant", "captured_by", "created_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Workshop)
class WorkshopAdmin(admin.ModelAdmin):
    """Read in the admin; relays plan workshops on /workshops/ (scope checked there)."""

    list_display = ("place", "commune", "concertation", "starts_at", "facilitator")
    list_filter = ("concertation", "commune")
    search_fields = ("place", "facilitator", "commune__name")
    inlines = [CaptureInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
