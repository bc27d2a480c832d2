# SPDX-License-Identifier: AGPL-3.0-or-later
from django.contrib import admin

from carto_concertation.core.widgets import ChoiceArrayAdmin, LocalGISModelAdmin
from carto_concertation.engagement.admin import ReadOnlyAdmin

from .models import Contribution, IdeasSettings
from .services import ideas_settings_save


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


@admin.register(IdeasSettings)
class IdeasSettingsAdmin(ChoiceArrayAdmin):
    """The settings of each concertation's ideas map: made with the ideas module of the
    concertation (its admin's modules), changed here, gone with it."""

    list_display = ("__str__", "moderation", "vote_mode", "duplicate_distance_m")
    list_filter = ("moderation", "vote_mode")
    search_fields = ("space_module__concertation__title",)
    readonly_fields = ("space_module",)

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        ideas_settings_save(settings=obj)
