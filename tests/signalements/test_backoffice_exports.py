# SPDX-License-Identifier: AGPL-3.0-or-later
"""The exports of the filtered queue: a CSV for French spreadsheets (BOM, ``;``, French
headers, local dates, decimal commas, formulas defused) and GeoJSON; every page of the
queue, the agent's services' reports only, and no personal data."""

import csv
import io
import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import translation

from carto_concertation.signalements.models import Report
from tests.factories.signalements import ReportFactory
from tests.gdal_3_12 import moments_read

from .desk_world import desk_world  # noqa: F401  (the ``desk`` fixture)

PARIS = ZoneInfo("Europe/Paris")


def _export(client, fmt: str, **params):
    response = client.get(reverse("signalements:desk-export", args=[fmt]), params)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body


@pytest.fixture
def filed(desk):
    hole = ReportFactory(
        category=desk.pothole,
        service=desk.roads,
        address="12 rue des Tilleuls",
        description='=HYPERLINK("http://example.org") trou ; profond',
        author=desk.resident,
        email="",
        is_public=False,
    )
    # A summer day at 23:30 UTC is the next day at 01:30 in Paris.
    Report.objects.filter(pk=hole.pk).update(
        created_at=datetime(2026, 7, 14, 23, 30, tzinfo=ZoneInfo("UTC"))
    )
    anonymous = ReportFactory(
        category=desk.pothole, service=desk.roads, author=None, email="voisin@example.org"
    )
    lamp = ReportFactory(category=desk.lighting, service=desk.lights)
    return {"hole": hole, "anonymous": anonymous, "lamp": lamp}


def test_the_csv_is_for_french_spreadsheets(client, desk, filed):
    client.force_login(desk.road_agent)
    response, body = _export(client, "csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="signalements-')
    assert response["Content-Disposition"].endswith('.csv"')
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body[3:].decode()), delimiter=";"))
    headers = rows[0]
    assert headers[:8] == [
        "N°",
        "Signalé le",
        "Commune",
        "Code INSEE",
        "Catégorie",
        "Adresse",
        "Description",
        "État",
    ]
    assert "Longitude" in headers and "En retard" in headers
    by_number = {int(row[0]): dict(zip(headers, row, strict=True)) for row in rows[1:]}
    assert set(by_number) == {filed["hole"].pk, filed["anonymous"].pk}
    hole = by_number[filed["hole"].pk]
    assert hole["Signalé le"] == "15/07/2026 01:30"
    assert hole["Catégorie"] == "Voirie › Nid-de-poule"
    assert hole["Adresse"] == "12 rue des Tilleuls"
    # Kept as typed, but never run as a formula.
    assert hole["Description"] == '\'=HYPERLINK("http://example.org") trou ; profond'
    with translation.override("fr"):
        assert hole["État"] == str(Report.State.OPEN.label)
    assert hole["Public"] == "non"
    assert hole["Service"].startswith("Voirie communale")
    assert "," in hole["Longitude"] and "." not in hole["Longitude"]


def test_no_personal_data_in_the_exports(client, desk, filed):
    client.force_login(desk.road_agent)
    for fmt in ("csv", "geojson"):
        _response, body = _export(client, fmt, status="open,fixed")
        text = body.decode()
        assert filed["hole"].description.split(" ")[1] in text
        for personal in (
            desk.resident.email,
            desk.resident.pseudonym,
            "voisin@example.org",
            desk.road_agent.pseudonym,
            desk.road_agent.email,
        ):
            assert personal not in text, (fmt, personal)


def test_the_geojson_holds_the_filtered_reports_of_every_page(client, desk, filed):
    ReportFactory.create_batch(60, category=desk.pothole, service=desk.roads)
    client.force_login(desk.road_agent)
    response, body = _export(client, "geojson")
    assert response["Content-Type"] == "application/geo+json"
    collection = json.loads(body)
    assert collection["type"] == "FeatureCollection"
    assert len(collection["features"]) == 62  # past the queue's page of 50
    feature = next(f for f in collection["features"] if f["id"] == filed["hole"].pk)
    assert feature["geometry"]["type"] == "Point"
    lon, lat = feature["geometry"]["coordinates"]
    assert -180 < lon < 180 and -90 < lat < 90
    assert feature["properties"]["state"] == "open"
    assert feature["properties"]["category_code"] == "nid-de-poule"
    assert feature["properties"]["is_public"] is False
    assert feature["properties"]["created_at"].startswith("2026-07-14T23:30")
    # The filters apply: the commune of none of them, nothing.
    _response, body = _export(client, "geojson", commune=desk.second.pk)
    assert json.loads(body)["features"] == []


def test_gdal_3_12_reads_a_report_dated_40_microseconds_before_a_second(
    client, desk, filed, tmp_path
):
    """GDAL keeps seconds as a float32: 40 µs before the next second read back as a
    million microseconds, and pyogrio (QGIS's reader) refused the file."""
    near = datetime(2026, 7, 14, 21, 30, 0, 999_960, tzinfo=ZoneInfo("UTC"))
    Report.objects.filter(pk=filed["hole"].pk).update(created_at=near, fixed_at=near)
    client.force_login(desk.road_agent)
    _response, body = _export(client, "geojson")
    path = tmp_path / "signalements.geojson"
    path.write_bytes(body)
    read = moments_read(str(path))
    assert len(read) == len(json.loads(body)["features"])
    # The wall-clock time written, in UTC as the export writes it.
    assert {"created_at": "2026-07-14T21:30:00.000", "fixed_at": "2026-07-14T21:30:00.000"} in [
        {name: feature.get(name) for name in ("created_at", "fixed_at")} for feature in read
    ]


def test_the_exports_are_the_agents_services_only(client, desk, filed):
    client.force_login(desk.light_agent)
    _response, body = _export(client, "geojson")
    assert [f["id"] for f in json.loads(body)["features"]] == [filed["lamp"].pk]
    client.force_login(desk.resident)
    assert _export(client, "csv")[0].status_code == 403


def test_a_bad_filter_or_format_is_refused(client, desk, filed):
    client.force_login(desk.road_agent)
    response, body = _export(client, "csv", older_than="beaucoup")
    assert response.status_code == 400
    assert "Plus ancien que (jours)" in body.decode()
    assert _export(client, "xls")[0].status_code == 404
