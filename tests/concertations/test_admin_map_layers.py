# SPDX-License-Identifier: AGPL-3.0-or-later
"""The concertation's admin page chooses the uploaded layers its map shows: published
context layers and raster plans only, one or the other per row."""

import pytest
from django.db import IntegrityError

from layers.models import LayerStatus
from tests.factories import (
    ConcertationFactory,
    ContextLayerFactory,
    RasterLayerFactory,
    SpaceLayerFactory,
    UserFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.french]


def test_the_admin_page_offers_the_published_layers_only(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    concertation = ConcertationFactory()
    ContextLayerFactory(title="Périmètre de la ZAC")
    ContextLayerFactory(title="Couche en cours", status=LayerStatus.PROCESSING)
    RasterLayerFactory(title="Plan de 1985", status=LayerStatus.READY, cog="rasters/cog/p.tif")
    RasterLayerFactory(title="Plan en cours")
    html = client.get(f"/admin/concertations/concertation/{concertation.pk}/change/")
    html = html.content.decode()
    assert "Couches de la carte" in html
    assert "Périmètre de la ZAC" in html and "Plan de 1985" in html
    assert "Couche en cours" not in html and "Plan en cours" not in html


def test_a_row_holds_one_layer_exactly():
    concertation = ConcertationFactory()
    layer = ContextLayerFactory()
    plan = RasterLayerFactory(status=LayerStatus.READY)
    with pytest.raises(IntegrityError):
        SpaceLayerFactory(concertation=concertation, context_layer=layer, raster_layer=plan)


def test_neither_layer_is_refused_too():
    with pytest.raises(IntegrityError):
        SpaceLayerFactory(context_layer=None, raster_layer=None)
