# SPDX-License-Identifier: AGPL-3.0-or-later
"""Paper maps typed in afterwards: CSV (lon/lat or WKT) or GeoJSON, all or nothing."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from carto_concertation.workshops.models import WorkshopCapture

from .conftest import captures_url, sancoins_lonlat, workshop_contributions

pytestmark = pytest.mark.django_db


def upload(client, workshop, name: str, content: bytes):
    return client.post(
        captures_url(workshop, "paper-import"),
        {"file": SimpleUploadedFile(name, content)},
    )


def csv_lonlat(rows: list[tuple], delimiter: str = ";") -> str:
    lines = [delimiter.join(("title", "text", "theme", "lon", "lat"))]
    lines += [delimiter.join(str(value) for value in row) for row in rows]
    return "\n".join(lines) + "\n"


def test_a_csv_with_lon_lat_is_imported(client, workshop):
    lon, lat = sancoins_lonlat()
    content = csv_lonlat(
        [
            ("Un passage piéton", "Devant la boulangerie.", "Mobilité", lon, lat),
            ("Des logements", "Pour les jeunes.", "Habitat|Mobilité", lon, lat),
        ]
    )

    response = upload(client, workshop, "atelier.csv", content.encode())

    assert response.status_code == 201, response.json()
    assert len(response.json()["created"]) == 2
    ideas = workshop_contributions().order_by("title")
    assert [idea.channel for idea in ideas] == ["paper", "paper"]
    assert sorted(ideas[0].themes.values_list("name", flat=True)) == ["Habitat", "Mobilité"]
    assert WorkshopCapture.objects.filter(workshop=workshop, channel="paper").count() == 2


def test_importing_the_same_file_again_adds_nothing(client, workshop):
    lon, lat = sancoins_lonlat()
    content = csv_lonlat([("Un banc", "Sur la place.", "", lon, lat)]).encode()
    upload(client, workshop, "atelier.csv", content)

    again = upload(client, workshop, "atelier.csv", content)

    assert again.status_code == 201
    assert again.json()["created"] == [] and len(again.json()["already_imported"]) == 1
    assert workshop_contributions().count() == 1


def test_a_csv_with_wkt_and_commas(client, workshop):
    lon, lat = sancoins_lonlat()
    square = (
        f"POLYGON(({lon} {lat},{lon + 0.001} {lat},{lon + 0.001} {lat + 0.001},"
        f"{lon} {lat + 0.001},{lon} {lat}))"
    )
    content = f'title,text,theme,wkt\nUn parc,"Ici, un parc.",Habitat,"{square}"\n'

    response = upload(client, workshop, "atelier.csv", content.encode())

    assert response.status_code == 201, response.json()
    assert workshop_contributions().get().geom.geom_type == "Polygon"
    assert workshop_contributions().get().text == "Ici, un parc."


def test_a_cp1252_csv_from_a_windows_spreadsheet_with_french_headers(client, workshop):
    lon, lat = sancoins_lonlat()
    content = "Titre;Texte;Thème;Longitude;Latitude\n"
    content += f"Fête de l'été;Près de l'église.;Habitat;{str(lon).replace('.', ',')};{lat}\n"

    response = upload(client, workshop, "atelier.csv", content.encode("cp1252"))

    assert response.status_code == 201, response.json()
    assert workshop_contributions().get().title == "Fête de l'été"


def test_one_bad_line_refuses_the_file_with_a_report(client, workshop):
    lon, lat = sancoins_lonlat()
    content = csv_lonlat(
        [
            ("Bonne idée", "Texte.", "Mobilité", lon, lat),
            ("Trop loin", "À Paris.", "Mobilité", 2.35, 48.85),
            ("Autre bonne idée", "Texte.", "Habitat", lon, lat),
            ("Sans texte", "", "Mobilité", lon, lat),
            ("Thème inconnu", "Texte.", "Voirie", lon, lat),
            ("Sans latitude", "Texte.", "", lon, "abc"),
        ]
    )

    response = upload(client, workshop, "atelier.csv", content.encode())

    assert response.status_code == 400
    errors = {(e["line"], e["field"]) for e in response.json()["errors"]}
    assert errors == {(3, "geometry"), (5, "text"), (6, "theme"), (7, "lat")}
    assert all(e["reason"] for e in response.json()["errors"])
    assert workshop_contributions().count() == 0
    assert WorkshopCapture.objects.count() == 0


def test_a_geojson_feature_collection(client, workshop):
    lon, lat = sancoins_lonlat()
    collection = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {
                    "title": "Une haie",
                    "text": "Le long du chemin.",
                    "theme": "Habitat",
                },
                "geometry": {
                    "type": "LineString",
                    "coordinates": [[lon, lat], [lon + 0.002, lat + 0.001]],
                },
            },
            {
                "type": "Feature",
                "properties": {"title": "Un arrêt", "text": "De car.", "theme": "Mobilité"},
                "geometry": {"type": "Point", "coordinates": [lon, lat]},
            },
        ],
    }

    response = upload(client, workshop, "atelier.geojson", json.dumps(collection).encode())

    assert response.status_code == 201, response.json()
    assert sorted(workshop_contributions().values_list("title", flat=True)) == [
        "Un arrêt",
        "Une haie",
    ]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("atelier.csv", b"nom;adresse\nDupont;1 rue\n"),
        ("atelier.geojson", b'{"type": "Feature"}'),
        ("atelier.geojson", b"{not json"),
        ("atelier.csv", b"title;text;lon;lat\n"),
        ("atelier.csv", b"\xff\xfe\x00\x81\x8d"),
    ],
)
def test_unreadable_files_are_400_on_the_file(client, workshop, name, content):
    response = upload(client, workshop, name, content)

    assert response.status_code == 400
    assert "file" in response.json()
    assert workshop_contributions().count() == 0


def test_the_upload_size_is_limited(client, workshop, settings):
    settings.WORKSHOP_IMPORT_MAX_BYTES = 100
    lon, lat = sancoins_lonlat()
    content = csv_lonlat([("Idée", "Texte " * 50, "", lon, lat)])

    response = upload(client, workshop, "atelier.csv", content.encode())

    assert response.status_code == 400
    assert "file" in response.json()


def test_a_csv_with_old_mac_line_endings_is_read(client, workshop):
    lon, lat = sancoins_lonlat()
    content = csv_lonlat([("Un banc", "Sur la place.", "", lon, lat)]).replace("\n", "\r")

    response = upload(client, workshop, "atelier.csv", content.encode())

    assert response.status_code == 201, response.json()
    assert workshop_contributions().count() == 1


@pytest.mark.parametrize(
    "content",
    [
        # An unclosed quote swallows the rest of a file longer than a CSV field may be.
        b'title;text;theme;lon;lat\n"Une idee;' + b"x" * 140_000 + b"\n",
        b'{"type": "FeatureCollection", "features": 5}',
    ],
)
def test_malformed_files_are_400_on_the_file(client, workshop, content):
    response = upload(client, workshop, "atelier.txt", content)

    assert response.status_code == 400
    assert "file" in response.json()
    assert workshop_contributions().count() == 0


def test_malformed_features_and_heights_are_reported_by_line(client, workshop):
    lon, lat = sancoins_lonlat()
    good = {
        "type": "Feature",
        "properties": {"title": "Un arrêt", "text": "De car.", "theme": "Mobilité"},
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
    }
    with_height = {**good, "geometry": {"type": "Point", "coordinates": [lon, lat, 172.5]}}
    collection = {
        "type": "FeatureCollection",
        "features": [good, 1, {**good, "properties": [1]}, with_height],
    }

    response = upload(client, workshop, "atelier.geojson", json.dumps(collection).encode())

    assert response.status_code == 400
    errors = {(e["line"], e["field"]) for e in response.json()["errors"]}
    assert errors == {(2, "feature"), (3, "feature"), (4, "geometry")}
    assert workshop_contributions().count() == 0


def test_the_number_of_ideas_in_one_file_is_limited(client, workshop, settings):
    settings.WORKSHOP_IMPORT_MAX_ROWS = 2
    lon, lat = sancoins_lonlat()
    content = csv_lonlat([(f"Idée {n}", "Texte.", "", lon, lat) for n in range(3)])

    response = upload(client, workshop, "atelier.csv", content.encode())

    assert response.status_code == 400
    # In the site's language (the request names none): the count and the limit, both.
    message = response.json()["file"][0]
    assert "(3, " in message and " 2)" in message
    assert workshop_contributions().count() == 0


@pytest.mark.parametrize(
    ("name", "content", "field"),
    [
        ("atelier.csv", "title;text;theme;lon;lat\nUn banc;Ici.;;nan;46.8\n", "lon"),
        ("atelier.csv", "title;text;theme;lon;lat\nUn banc;Ici.;;2.9;inf\n", "lat"),
        ("atelier.csv", "title;text;theme;wkt\nUn banc;Ici.;;POINT EMPTY\n", "wkt"),
        ("atelier.csv", "title;text;theme;wkt\nUn banc;Ici.;;LINESTRING EMPTY\n", "wkt"),
        ("atelier.csv", "title;text;theme;wkt\nUn banc;Ici.;;POINT(nan 46.8)\n", "geometry"),
        (
            "atelier.geojson",
            '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties":'
            ' {"title": "Un banc", "text": "Ici."}, "geometry": {"type": "Point",'
            ' "coordinates": [NaN, 46.8]}}]}',
            "geometry",
        ),
        (
            "atelier.geojson",
            '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties":'
            ' {"title": "Un banc", "text": "Ici."}, "geometry": {"type": "Point",'
            ' "coordinates": []}}]}',
            "geometry",
        ),
    ],
)
def test_a_nan_coordinate_or_an_empty_place_is_refused_by_line_and_field(
    client, workshop, name, content, field
):
    lon, lat = sancoins_lonlat()
    good = f"Un bon banc;Là.;;{lon};{lat}\n" if name.endswith(".csv") and "lon" in content else ""
    response = upload(client, workshop, name, (content + good).encode())

    assert response.status_code == 400, response.content
    errors = response.json()["errors"]
    assert [(error["line"], error["field"]) for error in errors] == [
        (2 if name.endswith(".csv") else 1, field)
    ]
    assert not workshop_contributions().exists()


def test_a_geojson_file_nested_50000_deep_is_refused(client, workshop):
    content = '{"type": "FeatureCollection", "features": ' + "[" * 50_000 + "]" * 50_000 + "}"
    response = upload(client, workshop, "atelier.geojson", content.encode())

    assert response.status_code == 400, response.content
    assert "file" in response.json()
