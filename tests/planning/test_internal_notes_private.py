# SPDX-License-Identifier: AGPL-3.0-or-later
"""What the planners keep to themselves (internal notes, the service an idea is given
to) shows on no public surface: the page, the API, the tiles, every export, the bilan,
the moderation log, the personal data of the idea's author."""

import io
import zipfile

import pytest
from django.utils import translation

from carto_concertation.accounts.export import user_data_zip
from carto_concertation.contributions.exports.selectors import export_layer_sql
from carto_concertation.contributions.exports.spreadsheets import spreadsheet_chunks
from carto_concertation.contributions.exports.streams import csv_chunks, geojson_chunks
from carto_concertation.contributions.moderation import contribution_answer
from carto_concertation.contributions.planning.bilan import bilan_html
from carto_concertation.contributions.planning.idea_services import (
    internal_note_add,
    service_assign,
)
from carto_concertation.contributions.tiles import contribution_layers
from carto_concertation.core.modules import space_public
from tests.factories import UserFactory
from tests.tiles.test_vector_tiles import tile_of
from tiles.mvt import tile_bytes

from .conftest import SECRET_NOTE, SECRET_SERVICE, page_url

pytestmark = pytest.mark.django_db
SECRETS = ("Note-Interne-Secrète", "cousin du maire", SECRET_SERVICE)


def assert_no_secret(content: str | bytes) -> None:
    if isinstance(content, bytes):
        content = content.decode("utf-8", errors="replace")
    for secret in SECRETS:
        assert secret not in content


@pytest.fixture
def noted(open_concertation, idea, planner, eager_tasks):
    internal_note_add(contribution=idea, user=planner, text=SECRET_NOTE)
    service_assign(contribution=idea, user=planner, service=SECRET_SERVICE)
    contribution_answer(
        contribution=idea,
        actor=planner,
        status="retained",
        answer="Un passage sera peint.",
        answer_service="Voirie",
    )
    return idea


def test_the_planners_page_shows_them(client, open_concertation, noted, planner):
    client.force_login(planner)
    html = client.get(page_url(open_concertation, noted)).content.decode()
    assert "Note-Interne-Secrète" in html and SECRET_SERVICE in html  # the test can fail


@pytest.fixture(params=["anonymous", "resident", "author"])
def reader(request, client, noted):
    if request.param == "resident":
        client.force_login(UserFactory())
    elif request.param == "author":
        client.force_login(noted.author)
    return client


def test_no_public_page_nor_api_shows_them(reader, open_concertation, noted):
    slug = open_concertation.slug
    for url in (
        f"/concertations/{slug}/",
        f"/concertations/{slug}/?search=passage",
        f"/api/v1/concertations/{slug}/contributions/",
        f"/api/v1/concertations/{slug}/contributions/{noted.pk}/",
        f"/api/v1/concertations/{slug}/contributions/{noted.pk}/comments/",
        f"/api/v1/concertations/{slug}/moderation/log",
    ):
        response = reader.get(url)
        assert response.status_code == 200, url
        assert_no_secret(response.content)
    for fmt in ("geojson", "csv", "xlsx", "ods"):
        response = reader.get(f"/api/v1/concertations/{slug}/export", {"format": fmt})
        assert response.status_code == 200
        content = b"".join(response.streaming_content)
        if fmt in ("xlsx", "ods"):
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                content = b"".join(archive.read(name) for name in archive.namelist())
        assert_no_secret(content)
    assert reader.get(page_url(open_concertation, noted)).status_code in (302, 403)


def test_tiles_exports_bilan_and_personal_data_leave_them_out(open_concertation, noted):
    point = noted.geom.point_on_surface.transform(3857, clone=True)
    for z in (8, 12, 16):
        assert_no_secret(
            tile_bytes(
                contribution_layers(space_public(open_concertation.slug)),
                z,
                *tile_of(point.x, point.y, z),
            )
        )
    assert_no_secret(b"".join(geojson_chunks(concertation=open_concertation)))
    assert_no_secret(b"".join(csv_chunks(concertation=open_concertation)))
    for fmt in ("xlsx", "ods"):
        with zipfile.ZipFile(
            spreadsheet_chunks(concertation=open_concertation, fmt=fmt).filelike
        ) as z:
            assert_no_secret(b"".join(z.read(name) for name in z.namelist()))
    # The GeoPackage is written by ogr2ogr from this SELECT: nothing internal is read.
    sql = export_layer_sql(concertation_id=open_concertation.pk, srid=2154)
    assert "internalnote" not in sql and "assigned_service" not in sql
    with translation.override("fr"):
        html, _maps, listed = bilan_html(concertation=open_concertation, progress=lambda *_: None)
    assert listed == 1 and "Un passage sera peint." in html
    assert_no_secret(html)
    with zipfile.ZipFile(io.BytesIO(user_data_zip(user=noted.author))) as archive:
        for name in archive.namelist():
            assert_no_secret(archive.read(name))
