# SPDX-License-Identifier: AGPL-3.0-or-later
"""Bad input at /ogc/: a 400 in OGC's exception shape naming the parameter and the
reason, a 404 for an unknown collection or feature — never a 500."""

import pytest
from django.test import Client

from tests.factories import TerritoryFactory

pytestmark = pytest.mark.django_db
ITEMS = "/ogc/collections/communes/items"


@pytest.fixture
def client() -> Client:
    """Asking for English: the reasons are asserted in English (French is the default)."""
    return Client(HTTP_ACCEPT_LANGUAGE="en")


@pytest.mark.parametrize(
    ("query", "parameter", "reason"),
    [
        ({"colour": "red"}, "colour", "unknown parameter"),
        ({"bbox": "1,2,3"}, "bbox", "4 numbers"),
        ({"bbox": "1,2,3,4,5"}, "bbox", "4 numbers"),
        ({"bbox": "a,b,c,d"}, "bbox", "not a list of numbers"),
        ({"bbox": "nan,1,2,3"}, "bbox", "finite"),
        ({"bbox": "3,1,2,4"}, "bbox", "west is greater than east"),
        ({"bbox": "1,4,2,3"}, "bbox", "south is greater than north"),
        ({"bbox": "1,2,300,4"}, "bbox", "CRS84"),
        ({"bbox-crs": "EPSG:2154"}, "bbox-crs", "unsupported CRS"),
        ({"crs": "http://www.opengis.net/def/crs/EPSG/0/4326"}, "crs", "unsupported CRS"),
        ({"limit": "10001"}, "limit", "10000 (the maximum)"),
        ({"limit": "0"}, "limit", "from 1"),
        ({"limit": "-3"}, "limit", "not a whole number"),
        ({"limit": "2.5"}, "limit", "not a whole number"),
        ({"limit": "ten"}, "limit", "not a whole number"),
        ({"limit": ["2", "3"]}, "limit", "more than once"),
        ({"offset": "-1"}, "offset", "not a whole number"),
        ({"offset": "99999999999999999999"}, "offset", "from 0"),
        ({"datetime": "yesterday"}, "datetime", "RFC 3339"),
        ({"datetime": "2024-13-01"}, "datetime", "RFC 3339"),
        ({"datetime": "2024-05-02/2024-05-01"}, "datetime", "ends before it starts"),
        ({"datetime": "2024-05-01/2024-05-02/2024-05-03"}, "datetime", "one slash"),
        ({"territoire": "2001"}, "territoire", "9 digits"),
        ({"f": "xml"}, "f", "unknown format"),
    ],
)
def test_a_bad_parameter_is_a_400_naming_it(client, query, parameter, reason):
    response = client.get(ITEMS, query)
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["code"] == "InvalidParameterValue"
    assert body["description"].startswith(f"{parameter}: ")
    assert reason in body["description"]


def test_unknown_parameters_on_every_path_and_html_errors_for_browsers(client):
    commune = TerritoryFactory(communes=1).communes.get()
    for path in (
        "/ogc/",
        "/ogc/conformance",
        "/ogc/api",
        "/ogc/collections",
        "/ogc/collections/communes",
        f"/ogc/collections/communes/items/{commune.pk}",
        "/ogc/collections/communes/tiles",
        "/ogc/tileMatrixSets",
    ):
        response = client.get(path, {"limit": "2"} if "items/" in path else {"bbox": "1,2,3,4"})
        assert response.status_code == 400, path
        assert response.json()["description"].split(":")[0] in ("limit", "bbox")
    page = client.get(ITEMS, {"limit": "0"}, HTTP_ACCEPT="text/html")
    assert page.status_code == 400 and page["Content-Type"].startswith("text/html")
    assert "limit" in page.content.decode()


def test_unknown_collection_or_feature_is_a_404(client):
    commune = TerritoryFactory(communes=1).communes.get()
    missing = [
        "/ogc/collections/nowhere",
        "/ogc/collections/nowhere/items",
        "/ogc/collections/nowhere/items/1",
        f"/ogc/collections/communes/items/{commune.pk + 1000}",
        "/ogc/collections/communes/items/abc",
        "/ogc/collections/communes/items/-1",
        "/ogc/collections/communes/items/99999999999999999999999",
        "/ogc/collections/nowhere/tiles",
        "/ogc/collections/communes/tiles/WorldCRS84Quad",
        "/ogc/tileMatrixSets/WorldCRS84Quad",
    ]
    for path in missing:
        response = client.get(path)
        assert response.status_code == 404, path
        assert response.json()["code"] == "NotFound", path
    assert client.get("/ogc/collections/nowhere", HTTP_ACCEPT="text/html").status_code == 404


def test_datetime_forms_that_parse(client):
    TerritoryFactory(communes=1)
    for value in (
        "2024-05-01",
        "2024-05-01T10:00:00Z",
        "2024-05-01T10:00:00+02:00",
        "2024-05-01/..",
        "../2024-05-01",
        "/2024-05-01T00:00:00Z",
        "2024-05-01/",
        "../..",
        "0001-01-01/9999-12-31",
        "0001-01-01T00:00:00Z/9999-12-31T23:59:59Z",
    ):
        response = client.get(ITEMS, {"datetime": value})
        assert response.status_code == 200, (value, response.content)
        # The communes have no moment: a time filter keeps them all (fc-time-response).
        assert response.json()["numberMatched"] == 1


def test_writes_are_refused(client):
    assert client.post(ITEMS).status_code == 405
    assert client.head("/ogc/collections").status_code == 200


def test_extreme_boxes_select_without_error(client):
    commune = TerritoryFactory(communes=1).communes.get()
    lambert = "http://www.opengis.net/def/crs/EPSG/0/2154"
    for query in (
        {"bbox": "-180,-90,180,90"},
        {"bbox": "0,0,0,0"},
        {"bbox": "-1e300,-1e300,1e300,1e300", "bbox-crs": lambert},
        {"bbox": "-180,-90,180,90", "crs": lambert, "limit": "10000", "offset": "2147483647"},
    ):
        response = client.get(ITEMS, query)
        assert response.status_code == 200, (query, response.content)
    world = client.get(ITEMS, {"bbox": "-180,-90,180,90"}).json()
    assert [f["id"] for f in world["features"]] == [commune.pk]
    # Far from where Lambert-93 is used: nothing there, and no error transforming it.
    assert client.get(ITEMS, {"bbox": "100,-90,101,1"}).json()["numberMatched"] == 0
