# SPDX-License-Identifier: AGPL-3.0-or-later
from django.contrib import admin

from carto_concertation.core.widgets import LocalGISModelAdmin

from . import services
from .models import Concertation, Phase, Theme


class PhaseInline(admin.TabularInline):
    model = Phase
    extra = 0


class ThemeInline(admin.TabularInline):
    model = Theme
    extra = 0


@admin.register(Concertation)
class ConcertationAdmin(LocalGISModelAdmin):
    list_display = ("title", "territory", "status", "moderation", "vote_mode")
    list_filter = ("status", "territory")
    search_fields = ("title",)
    prepopulated_fields = {"slug": ("title",)}
    inlines = (PhaseInline, ThemeInline)

    def save_model(self, request, obj, form, change) -> None:
        services.concertation_save(concertation=obj)
