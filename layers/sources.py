# SPDX-License-Identifier: AGPL-3.0-or-later
"""Open a vector file with GDAL/OGR and check it before any row is read.

Every import (territories, PLUi, context layers) goes through here, so that the
formats accepted, the CRS rule and the field-mapping check are the same everywhere.
"""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.contrib.gis.gdal import DataSource, GDALException, SpatialReference
from django.contrib.gis.gdal.layer import Layer
from django.utils.translation import gettext as _

ACCEPTED_SUFFIXES = (".geojson", ".json", ".shp", ".gpkg", ".zip")


class SourceError(Exception):
    """A vector source that cannot be read as given; the message names the cause."""

    def __init__(self, message: str, *, field: str = "path") -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class FieldSpec:
    """One target attribute and the source field names it may come from (any case)."""

    target: str
    candidates: tuple[str, ...]
    required: bool = True


@dataclass(frozen=True)
class VectorLayer:
    layer: Layer
    srs: SpatialReference
    fields: dict[str, str]  # target attribute -> source field name


def _gdal_path(path: Path) -> str:
    if path.suffix.lower() == ".zip":
        return f"/vsizip/{path}"
    return str(path)


def open_datasource(path: Path) -> DataSource:
    """GDAL's view of a vector file (a zip through /vsizip/), or a SourceError naming it."""
    try:
        return DataSource(_gdal_path(path))
    except GDALException as exc:
        raise SourceError(
            _("Cannot read %(name)s as geographic data (GeoJSON, shapefile or GeoPackage).")
            % {"name": path.name}
        ) from exc


def resolve_fields(source_fields: Iterable[str], specs: Iterable[FieldSpec]) -> dict[str, str]:
    """Map each target attribute to a source field, or fail naming what is missing."""
    by_lower = {name.lower(): name for name in source_fields}
    mapping: dict[str, str] = {}
    missing: list[str] = []
    for spec in specs:
        found = next((by_lower[c.lower()] for c in spec.candidates if c.lower() in by_lower), None)
        if found:
            mapping[spec.target] = found
        elif spec.required:
            missing.append(
                _("%(target)s (one of: %(candidates)s)")
                % {"target": spec.target, "candidates": ", ".join(spec.candidates)}
            )
    if missing:
        raise SourceError(
            _("Missing field(s): %(missing)s. Fields found: %(found)s.")
            % {"missing": "; ".join(missing), "found": ", ".join(sorted(by_lower.values())) or "—"},
            field="fields",
        )
    return mapping


@contextmanager
def open_vector_layer(
    path: Path,
    *,
    fields: Iterable[FieldSpec] = (),
    source_srid: int | None = None,
    layer_name: str | None = None,
) -> Iterator[VectorLayer]:
    """Yield the layer of a vector file with its CRS and field mapping checked.

    A source without a CRS is refused unless ``source_srid`` says what it is:
    guessing Lambert-93 for a file in CC48 would put every commune 200 km off.
    """
    path = Path(path)
    if not path.exists():
        raise SourceError(_("File not found: %(path)s.") % {"path": path})
    if path.suffix.lower() not in ACCEPTED_SUFFIXES:
        raise SourceError(
            _("Unsupported file type %(suffix)s: expected GeoJSON, shapefile, GeoPackage or zip.")
            % {"suffix": path.suffix or "(none)"}
        )
    source = open_datasource(path)
    layer = _pick_layer(source, layer_name, path)
    if source_srid is not None:
        try:
            srs = SpatialReference(source_srid)
        except GDALException as exc:
            raise SourceError(
                _("Unknown source SRID %(srid)s.") % {"srid": source_srid}, field="source_srid"
            ) from exc
    elif layer.srs is None:
        raise SourceError(
            _(
                "%(name)s has no coordinate reference system (no .prj or CRS): "
                "give its EPSG code (for example 2154 for Lambert-93)."
            )
            % {"name": path.name},
            field="source_srid",
        )
    else:
        srs = layer.srs
    yield VectorLayer(layer=layer, srs=srs, fields=resolve_fields(layer.fields, fields))


def _pick_layer(source: DataSource, layer_name: str | None, path: Path) -> Layer:
    names = [layer.name for layer in source]
    if layer_name:
        if layer_name not in names:
            raise SourceError(
                _("No layer %(layer)s in %(name)s (layers: %(names)s).")
                % {"layer": layer_name, "name": path.name, "names": ", ".join(names)},
                field="layer",
            )
        return source[layer_name]
    if not names:
        raise SourceError(_("%(name)s contains no layer.") % {"name": path.name})
    if len(names) > 1:
        raise SourceError(
            _("%(name)s has several layers (%(names)s): name the one to read.")
            % {"name": path.name, "names": ", ".join(names)},
            field="layer",
        )
    return source[0]
