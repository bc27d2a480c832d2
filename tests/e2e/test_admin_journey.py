# SPDX-License-Identifier: AGPL-3.0-or-later
"""An administrator's journey through the pages alone, in French: signs in to the admin
(the site's sign-in page, with the code of their authenticator app),
adds the territory from the file of its communes, adds a concertation on it (whose
perimeter map opens on the territory), opens it, and finds it on the home page. axe-core
finds no serious or critical violation on the public pages; no request leaves the server."""

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP

from carto_concertation.concertations.models import Concertation
from carto_concertation.territories.models import Territory
from carto_concertation.territories.selectors import territory_extents
from tests.accounts.authenticator_app import code_of
from tests.factories import UserFactory
from tests.factories.accounts import PASSWORD

from .test_map_page import axe_violations, screenshot, watch

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # their authenticator app's
SIREN = "241800432"
NAME = "Communauté de communes Les Trois Provinces"
TITLE = "Révision du PLUi des Trois Provinces"
# The perimeter map's view, in WGS84 [west, south, east, north].
VIEW_EXTENT = """() => {
  const view = window.geodjango_perimeter.map.getView();
  return ol.proj.transformExtent(view.calculateExtent(), view.getProjection(), "EPSG:4326");
}"""


def test_an_administrator_makes_a_territory_and_a_concertation_from_pages(
    live_server, page, data_dir, settings
):
    # The admin's maps open far from the territory (Lyon), unless they follow it.
    settings.MAP_DEFAULT_CENTER = [4.83, 45.76]
    admin = UserFactory(email="admin@example.org", is_staff=True, is_superuser=True)
    EmailAddress.objects.create(user=admin, email=admin.email, primary=True, verified=True)
    TOTP.activate(admin, SECRET)
    seen = watch(page, live_server)

    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_login", "admin@example.org")
    page.fill("#id_password", PASSWORD)
    page.press("#id_password", "Enter")
    page.fill("#id_code", code_of(SECRET))
    page.press("#id_code", "Enter")
    page.wait_for_selector("#site-name")

    # The territory, from the file of its communes.
    page.goto(f"{live_server.url}/admin/territories/territory/add/")
    assert page.inner_text("h1") == "Ajout : territoire (EPCI)"
    page.fill("#id_siren", SIREN)
    page.fill("#id_name", NAME)
    page.set_input_files(
        "#id_communes_file", str(data_dir / "territories" / "communes-trois-provinces-l93.gpkg")
    )
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist")
    assert "11 communes chargées." in page.inner_text(".messagelist")
    territory = Territory.objects.get(siren=SIREN)
    assert territory.communes.count() == 11

    # The concertation, on it: its perimeter's map opens on the territory.
    page.goto(f"{live_server.url}/admin/concertations/concertation/add/")
    assert page.inner_text("h1") == "Ajout : concertation"
    assert page.input_value("#id_territory") == str(territory.pk)
    page.wait_for_function("() => window.geodjango_perimeter && window.ol", timeout=15_000)
    west, south, east, north = territory_extents()[str(territory.pk)]
    # The view fits once the map has its size (at once, or when the page has laid out).
    page.wait_for_function(
        f"([w, s, e, n]) => {{ const v = ({VIEW_EXTENT})();"
        " return v[0] <= w && v[1] <= s && v[2] >= e && v[3] >= n; }",
        arg=[west, south, east, north],
        timeout=10_000,
    )
    view = page.evaluate(VIEW_EXTENT)
    assert view[0] <= west and view[1] <= south and view[2] >= east and view[3] >= north, view
    # Opened on it, not on France: the view is not much wider than the territory.
    assert (view[2] - view[0]) < 4 * (east - west), view
    screenshot(page, "admin-concertation-add")
    page.fill("#id_title", TITLE)
    if not page.input_value("#id_slug"):
        page.fill("#id_slug", "revision-plui-trois-provinces")
    page.select_option("#id_status", "open")
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist")
    concertation = Concertation.objects.get(title=TITLE)
    assert concertation.territory == territory
    # Left empty, its perimeter is the territory's communes.
    assert concertation.perimeter.covers(
        territory.communes.get(insee="18242").geom.point_on_surface
    )

    # The public pages show it.
    page.goto(f"{live_server.url}/")
    page.wait_for_selector(f"text={TITLE}")
    assert axe_violations(page) == []
    page.click(f"a:has-text('{TITLE}')")
    page.wait_for_selector("#concertation-title")
    assert page.inner_text("#concertation-title") == TITLE
    # Named from the start, not once MapLibre has asked whether the browser can locate.
    page.wait_for_selector(".maplibregl-ctrl-geolocate")
    assert page.get_attribute(".maplibregl-ctrl-geolocate", "aria-label") == "Trouver ma position"
    assert axe_violations(page) == []
    assert seen["outside"] == []
    assert seen["errors"] == [], (seen["errors"], seen["failed"])
