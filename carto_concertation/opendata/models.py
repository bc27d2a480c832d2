# SPDX-License-Identifier: AGPL-3.0-or-later
"""The open files written for each collection and territory: what the catalogue, the
open-data page and the download view say of them (size, checksum, date) without reading
the disk."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OpenFile(models.Model):
    """One downloadable file of a collection in a territory, as last written.

    ``modified`` is when its content last changed: a refresh that finds the same
    features keeps the file and its date (data.gouv.fr shows it as the resource's date).
    """

    class Format(models.TextChoices):
        GEOJSON = "geojson", "GeoJSON"
        CSV = "csv", "CSV"
        GPKG = "gpkg", "GeoPackage"
        FGB = "fgb", "FlatGeobuf"

    territory = models.ForeignKey(
        "territories.Territory",
        verbose_name=_("territory"),
        related_name="+",
        on_delete=models.CASCADE,
    )
    collection = models.CharField(_("collection"), max_length=100)
    format = models.CharField(_("format"), max_length=10, choices=Format.choices)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    features = models.PositiveIntegerField(_("features"))
    modified = models.DateTimeField(_("content changed at"))

    class Meta:
        verbose_name = _("open data file")
        verbose_name_plural = _("open data files")
        ordering = ["territory", "collection", "format"]
        constraints = [
            models.UniqueConstraint(
                fields=["territory", "collection", "format"], name="open_file_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.collection}.{self.format}"

    @property
    def filename(self) -> str:
        return f"{self.collection}.{self.format}"
