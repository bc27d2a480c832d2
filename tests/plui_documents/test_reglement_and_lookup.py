# SPDX-License-Identifier: AGPL-3.0-or-later
"""The règlement (text per page, French search, zone sections) and the zone lookup API."""

import shutil

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from plui_documents.models import DocumentPiece, PieceKind, RegulationLink
from plui_documents.services import plui_import
from tests.factories import UserFactory

from .conftest import PLUI_DATA, SOURCE_ZONES, source_features

pytestmark = pytest.mark.django_db(transaction=True)

# Where each zone's section starts in the test règlement (tests/data/plui/README.md).
SECTION_STARTS = {
    "UA": 3,
    "UB": 5,
    "UE": 7,
    "UP": 9,
    "1AUa": 10,
    "1AUb": 11,
    "2AU": 12,
    "A": 13,
    "Ah": 15,
    "Av": 16,
    "N": 17,
    "Nc": 19,
    "Nm": 20,
}


def lonlat_inside(libelle: str) -> tuple[float, float]:
    feature = next(f for f in source_features(SOURCE_ZONES) if f.get("LIBELLE") == libelle)
    point = feature.geom.geos.point_on_surface
    point.srid = 2154
    point.transform(4326)
    return point.x, point.y


def test_delivered_reglement_is_stored_with_its_pages(delivery_with_reglement):
    version, report = plui_import(path=delivery_with_reglement)
    piece = DocumentPiece.objects.get(version=version)
    assert report.pieces == ["241800432_reglement_20200128.pdf"]
    assert piece.kind == PieceKind.REGLEMENT
    assert piece.page_count == 20
    assert "activités artisanales et logistiques" in piece.pages.get(number=7).text


def test_each_zone_links_to_its_section(delivery_with_reglement):
    version, _ = plui_import(path=delivery_with_reglement)
    links = {
        link.libelle: (link.page_start, link.page_end)
        for link in RegulationLink.objects.filter(version=version)
    }
    assert {label: pages[0] for label, pages in links.items()} == SECTION_STARTS
    assert links["UA"] == (3, 4)
    assert links["A"] == (13, 14)  # not swallowed by "Ah" or "Av"
    assert links["Nm"] == (20, 20)
    assert set(RegulationLink.objects.values_list("method", flat=True)) == {"heading"}


def test_french_full_text_search_finds_the_page(client, delivery_with_reglement):
    plui_import(path=delivery_with_reglement)
    response = client.get(
        "/api/v1/zoning/reglement/search", {"q": "activité artisanale logistique"}
    )
    assert response.status_code == 200
    results = response.json()
    assert results[0]["page"] == 7  # stemming: "activité artisanale" finds "activités artisanales"
    assert results[0]["url"].endswith("#page=7")
    assert "<b>" in results[0]["headline"]
    pdf = client.get(results[0]["url"].split("#")[0].replace("http://testserver", ""))
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"


def test_search_needs_words(client):
    response = client.get("/api/v1/zoning/reglement/search", {"q": "a"})
    assert response.status_code == 400
    assert "q" in response.json()


def test_lookup_returns_zone_prescriptions_and_reglement(
    client, delivery_with_reglement, django_assert_max_num_queries
):
    plui_import(path=delivery_with_reglement)
    lon, lat = lonlat_inside("UE")

    with django_assert_max_num_queries(5):
        response = client.get("/api/v1/zoning/lookup", {"lon": lon, "lat": lat})

    assert response.status_code == 200
    body = response.json()
    assert body["zone"]["libelle"] == "UE"
    assert body["zone"]["typezone"] == "U"
    assert body["document"]["idurba"] == "241800432_PLUI_20200128"
    assert body["reglement"][0]["page_start"] == 7
    assert body["reglement"][0]["url"].endswith("#page=7")
    assert isinstance(body["prescriptions"], list)


def test_lookup_lists_the_prescriptions_that_apply_there(client, delivery_with_reglement):
    version, _ = plui_import(path=delivery_with_reglement)
    prescription = version.prescriptions.filter(kind="surface").first()
    point = prescription.geom.point_on_surface
    point.srid = settings.SRID
    point.transform(4326)
    body = client.get("/api/v1/zoning/lookup", {"lon": point.x, "lat": point.y}).json()
    assert any(
        p["libelle"] == prescription.libelle and p["typepsc"] == prescription.typepsc
        for p in body["prescriptions"]
    )
    assert all(p["type_label"] for p in body["prescriptions"])


def test_lookup_outside_any_document_is_404_with_a_message(client, delivery_with_reglement):
    plui_import(path=delivery_with_reglement)
    response = client.get("/api/v1/zoning/lookup", {"lon": 2.35, "lat": 48.85})
    assert response.status_code == 404
    assert "Aucune zone d’un PLU/PLUi en vigueur" in response.json()["detail"]  # French by default
    english = client.get(
        "/api/v1/zoning/lookup", {"lon": 2.35, "lat": 48.85}, headers={"accept-language": "en"}
    )
    assert "No zone of a PLU/PLUi in force" in english.json()["detail"]


@pytest.mark.parametrize(
    ("params", "field"),
    [({"lon": "abc", "lat": 46.8}, "lon"), ({"lon": 2.9, "lat": 95}, "lat"), ({"lon": 2.9}, "lat")],
)
def test_lookup_rejects_bad_coordinates_naming_the_field(client, params, field):
    response = client.get("/api/v1/zoning/lookup", params)
    assert response.status_code == 400
    assert field in response.json()


def test_the_lookup_follows_the_current_version(client, delivery_with_reglement):
    plui_import(path=delivery_with_reglement)
    feature = next(f for f in source_features(SOURCE_ZONES) if f.fid == 160)  # UB
    point = feature.geom.geos.point_on_surface
    point.srid = 2154
    point.transform(4326)
    where = {"lon": point.x, "lat": point.y}
    assert client.get("/api/v1/zoning/lookup", where).json()["zone"]["libelle"] == "UB"

    # The next version no longer has that zone (the overlap-gap copy lacks FID 160).
    plui_import(
        path=PLUI_DATA / "variants" / "overlap-gap.geojson", idurba="241800432_PLUI_20200128"
    )
    assert client.get("/api/v1/zoning/lookup", where).status_code == 404


def test_a_reglement_uploaded_later_is_read_and_linked(client, delivery_copy):
    shutil.rmtree(delivery_copy / "Pieces_ecrites", ignore_errors=True)
    version, report = plui_import(path=delivery_copy)
    assert report.pieces == []
    assert RegulationLink.objects.count() == 0
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    pdf = (PLUI_DATA / "reglement" / "241800432_reglement_20200128.pdf").read_bytes()

    refused = client.post(
        "/admin/plui_documents/documentpiece/add/",
        {
            "version": version.pk,
            "file": SimpleUploadedFile("reglement.pdf", b"not a pdf", "application/pdf"),
        },
    )
    assert refused.status_code == 200
    assert DocumentPiece.objects.count() == 0

    response = client.post(
        "/admin/plui_documents/documentpiece/add/",
        {
            "version": version.pk,
            "file": SimpleUploadedFile("241800432_reglement_20200128.pdf", pdf, "application/pdf"),
        },
    )
    assert response.status_code == 302
    piece = DocumentPiece.objects.get()
    assert piece.page_count == 20
    assert RegulationLink.objects.get(version=version, libelle="UE").page_start == 7
