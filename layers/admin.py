# SPDX-License-Identifier: AGPL-3.0-or-later
from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from carto_concertation.core.widgets import LocalGISModelAdmin

from . import services
from .admin_upload import UploadForm, UploadJobAdminMixin
from .models import ContextLayer, RasterLayer
from .tasks import context_layer_import_task, raster_layer_process_task


class ContextUploadForm(UploadForm):
    allowed_suffixes = (".zip", ".gpkg", ".geojson", ".json")
    file = forms.FileField(
        label=_("file"), help_text=_("GeoJSON, GeoPackage, or a zipped shapefile.")
    )
    title = forms.CharField(label=_("title"), max_length=200)
    attribution = forms.CharField(label=_("attribution"), max_length=300)
    fields = forms.CharField(
        label=_("public fields"),
        required=False,
        help_text=_("Comma-separated; empty publishes every field of the file."),
    )
    source_srid = forms.IntegerField(label=_("source EPSG code"), required=False)


class RasterUploadForm(UploadForm):
    allowed_suffixes = (".tif", ".tiff")
    file = forms.FileField(label=_("GeoTIFF"), help_text=_("A georeferenced scan or orthophoto."))
    title = forms.CharField(label=_("title"), max_length=200)
    attribution = forms.CharField(label=_("attribution"), max_length=300)


class SettingsAdmin(UploadJobAdminMixin, LocalGISModelAdmin):
    """Uploaded layers: added through the upload page, then only their settings change."""

    def has_add_permission(self, request) -> bool:
        return request.user.has_perm("territories.administer")

    def add_view(self, request, form_url="", extra_context=None):
        return self.upload_view(request)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if "footprint" in form.base_fields:
            form.base_fields["footprint"].disabled = True
        return form

    def save_model(self, request, obj, form, change) -> None:
        services.layer_settings_update(layer=obj)


@admin.register(ContextLayer)
class ContextLayerAdmin(SettingsAdmin):
    list_display = ("title", "name", "geometry_type", "feature_count", "status")
    fields = (
        "title",
        "attribution",
        "licence",
        "fields",
        "minzoom",
        "maxzoom",
        "name",
        "geometry_type",
        "source_name",
        "feature_count",
        "status",
    )
    readonly_fields = ("name", "geometry_type", "source_name", "feature_count", "status")
    upload_form = ContextUploadForm
    upload_title = _("Add a context layer")
    job_kind = "context_layer_import"

    def start_job(self, request, form):
        data = form.cleaned_data
        path = self.keep_upload(data["file"])
        fields = [f.strip() for f in (data.get("fields") or "").split(",") if f.strip()]
        return self.create_job(
            request,
            title=str(_("Context layer: %(title)s") % {"title": data["title"]}),
            params={
                "path": str(path),
                "title": data["title"],
                "attribution": data["attribution"],
                "fields": fields,
                "source_srid": data.get("source_srid"),
            },
            enqueue=context_layer_import_task.delay,
        )


@admin.register(RasterLayer)
class RasterLayerAdmin(SettingsAdmin):
    list_display = ("title", "name", "source_crs", "minzoom", "maxzoom", "status")
    fields = (
        "title",
        "attribution",
        "licence",
        "name",
        "source_crs",
        "width",
        "height",
        "band_count",
        "minzoom",
        "maxzoom",
        "status",
        "error",
    )
    readonly_fields = ("name", "source_crs", "width", "height", "band_count", "status", "error")
    upload_form = RasterUploadForm
    upload_title = _("Add a raster layer (GeoTIFF)")
    job_kind = "raster_layer"

    def start_job(self, request, form):
        data = form.cleaned_data
        layer = services.raster_layer_create(
            name=data["title"],
            title=data["title"],
            attribution=data["attribution"],
            upload=data["file"],
            user=request.user,
        )
        return self.create_job(
            request,
            title=str(_("Raster layer: %(title)s") % {"title": data["title"]}),
            params={"layer_id": layer.pk},
            enqueue=raster_layer_process_task.delay,
        )
