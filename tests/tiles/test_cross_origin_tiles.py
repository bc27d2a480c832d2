# SPDX-License-Identifier: AGPL-3.0-or-later
"""The tiles answer cross-origin reads on both paths that serve them: the ASGI endpoint
(no Django middleware there, so no django-cors-headers) and the Django view."""

import pytest
from django.db import connections

from carto_concertation.asgi import application
from plui_documents.models import Zone
from tests.worlds import small_world
from tiles.asgi import TileEndpoint

from .test_asgi_endpoint import run
from .test_vector_tiles import tile_of

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_tile_answers_any_origin_from_the_asgi_endpoint_and_the_view(
    client, settings, monkeypatch
):
    settings.ALLOWED_HOSTS = ["testserver"]
    monkeypatch.setitem(connections.settings["default"], "CONN_MAX_AGE", 0)
    small_world()
    point = Zone.objects.filter(libelle="UE").first().geom_3857.point_on_surface
    x, y = tile_of(point.x, point.y, 14)
    path = f"/tiles/zoning/14/{x}/{y}.mvt"
    ((status, headers, body),) = run(
        TileEndpoint(application.django_app), (path, "", {"origin": "https://mairie.example"})
    )
    assert status == 200 and body
    assert headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in headers
    view = client.get(path, headers={"Origin": "https://mairie.example"})
    assert view.status_code == 200
    assert view["Access-Control-Allow-Origin"] == "*"
