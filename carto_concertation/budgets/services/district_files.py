# SPDX-License-Identifier: AGPL-3.0-or-later
"""Read an edition's districts from an agent's vector file (GeoJSON, GeoPackage, zipped
Shapefile, any CRS) with the house's reading code (layers.sources, layers.archives): the
same formats, CRS rule and messages as every other import. Nothing is written here."""

import tempfile
from pathlib import Path

from django.conf import settings
from django.contrib.gis.gdal import CoordTransform, GDALException, SpatialReference
from django.contrib.gis.geos import GEOSGeometry, MultiPolygon
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from layers.archives import safe_extract
from layers.services import uploaded_file_keep
from layers.sources import (
    ACCEPTED_SUFFIXES,
    FieldSpec,
    SourceError,
    open_datasource,
    open_vector_layer,
)

from ..models import District, Edition

# wkbNone: an attribute table (a GeoPackage's "attributes" table, a .dbf alone).
NO_GEOMETRY = 100
# Reprojection moves a border by a fraction of a millimetre: a district drawn on the
# territory's own border must not be refused for it.
TOLERANCE_METRES = 1
MAX_DISTRICTS = 500


def _vector_file(folder: Path) -> Path:
    files = [p for p in folder.rglob("*") if p.suffix.lower() in set(ACCEPTED_SUFFIXES) - {".zip"}]
    if len(files) != 1:
        raise SourceError(
            _(
                "The archive must hold exactly one vector file (shapefile, GeoPackage or GeoJSON); it holds %(count)s."
            )
            % {"count": len(files)}
        )
    return files[0]


def _multipolygon(geom: GEOSGeometry, label: str) -> MultiPolygon:
    if geom.geom_type == "Polygon":
        geom = MultiPolygon(geom, srid=geom.srid)
    if geom.geom_type != "MultiPolygon":
        raise ValidationError(
            {
                "file": _("The district “%(name)s” is a %(kind)s: districts must be polygons.")
                % {"name": label, "kind": geom.geom_type}
            }
        )
    if not geom.valid:
        raise ValidationError(
            {
                "file": _("The outline of the district “%(name)s” is invalid (%(reason)s).")
                % {"name": label, "reason": geom.valid_reason}
            }
        )
    return geom


def _read(path: Path, edition: Edition, name_field: str) -> list[District]:
    source = open_datasource(path)
    for layer in source:
        if layer.geom_type.num == NO_GEOMETRY:
            raise ValidationError(
                {
                    "file": _("%(name)s is a table without geometry: districts need outlines.")
                    % {"name": path.name}
                }
            )
    target = SpatialReference(settings.SRID)
    territory = edition.territory.geom.buffer(TOLERANCE_METRES)
    rows: list[District] = []
    with open_vector_layer(path, fields=[FieldSpec("name", (name_field,))]) as vector:
        if vector.layer.num_feat == 0:
            raise ValidationError(
                {"file": _("%(name)s contains no feature.") % {"name": path.name}}
            )
        if vector.layer.num_feat > MAX_DISTRICTS:
            raise ValidationError(
                {"file": _("More than %(max)s districts: refused.") % {"max": MAX_DISTRICTS}}
            )
        transform = CoordTransform(vector.srs, target)
        column = vector.fields["name"]
        for index, feature in enumerate(vector.layer, start=1):
            # A NUL byte is no character PostgreSQL stores: dropped, not a 500.
            name = str(feature.get(column) or "").replace("\x00", "").strip()[:200]
            if not name:
                raise ValidationError(
                    {
                        "name_field": _("Feature %(n)s has no name in the field “%(field)s”.")
                        % {"n": index, "field": column}
                    }
                )
            ogr = feature.geom
            if ogr is None:
                raise ValidationError(
                    {"file": _("The district “%(name)s” has no outline.") % {"name": name}}
                )
            ogr = ogr.clone()
            ogr.set_3d(False)
            ogr.transform(transform)
            geom = _multipolygon(GEOSGeometry(ogr.wkb, srid=settings.SRID), name)
            if not territory.contains(geom):
                raise ValidationError(
                    {
                        "file": _("The district “%(name)s” lies outside the territory.")
                        % {"name": name}
                    }
                )
            rows.append(District(edition=edition, name=name, geom=geom))
    return rows


def districts_read(edition: Edition, uploaded_file, name_field: str) -> list[District]:
    """The districts of the file, checked (polygons inside the territory, each named), or a
    ValidationError naming the field (``file`` or ``name_field``) and the reason."""
    if not (name_field or "").strip():
        raise ValidationError({"name_field": _("Name the field holding the districts' names.")})
    with tempfile.TemporaryDirectory(prefix="districts-") as folder:
        kept = uploaded_file_keep(uploaded_file, Path(folder) / "upload")
        try:
            if kept.suffix.lower() == ".zip":
                kept = _vector_file(safe_extract(kept, Path(folder) / "unpacked"))
            return _read(kept, edition, name_field.strip())
        except SourceError as exc:
            field = "name_field" if exc.field == "fields" else "file"
            raise ValidationError({field: str(exc)}) from exc
        except GDALException as exc:
            raise ValidationError(
                {"file": _("The file cannot be read: %(reason)s") % {"reason": exc}}
            ) from exc
