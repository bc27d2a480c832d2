# SPDX-License-Identifier: AGPL-3.0-or-later
"""Layers that planners upload: context vector layers and raster plans."""

from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GistIndex
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .fields import web_mercator_copy


class LayerStatus(models.TextChoices):
    PROCESSING = "processing", _("processing")
    READY = "ready", _("ready")
    FAILED = "failed", _("failed")


class ContextLayer(models.Model):
    """A vector layer shown for context: a ZAC perimeter, a bus line, a flood zone…"""

    name = models.SlugField(_("name"), max_length=60, unique=True)
    title = models.CharField(_("title"), max_length=200)
    geometry_type = models.CharField(_("geometry type"), max_length=30, blank=True)
    fields = ArrayField(
        models.CharField(max_length=63),
        verbose_name=_("public fields"),
        default=list,
        blank=True,
        help_text=_("The attributes published in tiles and exports; the others stay private."),
    )
    minzoom = models.PositiveSmallIntegerField(_("min zoom"), default=8)
    maxzoom = models.PositiveSmallIntegerField(_("max zoom"), default=18)
    attribution = models.CharField(_("attribution"), max_length=300)
    licence = models.CharField(_("licence"), max_length=100, default="Licence Ouverte 2.0")
    source_name = models.CharField(_("imported file"), max_length=255, blank=True)
    feature_count = models.PositiveIntegerField(_("features"), default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=LayerStatus.choices, default=LayerStatus.PROCESSING
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("context layer")
        verbose_name_plural = _("context layers")
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(minzoom__lte=models.F("maxzoom")), name="contextlayer_zooms"
            )
        ]

    def __str__(self) -> str:
        return self.title


class ContextFeature(models.Model):
    layer = models.ForeignKey(ContextLayer, related_name="features", on_delete=models.CASCADE)
    source_fid = models.BigIntegerField(_("feature id in the source"))
    properties = models.JSONField(_("attributes"), default=dict)
    geom = models.GeometryField(_("geometry"), srid=settings.SRID, spatial_index=False)
    geom_3857 = web_mercator_copy(models.GeometryField)

    class Meta:
        verbose_name = _("context feature")
        verbose_name_plural = _("context features")
        indexes = [
            GistIndex(fields=["geom"], name="contextfeature_geom_gist"),
            GistIndex(fields=["geom_3857"], name="contextfeature_geom3857_gist"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(geom__isvalid=True), name="contextfeature_geom_valid"
            )
        ]


class RasterLayer(models.Model):
    """A georeferenced image (scan of the plan de zonage, orthophoto) served as tiles.

    The upload is converted to a Cloud-Optimized GeoTIFF already warped to Web
    Mercator, with overviews, so that a tile is one windowed read.
    """

    name = models.SlugField(_("name"), max_length=60, unique=True)
    title = models.CharField(_("title"), max_length=200)
    attribution = models.CharField(_("attribution"), max_length=300)
    licence = models.CharField(_("licence"), max_length=100, default="Licence Ouverte 2.0")
    original = models.FileField(_("uploaded file"), upload_to="rasters/original/")
    cog = models.FileField(_("cloud-optimized GeoTIFF"), upload_to="rasters/cog/", blank=True)
    source_crs = models.CharField(_("source CRS"), max_length=255, blank=True)
    # Raster footprints may lie anywhere on Earth (not only where settings.SRID is
    # defined): kept in WGS84, as TileJSON bounds are.
    footprint = models.PolygonField(_("footprint"), srid=4326, null=True, blank=True)
    width = models.PositiveIntegerField(_("width"), default=0)
    height = models.PositiveIntegerField(_("height"), default=0)
    band_count = models.PositiveSmallIntegerField(_("number of bands"), default=0)
    minzoom = models.PositiveSmallIntegerField(_("min zoom"), default=0)
    maxzoom = models.PositiveSmallIntegerField(_("max zoom"), default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=LayerStatus.choices, default=LayerStatus.PROCESSING
    )
    error = models.TextField(_("error"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("raster layer")
        verbose_name_plural = _("raster layers")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title
