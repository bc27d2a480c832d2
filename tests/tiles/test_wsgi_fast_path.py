# SPDX-License-Identifier: AGPL-3.0-or-later
"""The WSGI fast path answers tiles exactly as the Django view does, and nothing else."""

from wsgiref.util import setup_testing_defaults

import pytest

from carto_concertation.wsgi import application
from plui_documents.models import Zone
from plui_documents.services import plui_import

from ..plui_documents.conftest import TROIS_PROVINCES
from .test_vector_tiles import tile_of

pytestmark = pytest.mark.django_db(transaction=True)


def call(path: str, **headers) -> tuple[str, dict, bytes]:
    environ = {"PATH_INFO": path, "REQUEST_METHOD": "GET", "HTTP_HOST": "testserver", **headers}
    setup_testing_defaults(environ)
    captured = {}

    def start_response(status, response_headers, exc_info=None):
        captured["status"], captured["headers"] = status, dict(response_headers)

    body = b"".join(application(environ, start_response))
    return captured["status"], captured["headers"], body


@pytest.fixture
def tile_path(settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    plui_import(path=TROIS_PROVINCES, analyse=False)
    point = Zone.objects.filter(libelle="UE").first().geom_3857.point_on_surface
    x, y = tile_of(point.x, point.y, 14)
    return f"/tiles/zoning/14/{x}/{y}.mvt"


def test_same_answer_as_the_django_view(client, tile_path):
    status, headers, body = call(tile_path, HTTP_ACCEPT_ENCODING="gzip")
    view = client.get(tile_path, headers={"accept-encoding": "gzip"})
    assert status == "200 OK"
    assert body == view.content
    assert headers["ETag"] == view["ETag"]
    assert headers["Content-Encoding"] == "gzip"
    assert headers["Content-Type"] == "application/vnd.mapbox-vector-tile"
    assert call(tile_path, HTTP_IF_NONE_MATCH=headers["ETag"])[0] == "304 Not Modified"


def test_other_requests_go_to_django(tile_path):
    assert call("/tiles/zoning/23/0/0.mvt")[0].startswith("404")
    status, headers, _body = call("/healthz")
    assert status.split()[0] in ("200", "503")
    assert headers["Content-Type"] == "application/json"
