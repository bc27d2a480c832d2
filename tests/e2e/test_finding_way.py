# SPDX-License-Identifier: AGPL-3.0-or-later
"""Finding one's way on the map in headless Chromium (issue 17, point 5): a resident
types a commune, then a zone's label, in the map's search box and the map goes there;
the chosen context layer has its toggle; the light embed page draws the map. Basemaps
are off: no request leaves the server; axe-core finds nothing serious."""

import io

import pytest
from PIL import Image

from plui_documents.models import Zone
from tests.factories import ContextFeatureFactory, ContextLayerFactory, SpaceLayerFactory
from tests.worlds import small_world

from .test_map_page import axe_violations, screenshot, watch

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


@pytest.fixture
def space(settings):
    settings.DEBUG = True
    concertation = small_world(title="Concertation du petit monde")
    commune = concertation.territory.communes.order_by("insee")[5]
    commune.name = "Saint-Éloi-les-Bois"
    commune.save(update_fields=["name"])
    layer = ContextLayerFactory(title="Périmètre de la ZAC des Tilleuls")
    ContextFeatureFactory(layer=layer, geom=concertation.perimeter.point_on_surface.buffer(400))
    SpaceLayerFactory(concertation=concertation, context_layer=layer)
    return concertation, commune


def view(page) -> tuple[float, float, float]:
    data = page.eval_on_selector("#map", "m => [m.dataset.center, m.dataset.zoom]")
    lon, lat = (float(v) for v in data[0].split(","))
    return lon, lat, float(data[1])


def search(page, words: str, label: str) -> None:
    page.get_by_label("Chercher sur la carte").fill(words)
    page.get_by_label("Chercher sur la carte").press("Enter")
    page.get_by_text(f"La carte montre {label}.").wait_for(state="attached", timeout=20_000)


def test_a_commune_and_a_zone_found_in_the_box_move_the_map(live_server, browser, space):
    concertation, commune = space
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    seen = watch(page, live_server)
    page.goto(f"{live_server.url}/concertations/{concertation.slug}/")
    page.wait_for_selector("body[data-map-ready]", timeout=30_000)
    before = view(page)

    search(page, "saint eloi", "Saint-Éloi-les-Bois")
    lon, lat, zoom = view(page)
    west, south, east, north = commune.geom.transform(4326, clone=True).extent
    assert west < lon < east and south < lat < north
    assert zoom > before[2]
    assert page.get_by_role("button", name="Saint-Éloi-les-Bois — INSEE").count() == 1
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "finding-way-commune")

    search(page, "UB", "UB")
    zone_view = view(page)
    assert zone_view != (lon, lat, zoom)
    zones = Zone.objects.filter(version__document=concertation.plui_document, libelle="UB")
    boxes = [zone.geom.transform(4326, clone=True).extent for zone in zones]
    assert len(boxes) > 1
    # Centred on all the UB strips together: inside the box of their union.
    assert min(b[0] for b in boxes) < zone_view[0] < max(b[2] for b in boxes)
    assert min(b[1] for b in boxes) < zone_view[1] < max(b[3] for b in boxes)

    # The chosen context layer, with its toggle in the map's legend.
    toggle = page.get_by_label("Périmètre de la ZAC des Tilleuls")
    assert toggle.is_checked()
    toggle.uncheck()
    assert not toggle.is_checked()

    page.wait_for_load_state("networkidle")
    screenshot(page, "finding-way")
    assert axe_violations(page) == []
    assert seen["outside"] == []
    assert seen["errors"] == [] and seen["failed"] == []

    # The same search without JavaScript: the form's own page.
    nojs = browser.new_context(locale="fr-FR", java_script_enabled=False)
    plain = nojs.new_page()
    plain.goto(f"{live_server.url}/concertations/{concertation.slug}/")
    plain.get_by_label("Chercher sur la carte").fill("saint eloi")
    plain.get_by_role("button", name="Chercher", exact=True).click()
    plain.wait_for_url("**/recherche/?q=saint+eloi")
    assert plain.get_by_text("Saint-Éloi-les-Bois").count() == 1
    nojs.close()
    page.goto(f"{live_server.url}/concertations/{concertation.slug}/recherche/?q=UB")
    assert axe_violations(page) == []
    assert seen["outside"] == []
    context.close()


def test_the_embed_page_draws_the_map_alone(live_server, browser, space):
    concertation, _commune = space
    context = browser.new_context(locale="fr-FR", viewport={"width": 600, "height": 450})
    page = context.new_page()
    seen = watch(page, live_server)
    response = page.goto(f"{live_server.url}/concertations/{concertation.slug}/carte/")
    assert "x-frame-options" not in response.headers
    page.wait_for_selector("body[data-map-ready]", timeout=30_000)
    page.get_by_text("Légende").click()
    assert page.get_by_label("Périmètre de la ZAC des Tilleuls").is_checked()
    link = page.get_by_role("link", name="Ouvrir la carte complète pour participer")
    assert link.get_attribute("href") == f"{live_server.url}/concertations/{concertation.slug}/"
    page.wait_for_load_state("networkidle")
    screenshot(page, "embed-page")
    assert axe_violations(page) == []
    assert seen["outside"] == [] and seen["errors"] == [] and seen["failed"] == []
    context.close()


def png() -> bytes:
    """A transparent tile: the other servers are not reached from the tests' network."""
    output = io.BytesIO()
    Image.new("RGBA", (256, 256), (0, 0, 0, 0)).save(output, format="PNG")
    return output.getvalue()


PNG = png()
ADDRESS = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [2.95, 46.82]},
            "properties": {"label": "3 Rue de la Mairie 18600 Commune", "type": "housenumber"},
        }
    ],
}


def test_turned_on_basemaps_switch_and_addresses_are_asked_of_the_geoplateforme(
    live_server, browser, space, settings
):
    settings.BASEMAPS = ["plan-ign", "cadastre", "osm"]
    settings.ADDRESS_SEARCH = True
    concertation, _commune = space
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    outside = []

    def answer(route):
        outside.append(route.request.url)
        if "/geocodage/" in route.request.url:
            route.fulfill(json=ADDRESS, headers={"Access-Control-Allow-Origin": "*"})
        else:
            route.fulfill(
                body=PNG, content_type="image/png", headers={"Access-Control-Allow-Origin": "*"}
            )

    context.route("https://**/*", answer)
    page = context.new_page()
    seen = watch(page, live_server)
    page.goto(f"{live_server.url}/concertations/{concertation.slug}/")
    page.wait_for_selector("body[data-map-ready]", timeout=30_000)
    page.wait_for_load_state("networkidle")
    assert page.get_by_label("Plan IGN").is_checked()
    assert outside and all("data.geopf.fr/wmts" in url for url in outside)
    assert any("GEOGRAPHICALGRIDSYSTEMS.PLANIGNV2" in url for url in outside)

    page.get_by_label("OpenStreetMap").check()
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(500)
    assert any(url.startswith("https://tile.openstreetmap.org/") for url in outside)
    assert page.get_by_label("Parcelles cadastrales (IGN)").is_checked() is False

    page.get_by_label("Chercher sur la carte").fill("3 rue de la mairie")
    page.get_by_label("Chercher sur la carte").press("Enter")
    page.get_by_text("La carte montre 3 Rue de la Mairie 18600 Commune.").wait_for(
        state="attached", timeout=20_000
    )
    geocoded = [url for url in outside if "/geocodage/" in url]
    assert geocoded and geocoded[0].startswith("https://data.geopf.fr/geocodage/search?q=3+rue")
    assert page.get_by_text("adresse (Géoplateforme)").count() >= 1
    lon, lat, _zoom = view(page)
    assert abs(lon - 2.95) < 0.001 and abs(lat - 46.82) < 0.001
    assert axe_violations(page) == []
    assert seen["errors"] == [] and seen["failed"] == []
    # Only the hosts turned on were asked.
    assert {url.split("/")[2] for url in outside} == {"data.geopf.fr", "tile.openstreetmap.org"}
    context.close()
