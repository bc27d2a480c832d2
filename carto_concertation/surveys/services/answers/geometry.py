# SPDX-License-Identifier: AGPL-3.0-or-later
"""Map answers as they come (a GeoJSON FeatureCollection in WGS84) turned into checked
features in the storage SRID: the right geometry kind, valid, inside the perimeter,
never "fixed" (docs/design: a contribution's invalid polygon is refused with the reason)."""

import json
from dataclasses import dataclass

from django.conf import settings
from django.contrib.gis.gdal import OGRGeometry
from django.contrib.gis.gdal.error import GDALException
from django.contrib.gis.geos import GEOSException, GEOSGeometry
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ...models import Question

WGS84 = 4326
GEOMETRY_TYPES = {
    Question.Kind.POINTS: "Point",
    Question.Kind.LINE: "LineString",
    Question.Kind.AREA: "Polygon",
}
# A marker's geometry stays small: a drawn route or outline, not a dataset.
MAX_VERTICES = 2000


@dataclass(frozen=True)
class RawFeature:
    """One feature of a map answer before its follow-up is checked: a geometry (storage
    SRID) or a picked id, with the raw ``choice`` and ``comment`` of its properties."""

    geom: GEOSGeometry | None
    pick: object
    choice: object
    comment: object


def _refuse(key: str, message: str) -> ValidationError:
    return ValidationError({key: message})


def _no_constant(name: str):
    """NaN and Infinity are not JSON (RFC 8259), whatever Python's reader accepts."""
    raise ValueError(name)


def feature_collection(value: object, key: str) -> list[dict]:
    """The features of a FeatureCollection given as a dict or as its JSON text."""
    if isinstance(value, str):
        try:
            value = json.loads(value, parse_constant=_no_constant)
        except ValueError as error:
            raise _refuse(key, _("This map answer is not valid GeoJSON.")) from error
    if not isinstance(value, dict) or value.get("type") != "FeatureCollection":
        raise _refuse(key, _("A map answer is a GeoJSON FeatureCollection."))
    features = value.get("features")
    if not isinstance(features, list) or not all(isinstance(f, dict) for f in features):
        raise _refuse(key, _("A map answer is a GeoJSON FeatureCollection."))
    return features


def _properties(feature: dict) -> dict:
    properties = feature.get("properties")
    return properties if isinstance(properties, dict) else {}


def geometry_features(
    question: Question, value: object, perimeter: GEOSGeometry
) -> list[RawFeature]:
    """The drawn features of a points, line or area answer, each checked: its type (the
    question's), its coordinates, its validity, inside the perimeter."""
    expected = GEOMETRY_TYPES[question.kind]
    raw = []
    for index, feature in enumerate(feature_collection(value, question.code)):
        key = f"{question.code}.{index}"
        geometry = feature.get("geometry")
        if not isinstance(geometry, dict) or geometry.get("type") != expected:
            raise _refuse(
                key,
                _("This question takes %(kind)s features only.") % {"kind": expected},
            )
        try:
            read = OGRGeometry(json.dumps(geometry, allow_nan=False))
            # An elevation (GeoJSON's third coordinate) is dropped: answers are 2D.
            read.set_3d(False)
            geom = GEOSGeometry(read.wkb, srid=WGS84)
        except (GEOSException, GDALException, ValueError, TypeError) as error:
            raise _refuse(key, _("This geometry cannot be read.")) from error
        if geom.empty:
            raise _refuse(key, _("This geometry cannot be read."))
        if geom.num_coords > MAX_VERTICES:
            raise _refuse(key, _("This geometry has too many vertices."))
        xmin, ymin, xmax, ymax = geom.extent
        if not (-180 <= xmin <= xmax <= 180 and -90 <= ymin <= ymax <= 90):
            raise _refuse(key, _("Coordinates are longitude and latitude in WGS84."))
        if not geom.valid:
            raise _refuse(
                key, _("This geometry is not valid: %(reason)s.") % {"reason": geom.valid_reason}
            )
        geom.transform(settings.SRID)
        if not geom.valid:
            raise _refuse(key, _("This geometry is not valid once projected."))
        if not perimeter.covers(geom):
            raise _refuse(key, _("This place is outside the area of the questionnaire."))
        properties = _properties(feature)
        raw.append(RawFeature(geom, None, properties.get("choice"), properties.get("comment")))
    return raw


def pick_features(question: Question, value: object) -> list[RawFeature]:
    """The picks of a zones or communes answer: a list of ids or of ``{"id", "choice",
    "comment"}``, or a FeatureCollection whose features carry the id (the map widget's)."""
    if isinstance(value, (dict, str)):
        items = []
        for feature in feature_collection(value, question.code):
            properties = _properties(feature)
            items.append({**properties, "id": properties.get("id", feature.get("id"))})
    elif isinstance(value, list):
        items = value
    else:
        raise _refuse(question.code, _("Give a list of ids."))
    raw = []
    for item in items:
        if isinstance(item, dict):
            raw.append(RawFeature(None, item.get("id"), item.get("choice"), item.get("comment")))
        else:
            raw.append(RawFeature(None, item, None, None))
    return raw
