# SPDX-License-Identifier: AGPL-3.0-or-later
import shutil
import tempfile
from pathlib import Path

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from carto_concertation.core.modules import modules
from carto_concertation.core.widgets import LocalGISModelAdmin
from layers.services import uploaded_file_keep

from . import services
from .importers import TerritoryFileError, read_commune_records
from .models import Commune, Territory


def _module_choices() -> list[tuple[str, str]]:
    """The registered participation modules, by their label (core.modules)."""
    return [(manifest.name, manifest.label) for manifest in modules()]


class TerritoryCreateForm(forms.ModelForm):
    """A new EPCI from the file of its communes, read and checked whole before anything is
    written (the same reading as import_territory): every refused feature is named."""

    communes_file = forms.FileField(
        label=_("File of the communes"),
        help_text=_(
            "The communes' polygons with their INSEE code and name (and population if "
            "known): GeoJSON, GeoPackage, or a shapefile in a zip, in any coordinate "
            "reference system. The territory's outline is their union."
        ),
    )
    source_srid = forms.IntegerField(
        label=_("EPSG code of the file"),
        required=False,
        help_text=_(
            "Only for a file that declares no coordinate reference system (a shapefile "
            "without its .prj): 2154 for Lambert-93."
        ),
    )

    class Meta:
        model = Territory
        fields = ("siren", "name")

    folder: Path | None = None

    def clean(self) -> dict:
        cleaned = super().clean()
        upload = cleaned.get("communes_file")
        if upload is None or self.errors:
            return cleaned
        self.folder = Path(tempfile.mkdtemp(prefix="territory-"))
        self.communes_path = uploaded_file_keep(upload, self.folder)
        try:
            read_commune_records(self.communes_path, source_srid=cleaned.get("source_srid"))
        except TerritoryFileError as refused:
            self.discard()
            self.add_error("communes_file", refused.errors)
        return cleaned

    def discard(self) -> None:
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None


@admin.register(Territory)
class TerritoryAdmin(LocalGISModelAdmin):
    """An administrator adds a territory from the file of its communes (as
    import_territory does); its outline is their union. On its page they rename it and
    switch participation modules off and on there."""

    list_display = ("name", "siren", "updated_at")
    search_fields = ("name", "siren")
    fields = ("siren", "name", "modules_off", "geom")
    add_fields = ("siren", "name", "communes_file", "source_srid")

    def get_fields(self, request, obj=None):
        return self.add_fields if obj is None else self.fields

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else ("siren",)

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            return super().get_form(request, obj, change, form=TerritoryCreateForm, **kwargs)
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
        if not change:
            self._create_from_file(request, obj, form)
            return
        services.territory_rename(territory=obj, name=obj.name)
        services.territory_modules_switch(
            territory=obj, modules_off=form.cleaned_data.get("modules_off", [])
        )

    def _create_from_file(self, request, obj, form) -> None:
        try:
            report = services.territory_import(
                path=form.communes_path,
                siren=obj.siren,
                name=obj.name,
                source_srid=form.cleaned_data.get("source_srid"),
            )
        finally:
            form.discard()
        obj.pk = report.territory.pk
        obj.refresh_from_db()
        count = report.commune_count
        messages.info(
            request,
            ngettext("%(count)s commune loaded.", "%(count)s communes loaded.", count)
            % {"count": count}
            + (
                " "
                + gettext("Communes already known, now in this territory: %(insee)s.")
                % {"insee": ", ".join(report.updated)}
                if report.updated
                else ""
            ),
        )


@admin.register(Commune)
class CommuneAdmin(LocalGISModelAdmin):
    list_display = ("name", "insee", "population", "territory")
    list_filter = ("territory",)
    search_fields = ("name", "insee")

    def save_model(self, request, obj, form, change) -> None:
        previous = form.initial.get("territory") if change else None
        services.commune_save(commune=obj, previous_territory_id=previous)
