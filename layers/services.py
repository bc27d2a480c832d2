# SPDX-License-Identifier: AGPL-3.0-or-later
"""Writes on uploaded layers: raster plans (to COG) and context vector layers."""

import shutil
import tempfile
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import connection, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from psycopg import sql

from carto_concertation.core.changes import tileset_changed_announce
from carto_concertation.core.storage import folder_written_whole

from .archives import safe_extract
from .models import ContextLayer, LayerStatus, RasterLayer
from .rasters import cog_convert
from .selectors import CONTEXT_PREFIX
from .sources import ACCEPTED_SUFFIXES, SourceError, open_vector_layer
from .staging import staged_layer


def _unique_name(model, wanted: str) -> str:
    name = slugify(wanted)[:50] or "layer"
    if model.objects.filter(name=name).exists():
        raise ValidationError(
            {"name": _("A layer named %(name)s already exists.") % {"name": name}}
        )
    return name


@transaction.atomic
def raster_layer_create(
    *, name: str, title: str, attribution: str, upload: File, user=None
) -> RasterLayer:
    """Record an uploaded GeoTIFF; the conversion runs in Celery (raster_layer_process)."""
    if Path(upload.name).suffix.lower() not in (".tif", ".tiff"):
        raise ValidationError({"file": _("Upload a GeoTIFF (.tif or .tiff).")})
    layer = RasterLayer(
        name=_unique_name(RasterLayer, name or title),
        title=title,
        attribution=attribution,
        created_by=user,
    )
    layer.original.save(Path(upload.name).name, upload, save=False)
    layer.save()
    return layer


def raster_layer_process(*, layer_id: int) -> RasterLayer:
    """Convert the upload to a COG and publish the layer, or mark it failed with the reason."""
    layer = RasterLayer.objects.get(pk=layer_id)
    with tempfile.TemporaryDirectory(prefix="cog-") as folder:
        target = Path(folder) / f"{layer.name}.tif"
        try:
            facts = cog_convert(Path(layer.original.path), target)
        except SourceError as exc:
            RasterLayer.objects.filter(pk=layer_id).update(
                status=LayerStatus.FAILED, error=str(exc)
            )
            raise
        with transaction.atomic(), target.open("rb") as handle:
            layer = RasterLayer.objects.select_for_update().get(pk=layer_id)
            layer.cog.save(target.name, File(handle), save=False)
            layer.source_crs = facts.source_crs
            layer.footprint = facts.footprint
            layer.width, layer.height, layer.band_count = (
                facts.width,
                facts.height,
                facts.band_count,
            )
            layer.minzoom, layer.maxzoom = facts.minzoom, facts.maxzoom
            layer.status, layer.error = LayerStatus.READY, ""
            layer.save()
    return layer


def _vector_file(folder: Path) -> Path:
    candidates = [
        p for p in folder.rglob("*") if p.suffix.lower() in set(ACCEPTED_SUFFIXES) - {".zip"}
    ]
    if len(candidates) != 1:
        raise SourceError(
            _(
                "The archive must hold exactly one vector file (shapefile, GeoPackage or GeoJSON); it holds %(count)s."
            )
            % {"count": len(candidates)}
        )
    return candidates[0]


def context_layer_import(
    *,
    path: Path,
    title: str,
    attribution: str,
    name: str | None = None,
    fields: list[str] | None = None,
    source_srid: int | None = None,
    user=None,
) -> ContextLayer:
    """Load a planner's vector file as a context layer, all or nothing.

    Only ``fields`` are published (all of the file's when not given); invalid
    geometries are repaired with ST_MakeValid, as for the PLUi.
    """
    path = Path(path)
    with tempfile.TemporaryDirectory(prefix="context-") as folder:
        if path.suffix.lower() == ".zip":
            path = _vector_file(safe_extract(path, Path(folder)))
        with open_vector_layer(path, source_srid=source_srid) as source:
            available = [f.lower() for f in source.layer.fields]
            if source.layer.num_feat == 0:
                raise SourceError(_("%(name)s contains no feature.") % {"name": path.name})
        published = [f.lower() for f in fields] if fields else available
        unknown = sorted(set(published) - set(available))
        if unknown:
            raise SourceError(
                _("Unknown field(s) %(fields)s; the file has: %(available)s.")
                % {"fields": ", ".join(unknown), "available": ", ".join(available)},
                field="fields",
            )
        with staged_layer(str(path), source_srid=source_srid) as staged, transaction.atomic():
            layer = ContextLayer.objects.create(
                name=_unique_name(ContextLayer, name or title),
                title=title,
                attribution=attribution,
                fields=published,
                source_name=path.name,
                created_by=user,
            )
            layer.feature_count = _copy_features(layer.pk, staged, published)
            layer.geometry_type = _geometry_type(layer.pk)
            layer.status = LayerStatus.READY
            layer.save()
    return layer


def _copy_features(layer_id: int, staged, published: list[str]) -> int:
    properties = sql.SQL("jsonb_strip_nulls(jsonb_build_object({}))").format(
        sql.SQL(", ").join(
            sql.SQL("{}, {}").format(sql.Literal(column), sql.Identifier(column))
            for column in published
            if column in staged.columns
        )
    )
    query = sql.SQL(
        "INSERT INTO layers_contextfeature (layer_id, source_fid, properties, geom) "
        "SELECT %s, ogc_fid, {properties}, "
        "CASE WHEN ST_IsValid(geom) THEN geom ELSE ST_CollectionExtract(ST_MakeValid(geom)) END "
        "FROM {source} WHERE geom IS NOT NULL AND NOT ST_IsEmpty(geom)"
    ).format(
        properties=properties if published else sql.SQL("'{}'::jsonb"), source=staged.identifier
    )
    with connection.cursor() as cursor:
        cursor.execute(query, [layer_id])
        return cursor.rowcount


def _geometry_type(layer_id: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT replace(GeometryType(geom), 'MULTI', '') FROM layers_contextfeature WHERE layer_id = %s",
            [layer_id],
        )
        kinds = {row[0] for row in cursor.fetchall()}
    names = {"POLYGON": "Polygon", "LINESTRING": "LineString", "POINT": "Point"}
    return names.get(kinds.pop(), "Geometry") if len(kinds) == 1 else "Geometry"


def uploaded_file_keep(upload: File, folder: Path) -> Path:
    """Copy an upload where the worker can read it (MEDIA_ROOT/imports/…); on a full
    disk, MediaFull and no folder left behind."""
    target = folder / Path(upload.name).name

    def write() -> Path:
        with target.open("wb") as sink:
            for chunk in upload.chunks():
                sink.write(chunk)
        return target

    return folder_written_whole(folder, write)


def uploaded_folder_discard(path: Path) -> None:
    shutil.rmtree(path.parent, ignore_errors=True)


@transaction.atomic
def layer_settings_update(*, layer: ContextLayer | RasterLayer) -> ContextLayer | RasterLayer:
    """Save what an administrator edited (title, attribution, zooms, public fields)."""
    layer.full_clean()
    layer.save()
    if isinstance(layer, ContextLayer):
        tileset_changed_announce(f"{CONTEXT_PREFIX}{layer.name}")
    return layer
