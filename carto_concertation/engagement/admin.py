# SPDX-License-Identifier: AGPL-3.0-or-later
from django.contrib import admin

from .models import Comment, ModerationAction, Report


class ReadOnlyAdmin:
    """Read in the admin; every write goes through the modules' services (moderation,
    answers), which check roles, notify and log."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Comment)
class CommentAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ("__str__", "content_type", "object_id", "parent", "status", "created_at")
    list_filter = ("status", "content_type")
    search_fields = ("text",)


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ("reason", "content_type", "object_id", "created_at", "resolved_at")
    list_filter = ("resolved_at", "content_type")


@admin.register(ModerationAction)
class ModerationActionAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    """The moderation log with the acting account (kept for the collectivité's audit,
    never published)."""

    list_display = ("created_at", "space", "action", "role", "actor", "reason")
    list_filter = ("space_type", "action", "role")
