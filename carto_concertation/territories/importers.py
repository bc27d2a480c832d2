# SPDX-License-Identifier: AGPL-3.0-or-later
"""Read and check a file of commune boundaries before anything is written."""

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.gis.gdal import CoordTransform, GDALException, OGRGeometry, SpatialReference
from django.contrib.gis.geos import GEOSGeometry, MultiPolygon
from django.utils.translation import gettext as _

from layers.sources import FieldSpec, SourceError, open_vector_layer

from .validators import is_valid_insee_code

# ADMIN EXPRESS (INSEE_COM, NOM, POPULATION), france-geojson (code, nom), geo.api.gouv.fr
# (code, nom, population) and OSM extracts (ref:INSEE, name) all map here.
COMMUNE_FIELDS = (
    FieldSpec("insee", ("insee", "insee_com", "code_insee", "code", "codgeo", "ref:INSEE")),
    FieldSpec("name", ("nom", "nom_com", "name", "libelle", "nom_commune")),
    FieldSpec("population", ("population", "pop", "pmun"), required=False),
)
POLYGON_TYPES = {"Polygon", "MultiPolygon"}


class TerritoryFileError(Exception):
    """The file was refused; ``errors`` lists every reason, each naming its feature."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class CommuneRecord:
    insee: str
    name: str
    population: int | None
    geom: MultiPolygon


def read_commune_records(path: Path, *, source_srid: int | None = None) -> list[CommuneRecord]:
    """Every commune of the file, reprojected to settings.SRID, or every reason it fails."""
    try:
        with open_vector_layer(path, fields=COMMUNE_FIELDS, source_srid=source_srid) as source:
            transform = CoordTransform(source.srs, SpatialReference(settings.SRID))
            records, errors = [], []
            seen: dict[str, int] = {}
            for index, feature in enumerate(source.layer, start=1):
                record, feature_errors = _read_feature(feature, index, source.fields, transform)
                errors += feature_errors
                if record is None:
                    continue
                if record.insee in seen:
                    errors.append(
                        _(
                            "Feature %(index)s: INSEE code %(insee)s"
                            " already used by feature %(first)s."
                        )
                        % {"index": index, "insee": record.insee, "first": seen[record.insee]}
                    )
                    continue
                seen[record.insee] = index
                records.append(record)
    except SourceError as exc:
        raise TerritoryFileError([str(exc)]) from exc
    if not records and not errors:
        errors.append(_("The file contains no commune."))
    if errors:
        raise TerritoryFileError(errors)
    return records


def _read_feature(feature, index: int, fields: dict[str, str], transform: CoordTransform):
    errors: list[str] = []
    insee = str(feature.get(fields["insee"]) or "").strip()
    name = str(feature.get(fields["name"]) or "").strip()
    label = _("Feature %(index)s (INSEE %(insee)s)") % {"index": index, "insee": insee or "?"}
    if not is_valid_insee_code(insee):
        errors.append(
            _("%(label)s: field %(field)s: %(value)r is not a valid INSEE commune code.")
            % {"label": label, "field": fields["insee"], "value": insee}
        )
    if not name:
        errors.append(
            _("%(label)s: field %(field)s is empty.") % {"label": label, "field": fields["name"]}
        )
    population = _read_population(feature, fields, label, errors)
    geom = _read_geometry(feature.geom if feature.geom else None, transform, label, errors)
    if errors:
        return None, errors
    return CommuneRecord(insee=insee, name=name, population=population, geom=geom), []


def _read_population(feature, fields: dict[str, str], label: str, errors: list[str]) -> int | None:
    if "population" not in fields:
        return None
    raw = feature.get(fields["population"])
    if raw in (None, ""):
        return None
    try:
        value = int(float(raw))
    except (TypeError, ValueError):
        value = -1
    if value < 0:
        errors.append(
            _("%(label)s: field %(field)s: %(value)r is not a population.")
            % {"label": label, "field": fields["population"], "value": raw}
        )
        return None
    return value


def _read_geometry(
    ogr: OGRGeometry | None, transform: CoordTransform, label: str, errors: list[str]
) -> MultiPolygon | None:
    if ogr is None:
        errors.append(_("%(label)s: no geometry.") % {"label": label})
        return None
    if ogr.geom_type.name.removesuffix("25D") not in POLYGON_TYPES:
        errors.append(
            _("%(label)s: geometry is a %(type)s, a commune needs a Polygon or MultiPolygon.")
            % {"label": label, "type": ogr.geom_type.name}
        )
        return None
    ogr.set_3d(False)
    try:
        ogr.transform(transform)
    except GDALException as exc:
        errors.append(_("%(label)s: cannot reproject: %(error)s") % {"label": label, "error": exc})
        return None
    geom = GEOSGeometry(ogr.wkb, srid=settings.SRID)
    if not geom.valid:
        errors.append(
            _("%(label)s: invalid geometry (%(reason)s).")
            % {"label": label, "reason": geom.valid_reason}
        )
        return None
    return geom if isinstance(geom, MultiPolygon) else MultiPolygon(geom, srid=settings.SRID)
