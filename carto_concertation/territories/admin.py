# SPDX-License-Identifier: AGPL-3.0-or-later
from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from carto_concertation.core.modules import modules
from carto_concertation.core.widgets import LocalGISModelAdmin

from . import services
from .models import Commune, Territory


def _module_choices() -> list[tuple[str, str]]:
    """The registered participation modules, by their label (core.modules)."""
    return [(manifest.name, manifest.label) for manifest in modules()]


@admin.register(Territory)
class TerritoryAdmin(LocalGISModelAdmin):
    """Territories come from import_territory; their outline is their communes' union.
    An administrator renames one and switches participation modules off and on there."""

    list_display = ("name", "siren", "updated_at")
    search_fields = ("name", "siren")
    fields = ("siren", "name", "modules_off", "geom")
    readonly_fields = ("siren",)

    def has_add_permission(self, request) -> bool:
        return False

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.base_fields["geom"].disabled = True
        form.base_fields["modules_off"] = forms.MultipleChoiceField(
            label=_("Modules switched off in this territory"),
            choices=_module_choices,
            widget=forms.CheckboxSelectMultiple,
            required=False,
            help_text=_(
                "A module switched off here has no entry in the navigation, and its map "
                "layers and its API answer “not found” for this territory's concertations."
            )
            if modules()
            else _("No participation module is installed."),
        )
        return form

    def save_model(self, request, obj, form, change) -> None:
        services.territory_rename(territory=obj, name=obj.name)
        services.territory_modules_switch(
            territory=obj, modules_off=form.cleaned_data.get("modules_off", [])
        )


@admin.register(Commune)
class CommuneAdmin(LocalGISModelAdmin):
    list_display = ("name", "insee", "population", "territory")
    list_filter = ("territory",)
    search_fields = ("name", "insee")

    def save_model(self, request, obj, form, change) -> None:
        previous = form.initial.get("territory") if change else None
        services.commune_save(commune=obj, previous_territory_id=previous)
