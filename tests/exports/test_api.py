# SPDX-License-Identifier: AGPL-3.0-or-later
"""GET /api/v1/concertations/<slug>/export: content of the three formats, no personal
data, bad input, drafts, rate limit."""

import codecs
import csv
import io
import itertools
import json

import pytest
from django.contrib.gis.gdal import DataSource
from django.contrib.gis.geos import GEOSGeometry
from django.core.cache import caches
from rest_framework.throttling import ScopedRateThrottle

from carto_concertation.concertations.models import Concertation
from carto_concertation.contributions.models import Contribution
from plui_documents.models import Zone

from .conftest import HIDDEN_TITLE, PENDING_TITLE, WITHDRAWN_TITLE, personal_strings, public_count

EXPORT = "/api/v1/concertations/{slug}/export"


def export(client, concertation: Concertation, fmt: str, **headers):
    return client.get(EXPORT.format(slug=concertation.slug), {"format": fmt}, headers=headers)


def body(response) -> bytes:
    assert response.streaming, "exports are streamed, never built whole in memory"
    return b"".join(response.streaming_content)


def ring_area(ring: list) -> float:
    """Signed area (shoelace): positive when counterclockwise."""
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in itertools.pairwise(ring)) / 2


def test_geojson_holds_every_public_contribution_and_nothing_else(client, exported):
    response = export(client, exported, "geojson")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    assert f'filename="{exported.slug}-contributions.geojson"' in response["Content-Disposition"]
    collection = json.loads(body(response))
    assert collection["type"] == "FeatureCollection"
    assert collection["licence"]["name"] == "Licence Ouverte / Open Licence 2.0"
    assert collection["producer"] == exported.territory.name
    features = collection["features"]
    assert len(features) == public_count(exported) == 7
    titles = {feature["properties"]["title"] for feature in features}
    assert not {HIDDEN_TITLE, WITHDRAWN_TITLE, PENDING_TITLE} & titles
    assert [f["properties"]["id"] for f in features] == sorted(
        f["properties"]["id"] for f in features
    )
    by_title = {feature["properties"]["title"]: feature["properties"] for feature in features}
    first = by_title['Idée n° 0; avec "guillemets"']
    assert (first["votes_for"], first["comment_count"]) == (1, 1)
    assert first["themes"] == ["Habitat"]
    assert (first["zone_libelle"], first["zone_typezone"], first["zone_share"]) == ("UE", "U", 1)
    assert first["zones"] == [{"libelle": "UE", "typezone": "U", "share": 1}]
    assert first["commune_insee"] and first["commune_name"]
    retained = by_title['Idée n° 1; avec "guillemets"']
    assert retained["status"] == "retained"
    assert retained["answer"] == "Retenu dans le projet de zonage."
    assert retained["answer_service"] == "Service urbanisme"
    assert retained["answered_at"].startswith(
        str(Contribution.objects.get(pk=retained["id"]).answered_at.date())
    )
    for feature in features:
        assert set(feature) == {"type", "geometry", "properties"}
        assert "author" not in feature["properties"]
    # RFC 7946: WGS84 longitude/latitude, exterior rings counterclockwise.
    (area,) = [f["geometry"] for f in features if f["geometry"]["type"] == "Polygon"]
    exterior = area["coordinates"][0]
    assert ring_area(exterior) > 0
    assert all(2.5 < x < 3.3 and 46.5 < y < 47.1 for x, y in exterior)


def test_csv_is_excel_ready_with_wkt(client, exported):
    response = export(client, exported, "csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    data = body(response)
    assert data.startswith(codecs.BOM_UTF8)
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == public_count(exported)
    assert list(rows[0])[:3] == ["id", "title", "text"] and list(rows[0])[-2:] == ["crs", "wkt"]
    first = next(row for row in rows if row["title"] == 'Idée n° 0; avec "guillemets"')
    assert first["text"] == "Une ligne,\nune autre ; et un point-virgule."
    assert (first["themes"], first["zones"], first["votes_for"]) == ("Habitat", "UE (U) 100 %", "1")
    kinds = set()
    for row in rows:
        geometry = GEOSGeometry(row["wkt"], srid=4326)
        assert geometry.valid
        kinds.add(geometry.geom_type)
        stored = Contribution.objects.get(pk=row["id"]).geom.transform(4326, clone=True)
        assert geometry.distance(stored) < 1e-6
    assert kinds == {"Point", "LineString", "Polygon"}
    assert not {HIDDEN_TITLE, WITHDRAWN_TITLE, PENDING_TITLE} & {row["title"] for row in rows}


def test_geopackage_opens_in_gdal_with_every_layer_in_lambert_93(client, exported, tmp_path):
    response = export(client, exported, "gpkg")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geopackage+sqlite3"
    path = tmp_path / "export.gpkg"
    path.write_bytes(body(response))
    source = DataSource(str(path))
    layers = {layer.name: layer for layer in source}
    assert set(layers) == {
        "contributions_points",
        "contributions_lines",
        "contributions_polygons",
        "zonage",
    }
    zones = Zone.objects.filter(version=exported.plui_document.current_version_id).count()
    assert len(layers["zonage"]) == zones > 0
    for layer in layers.values():
        assert layer.srs.srid == 2154
    contributions = [
        feature for name, layer in layers.items() if name != "zonage" for feature in layer
    ]
    assert len(contributions) == public_count(exported)
    fields = layers["contributions_points"].fields
    assert "answer_service" in fields and "author" not in fields
    assert set(layers["zonage"].fields) >= {"LIBELLE", "LIBELONG", "TYPEZONE", "DESTDOMI"}
    titles = {feature.get("title") for feature in contributions}
    assert HIDDEN_TITLE not in titles
    ids = {feature.get("id") for feature in contributions}
    for feature in contributions:
        stored = Contribution.objects.get(pk=feature.get("id")).geom
        assert feature.geom.geos.distance(stored) < 0.01
    assert len(ids) == len(contributions)


@pytest.mark.parametrize("fmt", ["geojson", "csv", "gpkg"])
def test_no_personal_data_in_any_format(client, exported, fmt):
    data = body(export(client, exported, fmt))
    personal = personal_strings()
    assert "camille.secret@example.org" in personal and "Camille Introuvable" in personal
    for value in personal:
        assert value.encode() not in data, f"{value!r} is in the {fmt} export"
    if fmt != "gpkg":  # "@" is a byte like any other in a binary file
        assert b"@" not in data
    assert b"Propos injurieux." not in data


def test_bad_format_is_a_400_naming_the_field(client, exported):
    for query in ({"format": "xls"}, {"format": ""}, {}):
        response = client.get(EXPORT.format(slug=exported.slug), query)
        assert response.status_code == 400
        assert list(response.json()) == ["format"]
    wrong = export(client, exported, "shp", accept_language="en")
    assert wrong.json()["format"] == ['"shp" is not a valid choice.']


@pytest.mark.french
def test_bad_format_is_explained_in_french_by_default(client, exported):
    response = export(client, exported, "shp")
    assert response.status_code == 400
    assert response.json()["format"] == ["«\xa0shp\xa0» n'est pas un choix valide."]


def test_draft_and_unknown_concertations_are_not_found(client, exported):
    draft = Concertation.objects.get(status=Concertation.Status.DRAFT)
    assert export(client, draft, "geojson").status_code == 404
    missing = client.get(EXPORT.format(slug="nulle-part"), {"format": "csv"})
    assert missing.status_code == 404


def test_exports_are_rate_limited(client, exported, monkeypatch):
    # DRF reads its rates and its cache once, at import: point them at this test's.
    rates = {**ScopedRateThrottle.THROTTLE_RATES, "export": "2/hour"}
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", rates)
    monkeypatch.setattr(ScopedRateThrottle, "cache", caches["default"])
    caches["default"].delete_many(
        [ScopedRateThrottle.cache_format % {"scope": "export", "ident": "127.0.0.1"}]
    )
    statuses = [
        export(client, exported, "csv", REMOTE_ADDR="127.0.0.1").status_code for _ in range(3)
    ]
    assert statuses == [200, 200, 429]


def test_a_geopackage_that_cannot_be_made_is_a_503_not_a_500(client, exported, monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")  # no ogr2ogr to be found
    response = export(client, exported, "gpkg", accept_language="en")
    assert response.status_code == 503
    assert response.json() == {"detail": "The GeoPackage could not be made. Try again later."}
