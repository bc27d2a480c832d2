# SPDX-License-Identifier: AGPL-3.0-or-later
"""The admin map widget draws a commune over the territory's communes, offline."""

from urllib.parse import urlsplit

import pytest

from tests.factories import CommuneFactory, TerritoryFactory, UserFactory

from .sessions import signed_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_commune_map_widget_works_with_no_external_server(live_server, page):
    territory = TerritoryFactory()
    communes = CommuneFactory.create_batch(3, territory=territory)
    admin = UserFactory(email="admin@example.org", is_staff=True, is_superuser=True)
    requested_hosts = set()
    page.on("request", lambda request: requested_hosts.add(urlsplit(request.url).netloc))

    signed_in(page.context, live_server, admin)
    page.goto(f"{live_server.url}/admin/territories/commune/{communes[0].pk}/change/")

    page.wait_for_selector(".dj_map canvas", timeout=15000)
    page.wait_for_function(
        "() => window.geodjango_geom && window.geodjango_geom.map.getLayers().item(0)"
        ".getSource().getFeatures().length === 3",
        timeout=15000,
    )
    edited = page.evaluate("() => window.geodjango_geom.featureCollection.getLength()")
    assert edited == 1
    assert requested_hosts == {urlsplit(live_server.url).netloc}
