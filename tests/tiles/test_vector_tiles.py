# SPDX-License-Identifier: AGPL-3.0-or-later
"""Vector tiles of the real PLUi: decoded, compared with SQL, opened by GDAL."""

import gzip
import math
import subprocess

import jsonschema
import mapbox_vector_tile
import pytest
from django.db import connection
from shapely.geometry import Point, shape

from plui_documents.models import Zone
from plui_documents.services import plui_import
from tiles import cache as tile_cache
from tiles.mvt import WEB_MERCATOR_WIDTH

from ..plui_documents.conftest import TROIS_PROVINCES

pytestmark = pytest.mark.django_db(transaction=True)
HALF = WEB_MERCATOR_WIDTH / 2
EXTENT = 4096

# TileJSON 3.0.0 as its specification states it: required members and their types.
TILEJSON_3 = {
    "type": "object",
    "required": ["tilejson", "tiles", "vector_layers"],
    "properties": {
        "tilejson": {"type": "string", "pattern": r"^3\.0\.0$"},
        "tiles": {
            "type": "array",
            "minItems": 1,
            "items": {"type": "string", "pattern": "^https?://.*{z}.*{x}.*{y}"},
        },
        "vector_layers": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", "fields"],
                "properties": {
                    "id": {"type": "string"},
                    "fields": {"type": "object", "additionalProperties": {"type": "string"}},
                    "minzoom": {"type": "integer"},
                    "maxzoom": {"type": "integer"},
                },
            },
        },
        "bounds": {"type": "array", "items": {"type": "number"}, "minItems": 4, "maxItems": 4},
        "center": {"type": "array", "items": {"type": "number"}, "minItems": 3, "maxItems": 3},
        "minzoom": {"type": "integer", "minimum": 0, "maximum": 30},
        "maxzoom": {"type": "integer", "minimum": 0, "maximum": 30},
        "attribution": {"type": "string"},
    },
}


@pytest.fixture
def zoning():
    version, _ = plui_import(path=TROIS_PROVINCES, analyse=False)
    return version


def tile_of(x3857: float, y3857: float, z: int) -> tuple[int, int]:
    size = WEB_MERCATOR_WIDTH / 2**z
    return math.floor((x3857 + HALF) / size), math.floor((HALF - y3857) / size)


def decode(response) -> dict:
    data = (
        gzip.decompress(response.content)
        if response.get("Content-Encoding") == "gzip"
        else response.content
    )
    return mapbox_vector_tile.decode(data, default_options={"y_coord_down": True})


def zone_point(libelle: str):
    zone = Zone.objects.filter(libelle=libelle).order_by("source_fid").first()
    point = zone.geom_3857.point_on_surface
    return zone, point


def test_a_tile_holds_the_zones_sql_finds_there_with_their_public_fields(client, zoning):
    zone, point = zone_point("UE")
    x, y = tile_of(point.x, point.y, 14)

    response = client.get(f"/tiles/zoning/14/{x}/{y}.mvt", headers={"accept-encoding": "gzip"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.mapbox-vector-tile"
    assert response["Content-Encoding"] == "gzip"
    tile = decode(response)
    assert set(tile) >= {"zones", "prescriptions"}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM plui_documents_zone WHERE version_id = %s AND "
            "ST_Intersects(geom_3857, ST_TileEnvelope(14, %s, %s, margin => 64.0 / 4096))",
            [zoning.pk, x, y],
        )
        expected = cursor.fetchone()[0]
    assert len(tile["zones"]["features"]) == expected
    feature = next(f for f in tile["zones"]["features"] if f["id"] == zone.pk)
    assert set(feature["properties"]) <= {
        "libelle",
        "libelong",
        "typezone",
        "destdomi",
        "nomfic",
        "urlfic",
    }
    assert feature["properties"]["libelle"] == "UE"
    # The zone's point lands where it should in tile pixels.
    size = WEB_MERCATOR_WIDTH / 2**14
    px = (point.x - (-HALF + x * size)) / size * EXTENT
    py = ((HALF - y * size) - point.y) / size * EXTENT
    assert shape(feature["geometry"]).buffer(2).contains(Point(px, py))


def test_polygon_exteriors_have_positive_area_in_tile_coordinates(client, zoning):
    _zone, point = zone_point("N")
    x, y = tile_of(point.x, point.y, 13)
    tile = decode(client.get(f"/tiles/zoning/13/{x}/{y}.mvt"))
    checked = 0
    for feature in tile["zones"]["features"]:
        polygons = feature["geometry"]["coordinates"]
        if feature["geometry"]["type"] == "Polygon":
            polygons = [polygons]
        for rings in polygons:
            exterior = rings[0]
            area = sum(
                x0 * y1 - x1 * y0
                for (x0, y0), (x1, y1) in zip(exterior, exterior[1:] + exterior[:1], strict=True)
            )
            assert area > 0  # clockwise with y down, as MVT 2.1 §4.3.4.4 asks
            checked += 1
    assert checked > 0


def test_one_query_per_tile_and_none_once_cached(client, zoning, django_assert_num_queries):
    _zone, point = zone_point("UB")
    x, y = tile_of(point.x, point.y, 15)
    with django_assert_num_queries(1):
        first = client.get(f"/tiles/zoning/15/{x}/{y}.mvt")
    with django_assert_num_queries(0):
        second = client.get(f"/tiles/zoning/15/{x}/{y}.mvt")
    assert first.content == second.content
    assert first["ETag"] == second["ETag"]
    assert (
        client.get(
            f"/tiles/zoning/15/{x}/{y}.mvt", headers={"if-none-match": first["ETag"]}
        ).status_code
        == 304
    )


def test_gdal_opens_a_served_tile(client, zoning, tmp_path):
    _zone, point = zone_point("UA")
    x, y = tile_of(point.x, point.y, 14)
    path = tmp_path / "14" / str(x) / f"{y}.pbf"
    path.parent.mkdir(parents=True)
    path.write_bytes(client.get(f"/tiles/zoning/14/{x}/{y}.mvt").content)
    result = subprocess.run(
        ["ogrinfo", "-ro", "-so", "-al", str(path)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert "Layer name: zones" in result.stdout
    assert "libelle" in result.stdout


def test_empty_out_of_range_and_unknown(client, zoning):
    empty = client.get("/tiles/zoning/14/0/0.mvt")
    assert empty.status_code == 204
    assert "max-age" in empty["Cache-Control"]
    assert client.get("/tiles/zoning/14/16384/0.mvt").status_code == 404
    assert client.get("/tiles/zoning/23/0/0.mvt").status_code == 404
    assert client.get("/tiles/nothing/1/0/0.mvt").status_code == 404


def test_layers_appear_only_in_their_zoom_range(client, zoning):
    _zone, point = zone_point("N")
    x, y = tile_of(point.x, point.y, 10)
    tile = decode(client.get(f"/tiles/zoning/10/{x}/{y}.mvt"))
    assert "zones" in tile
    assert "prescriptions" not in tile  # prescriptions start at zoom 12


def test_tilejson_is_valid_and_matches_the_tiles(client, zoning):
    document = client.get("/tiles/zoning.json").json()
    jsonschema.validate(document, TILEJSON_3)
    assert document["tiles"] == ["http://testserver/tiles/zoning/{z}/{x}/{y}.mvt"]
    assert [layer["id"] for layer in document["vector_layers"]] == [
        "zones",
        "prescriptions",
        "informations",
    ]
    west, south, east, north = document["bounds"]
    assert 2.7 < west < east < 3.1 and 46.7 < south < north < 46.95  # the Sancoins area
    assert "Géoportail de l'Urbanisme" in document["attribution"]
    assert client.get("/tiles/nothing.json").status_code == 404


def test_an_import_makes_the_zoning_tiles_stale(client, zoning):
    _zone, point = zone_point("UE")
    x, y = tile_of(point.x, point.y, 14)
    before, _tile = tile_cache.tile_lookup("zoning", 14, x, y)
    plui_import(path=TROIS_PROVINCES, analyse=False)
    assert tile_cache.tile_lookup("zoning", 14, x, y)[0] != before


def test_invalidation_drops_only_the_tiles_under_a_feature(client, zoning):
    _zone, point = zone_point("UE")
    near = tile_of(point.x, point.y, 16)
    far = (near[0] + 40, near[1] + 40)
    near_response = client.get(f"/tiles/zoning/16/{near[0]}/{near[1]}.mvt")
    far_response = client.get(f"/tiles/zoning/16/{far[0]}/{far[1]}.mvt")
    near_key, near_cached = tile_cache.tile_lookup("zoning", 16, *near)
    far_key, far_cached = tile_cache.tile_lookup("zoning", 16, *far)
    assert near_cached is not None and far_cached is not None

    tile_cache.tiles_invalidate("zoning", (point.x - 1, point.y - 1, point.x + 1, point.y + 1))

    new_key, new_cached = tile_cache.tile_lookup("zoning", 16, *near)
    assert new_key != near_key and new_cached is None
    assert tile_cache.tile_lookup("zoning", 16, *far) == (far_key, far_cached)
    assert client.get(f"/tiles/zoning/16/{far[0]}/{far[1]}.mvt")["ETag"] == far_response["ETag"]
    assert near_response.status_code == 200
