# SPDX-License-Identifier: AGPL-3.0-or-later
from django.contrib import admin

from carto_concertation.core.widgets import LocalGISModelAdmin

from .models import Contribution


@admin.register(Contribution)
class ContributionAdmin(LocalGISModelAdmin):
    """Read on the map; answers and moderation go through their own pages (to come)."""

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
    readonly_fields = (
        "author",
        "commune",
        "votes_for",
        "votes_against",
        "rating_sum",
        "rating_count",
    )

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # residents write through the API; answers get their service (to come)
