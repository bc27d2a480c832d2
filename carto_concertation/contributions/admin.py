# SPDX-License-Identifier: AGPL-3.0-or-later
from django.contrib import admin

from carto_concertation.core.widgets import LocalGISModelAdmin

from .models import Comment, Contribution, ModerationAction, Report


class ReadOnlyAdmin:
    """Read in the admin; every write goes through the API's services (moderation,
    answers), which check roles, notify and log."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Contribution)
class ContributionAdmin(ReadOnlyAdmin, LocalGISModelAdmin):
    list_display = (
        "title",
        "concertation",
        "status",
        "commune",
        "votes_for",
        "votes_against",
        "created_at",
    )
    list_filter = ("concertation", "status", "channel")
    search_fields = ("title", "text")


@admin.register(Comment)
class CommentAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ("__str__", "contribution", "parent", "status", "created_at")
    list_filter = ("status", "contribution__concertation")
    search_fields = ("text",)


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ("reason", "contribution", "comment", "created_at", "resolved_at")
    list_filter = ("resolved_at",)


@admin.register(ModerationAction)
class ModerationActionAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    """The moderation log with the acting account (kept for the collectivité's audit,
    never published)."""

    list_display = ("created_at", "concertation", "action", "role", "actor", "reason")
    list_filter = ("concertation", "action", "role")
