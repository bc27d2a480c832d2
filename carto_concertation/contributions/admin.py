# SPDX-License-Identifier: AGPL-3.0-or-later
from django.contrib import admin

from carto_concertation.core.widgets import LocalGISModelAdmin
from carto_concertation.engagement.admin import ReadOnlyAdmin

from .models import Contribution


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
