# SPDX-License-Identifier: AGPL-3.0-or-later
"""Basemaps (IGN's Géoplateforme, OpenStreetMap) are off unless the administrator turns
them on, and then the style, the Content-Security-Policy and the privacy notice say
exactly which; the context layers and raster plans chosen for a concertation reach its
style and legend (issue 17, points 5 and 6)."""

import json
import subprocess

import pytest
from django.core.exceptions import ImproperlyConfigured

from carto_concertation.concertations.selectors import concertation_map_layers
from layers.models import LayerStatus
from tests.factories import (
    ContextFeatureFactory,
    ContextLayerFactory,
    RasterLayerFactory,
    SpaceLayerFactory,
)
from tests.worlds import small_world

from .test_style import VALIDATOR, assert_every_source_layer_is_served, strings

pytestmark = pytest.mark.django_db

OUTSIDE = ("data.geopf.fr", "openstreetmap.org", "api-adresse")


@pytest.fixture
def space(db):
    return small_world(title="Concertation du petit monde")


def style_of(client, space) -> dict:
    return client.get(f"/tiles/styles/{space.slug}.json").json()


def csp(response) -> dict[str, list[str]]:
    directives = (d.strip().split() for d in response["Content-Security-Policy"].split(";"))
    return {d[0]: d[1:] for d in directives if d}


def valid(style, tmp_path) -> None:
    path = tmp_path / "style.json"
    path.write_text(json.dumps(style))
    checked = subprocess.run(["node", str(VALIDATOR), str(path)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_off_by_default_nothing_names_another_server(client, space, settings):
    assert settings.BASEMAPS == [] and not settings.ADDRESS_SEARCH and not settings.BASEMAP_TILES
    style = style_of(client, space)
    urls = [s for s in strings(style) if "://" in s]
    assert urls and all(url.startswith("http://testserver/") for url in urls)
    assert style["metadata"]["carto:basemaps"] == []
    for path in (
        f"/concertations/{space.slug}/",
        f"/concertations/{space.slug}/carte/",
        "/accounts/privacy/",
    ):
        page = client.get(path)
        policy = csp(page)
        assert policy["img-src"] == ["'self'", "data:"], path
        assert policy["connect-src"] == ["'self'"], path
        html = page.content.decode()
        assert not any(host in html for host in OUTSIDE), path
        assert page["Referrer-Policy"] == "same-origin"
    privacy = client.get("/accounts/privacy/").content.decode()
    assert "votre navigateur ne s’adresse à aucun autre serveur" in privacy


def test_the_presets_join_the_style_the_policy_and_the_notice(client, space, settings, tmp_path):
    settings.BASEMAPS = ["plan-ign", "orthophotos", "cadastre", "osm"]
    settings.ADDRESS_SEARCH = True
    style = style_of(client, space)
    valid(style, tmp_path)
    sources = style["sources"]
    assert sources["basemap-plan-ign"]["tiles"] == [
        "https://data.geopf.fr/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0"
        "&LAYER=GEOGRAPHICALGRIDSYSTEMS.PLANIGNV2&STYLE=normal&FORMAT=image/png"
        "&TILEMATRIXSET=PM&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}"
    ]
    assert "ORTHOIMAGERY.ORTHOPHOTOS" in sources["basemap-orthophotos"]["tiles"][0]
    assert "CADASTRALPARCELS.PARCELLAIRE_EXPRESS" in sources["basemap-cadastre"]["tiles"][0]
    assert sources["basemap-osm"]["tiles"] == ["https://tile.openstreetmap.org/{z}/{x}/{y}.png"]
    assert "© IGN" in sources["basemap-plan-ign"]["attribution"]
    assert "Licence Ouverte" in sources["basemap-orthophotos"]["attribution"]
    assert "© OpenStreetMap" in sources["basemap-osm"]["attribution"]
    assert all(sources[f"basemap-{n}"]["tileSize"] == 256 for n in settings.BASEMAPS)
    # Under everything of ours, right after the background, the overlay over the bases;
    # only the first base shown.
    ids = [layer["id"] for layer in style["layers"]]
    assert ids[1:5] == [f"basemap-{n}" for n in ("plan-ign", "orthophotos", "osm", "cadastre")]
    shown = {
        layer["id"]
        for layer in style["layers"]
        if layer["id"].startswith("basemap-") and layer["layout"]["visibility"] == "visible"
    }
    assert shown == {"basemap-plan-ign"}
    listed = {entry["id"]: entry["overlay"] for entry in style["metadata"]["carto:basemaps"]}
    assert listed == {
        "basemap-plan-ign": False,
        "basemap-orthophotos": False,
        "basemap-cadastre": True,
        "basemap-osm": False,
    }
    page = client.get(f"/concertations/{space.slug}/")
    policy = csp(page)
    assert policy["img-src"] == [
        "'self'",
        "data:",
        "https://data.geopf.fr",
        "https://tile.openstreetmap.org",
    ]
    assert policy["connect-src"] == [
        "'self'",
        "https://data.geopf.fr",
        "https://tile.openstreetmap.org",
    ]
    assert policy["script-src"] == ["'self'"] and policy["frame-ancestors"] == ["'none'"]
    assert page["Referrer-Policy"] == "strict-origin-when-cross-origin"
    config = page.content.decode()
    assert "https://data.geopf.fr/geocodage/search" in config
    assert "api-adresse.data.gouv.fr" not in config
    privacy = client.get("/accounts/privacy/").content.decode()
    assert "IGN" in privacy and "OpenStreetMap Foundation" in privacy
    assert "https://data.geopf.fr" in privacy and "adresse IP" in privacy


def test_an_overlay_named_first_is_still_drawn_over_the_bases(client, space, settings):
    settings.BASEMAPS = ["cadastre", "orthophotos"]
    ids = [layer["id"] for layer in style_of(client, space)["layers"]]
    assert ids[1:3] == ["basemap-orthophotos", "basemap-cadastre"]


def test_only_the_address_search_allows_only_the_geocoders_connections(client, space, settings):
    settings.ADDRESS_SEARCH = True
    policy = csp(client.get(f"/concertations/{space.slug}/"))
    assert policy["img-src"] == ["'self'", "data:"]
    assert policy["connect-src"] == ["'self'", "https://data.geopf.fr"]
    assert style_of(client, space)["metadata"]["carto:basemaps"] == []


def test_an_unknown_preset_is_refused_by_name(client, space, settings):
    settings.BASEMAPS = ["google"]
    with pytest.raises(ImproperlyConfigured, match="google"):
        style_of(client, space)


def test_a_custom_basemap_still_joins_the_style_and_the_policy(client, space, settings):
    settings.BASEMAP_TILES = "https://tuiles.example.org/{z}/{x}/{y}.png"
    settings.BASEMAP_ATTRIBUTION = "© Syndicat mixte"
    style = style_of(client, space)
    assert style["sources"]["basemap-custom"]["tiles"] == [settings.BASEMAP_TILES]
    assert style["sources"]["basemap-custom"]["attribution"] == "© Syndicat mixte"
    assert "https://tuiles.example.org" in csp(client.get("/"))["img-src"]


def test_the_chosen_layers_reach_the_style_and_legend_in_their_order(client, space, tmp_path):
    zac = ContextLayerFactory(title="Périmètre de la ZAC")
    ContextFeatureFactory(layer=zac, geom=space.perimeter.point_on_surface.buffer(300))
    plan = RasterLayerFactory(
        title="Plan de 1985", status=LayerStatus.READY, cog="rasters/cog/p.tif"
    )
    processing = ContextLayerFactory(status=LayerStatus.PROCESSING)
    SpaceLayerFactory(concertation=space, context_layer=None, raster_layer=plan, position=1)
    SpaceLayerFactory(concertation=space, context_layer=zac, position=0)
    SpaceLayerFactory(concertation=space, context_layer=processing, position=2)

    chosen = concertation_map_layers(space.pk)
    assert [layer.title for layer in chosen] == ["Périmètre de la ZAC", "Plan de 1985"]
    style = style_of(client, space)
    valid(style, tmp_path)
    assert_every_source_layer_is_served(client, style)
    zac_name, plan_name = f"context-{zac.name}", f"raster-{plan.name}"
    assert style["sources"][zac_name]["url"] == f"http://testserver/tiles/{zac_name}.json"
    assert style["sources"][plan_name] == {
        "type": "raster",
        "url": f"http://testserver/tiles/raster/{plan_name}.json",
        "tileSize": 256,
    }
    ids = [layer["id"] for layer in style["layers"]]
    # Above the zoning, under the communes and the ideas; in the chosen order.
    assert ids.index("zoning-outline") < ids.index(f"{zac_name}-fill") < ids.index(plan_name)
    assert ids.index(plan_name) < ids.index("communes-outline")
    legend = style["metadata"]["carto:layers"]
    assert [(entry["id"], entry["title"], entry["kind"]) for entry in legend] == [
        (zac_name, "Périmètre de la ZAC", "context"),
        (plan_name, "Plan de 1985", "raster"),
    ]
    assert legend[0]["layers"] == [f"{zac_name}-fill", f"{zac_name}-outline"]
    assert legend[1]["layers"] == [plan_name]
    # The layer's own features are drawn by its tiles.
    assert client.get(f"/tiles/{zac_name}.json").json()["vector_layers"][0]["id"] == zac_name
