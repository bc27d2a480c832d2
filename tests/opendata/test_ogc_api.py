# SPDX-License-Identifier: AGPL-3.0-or-later
"""OGC API – Features at /ogc/ through Django's client: the documents and their links,
the items' selection and paging, the CRS, and the encodings chosen by Accept and ``f``."""

import pytest

from tests.factories import TerritoryFactory

pytestmark = pytest.mark.django_db

CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
LAMBERT93 = "http://www.opengis.net/def/crs/EPSG/0/2154"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def rels(document: dict) -> dict[str, dict]:
    return {link["rel"]: link for link in document["links"]}


def test_landing_links_the_api_the_conformance_and_the_collections(client):
    for accept in ({}, {"HTTP_ACCEPT": "*/*"}, {"HTTP_ACCEPT": "application/json"}):
        response = client.get("/ogc/", **accept)
        assert response.status_code == 200 and response["Content-Type"] == "application/json"
    links = rels(response.json())
    assert links["service-desc"]["type"] == "application/vnd.oai.openapi+json;version=3.0"
    assert links["service-desc"]["href"].endswith("/ogc/api")
    assert links["service-doc"]["type"] == "text/html"
    assert links["conformance"]["href"].endswith("/ogc/conformance")
    assert links["data"]["href"].endswith("/ogc/collections")
    assert links["self"]["type"] == "application/json"
    assert links["alternate"]["type"] == "text/html"
    assert all({"href", "rel", "type"} <= set(link) for link in response.json()["links"])

    conformance = client.get("/ogc/conformance").json()["conformsTo"]
    for part in ("core", "geojson", "html", "oas30"):
        assert f"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/{part}" in conformance
    assert "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs" in conformance
    for part in ("core", "tileset", "tilesets-list", "geodata-tilesets", "mvt"):
        assert f"http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/{part}" in conformance

    api = client.get("/ogc/api")
    assert api["Content-Type"] == "application/vnd.oai.openapi+json;version=3.0"
    assert api.json()["openapi"].startswith("3.0")


def test_collections_and_a_collection_describe_the_same_dataset(client):
    territory = TerritoryFactory(communes=3)
    listed = client.get("/ogc/collections").json()
    assert {"self", "alternate"} <= set(rels(listed))
    entry = next(c for c in listed["collections"] if c["id"] == "communes")
    own = client.get("/ogc/collections/communes").json()
    for key in ("id", "title", "description", "extent", "itemType", "crs", "storageCrs"):
        assert own[key] == entry[key], key
    assert own["itemType"] == "feature"
    assert own["crs"][0] == CRS84 and LAMBERT93 in own["crs"]
    assert own["storageCrs"] == LAMBERT93 and own["storageCrs"] in own["crs"]
    assert listed["crs"] == own["crs"]
    [bbox] = own["extent"]["spatial"]["bbox"]
    assert own["extent"]["spatial"]["crs"] == CRS84
    assert "temporal" not in own["extent"]  # the communes have no moment
    for commune in territory.communes.all():
        west, south, east, north = commune.geom.transform(4326, clone=True).extent
        assert bbox[0] <= west + 1e-5 and bbox[1] <= south + 1e-5
        assert bbox[2] >= east - 1e-5 and bbox[3] >= north - 1e-5
    items = [link for link in own["links"] if link["rel"] == "items"]
    assert {link["type"] for link in items} == {"application/geo+json", "text/html"}
    tiles = [link for link in own["links"] if link["rel"].endswith("tilesets-vector")]
    assert tiles and tiles[0]["href"].endswith("/ogc/collections/communes/tiles")


def test_items_pages_follow_next_and_prev_keeping_the_parameters(client):
    territory = TerritoryFactory(communes=3)
    TerritoryFactory(communes=2)
    url = f"/ogc/collections/communes/items?limit=2&territoire={territory.siren}"
    seen = []
    pages = 0
    while url:
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/geo+json"
        assert response["Content-Crs"] == f"<{CRS84}>"
        page = response.json()
        assert page["type"] == "FeatureCollection"
        assert page["numberMatched"] == 3
        assert page["numberReturned"] == len(page["features"]) <= 2
        assert page["timeStamp"].endswith("Z")
        links = rels(page)
        assert {"self", "alternate", "collection"} <= set(links)
        if pages:
            assert "prev" in links and f"territoire={territory.siren}" in links["prev"]["href"]
        seen += page["features"]
        url = links.get("next", {}).get("href")
        if url:
            assert "limit=2" in url and f"territoire={territory.siren}" in url
        pages += 1
    assert pages == 2
    assert sorted(f["id"] for f in seen) == sorted(territory.communes.values_list("pk", flat=True))
    assert {f["properties"]["territory_siren"] for f in seen} == {territory.siren}


def test_items_by_bbox_in_either_crs_and_one_item_in_lambert_93(client):
    territory = TerritoryFactory(communes=2)
    first, second = territory.communes.order_by("pk")
    inside = first.geom.point_on_surface
    lon_lat = inside.transform(4326, clone=True)
    box84 = f"{lon_lat.x - 1e-4},{lon_lat.y - 1e-4},{lon_lat.x + 1e-4},{lon_lat.y + 1e-4}"
    found = client.get(f"/ogc/collections/communes/items?bbox={box84}").json()
    assert [f["id"] for f in found["features"]] == [first.pk]
    with_heights = client.get(
        f"/ogc/collections/communes/items?bbox={lon_lat.x - 1e-4},{lon_lat.y - 1e-4},0,"
        f"{lon_lat.x + 1e-4},{lon_lat.y + 1e-4},100"
    ).json()
    assert [f["id"] for f in with_heights["features"]] == [first.pk]
    box_l93 = f"{inside.x - 10},{inside.y - 10},{inside.x + 10},{inside.y + 10}"
    found = client.get(
        "/ogc/collections/communes/items",
        {"bbox": box_l93, "bbox-crs": LAMBERT93, "crs": LAMBERT93},
    )
    assert found["Content-Crs"] == f"<{LAMBERT93}>"
    [feature] = found.json()["features"]
    x, y = feature["geometry"]["coordinates"][0][0][0]
    assert 100_000 < x < 1_300_000 and 6_000_000 < y < 7_200_000

    one = client.get(f"/ogc/collections/communes/items/{second.pk}", {"crs": LAMBERT93})
    assert one.status_code == 200 and one["Content-Type"] == "application/geo+json"
    assert one["Content-Crs"] == f"<{LAMBERT93}>"
    body = one.json()
    assert body["id"] == second.pk and body["properties"]["insee"] == second.insee
    assert {"self", "alternate", "collection"} <= set(rels(body))
    ring = body["geometry"]["coordinates"][0][0]
    expected = second.geom.coords[0][0]
    assert [round(v, 1) for v in ring[0]] == [round(v, 1) for v in expected[0]]
    default = client.get(f"/ogc/collections/communes/items/{second.pk}")
    assert default["Content-Crs"] == f"<{CRS84}>"
    lon, lat = default.json()["geometry"]["coordinates"][0][0][0]
    assert -6 < lon < 10 and 41 < lat < 52


def test_html_for_browsers_and_f_html_json_for_f_json(client):
    territory = TerritoryFactory(communes=3)
    commune = territory.communes.order_by("pk").first()
    pages = [
        "/ogc/",
        "/ogc/conformance",
        "/ogc/api",
        "/ogc/collections",
        "/ogc/collections/communes",
        "/ogc/collections/communes/items?limit=2",
        f"/ogc/collections/communes/items/{commune.pk}",
        "/ogc/collections/communes/tiles",
        "/ogc/collections/communes/tiles/WebMercatorQuad",
        "/ogc/tileMatrixSets",
        "/ogc/tileMatrixSets/WebMercatorQuad",
    ]
    for path in pages:
        page = client.get(path, HTTP_ACCEPT=BROWSER)
        assert page.status_code == 200, path
        assert page["Content-Type"].startswith("text/html"), path
        assert "<a " in page.content.decode()
        sep = "&" if "?" in path else "?"
        assert client.get(f"{path}{sep}f=html")["Content-Type"].startswith("text/html")
        as_json = client.get(f"{path}{sep}f=json", HTTP_ACCEPT=BROWSER)
        assert "json" in as_json["Content-Type"], path
    items = client.get("/ogc/collections/communes/items?limit=2&f=html").content.decode()
    assert commune.name in items and 'rel="next"' in items
    collection = client.get("/ogc/collections/communes?f=html").content.decode()
    assert "INSEE" in collection  # the fields with their labels


def test_a_collection_without_features_or_an_unknown_one(client):
    empty = client.get("/ogc/collections/communes/items").json()
    assert empty["numberMatched"] == 0 and empty["features"] == []
    assert "next" not in rels(empty)
    assert client.get("/ogc/collections/communes").json()["extent"]["spatial"]["bbox"] == [
        [-180.0, -90.0, 180.0, 90.0]
    ]


def test_read_from_any_origin_and_rate_limited(client, settings):
    TerritoryFactory(communes=1)
    shared = client.get("/ogc/collections/communes/items", HTTP_ORIGIN="https://commune.example")
    assert shared["Access-Control-Allow-Origin"] == "*"
    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**rates, "ogc_api": "3/minute"},
    }
    # Seven requests span at most two of django-ratelimit's windows: one holds four.
    answers = [client.get("/ogc/collections/communes/items").status_code for _ in range(7)]
    assert 429 in answers and set(answers) == {200, 429}
    assert client.get("/ogc/").status_code == 200  # the landing page costs nothing


@pytest.mark.french
def test_pages_and_reasons_in_french_by_default(client):
    TerritoryFactory(communes=1)
    landing = client.get("/ogc/", HTTP_ACCEPT=BROWSER).content.decode()
    assert "Données ouvertes de carto-concertation" in landing
    assert "Parcourir les objets" in client.get("/ogc/collections?f=html").content.decode()
    refused = client.get("/ogc/collections/communes/items", {"limit": "20000"}).json()
    assert refused["description"] == "limit: doit être de 1 à 10000 (le maximum)"
    home = client.get("/").content.decode()
    assert 'href="/ogc/?f=html">Données ouvertes (OGC API)</a>' in home  # the footer


def test_a_collection_links_its_open_files_to_download_whole(client, settings, tmp_path):
    """The open files of each territory (opendata.catalogue) hang on the collection: a
    GIS officer finding it through OGC API downloads it whole from there."""
    from carto_concertation.opendata.catalogue.files import open_files_refresh

    settings.MEDIA_ROOT = tmp_path
    territory = TerritoryFactory(communes=2)
    own = client.get("/ogc/collections/communes").json()
    assert not [link for link in own["links"] if link["rel"] == "enclosure"]

    open_files_refresh()
    own = client.get("/ogc/collections/communes").json()
    files = [link for link in own["links"] if link["rel"] == "enclosure"]
    assert {link["type"] for link in files} >= {"application/geo+json", "text/csv; charset=utf-8"}
    geojson = next(link for link in files if link["type"] == "application/geo+json")
    assert geojson["href"].endswith(f"/donnees/{territory.siren}/communes.geojson")
    downloaded = client.get(geojson["href"].removeprefix("http://testserver"))
    assert downloaded.status_code == 200 and int(downloaded["Content-Length"]) == geojson["length"]
    listed = client.get("/ogc/collections").json()
    entry = next(c for c in listed["collections"] if c["id"] == "communes")
    assert not [link for link in entry["links"] if link["rel"] == "enclosure"]

    page = client.get("/ogc/collections/communes?f=html").content.decode()
    assert f'href="{geojson["href"]}"' in page and territory.name in page
