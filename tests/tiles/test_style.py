# SPDX-License-Identifier: AGPL-3.0-or-later
"""The MapLibre style of a concertation: valid for MapLibre's own validator, every
source-layer in its TileJSON, nothing asked of another server unless configured."""

import json
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from carto_concertation.concertations.models import Concertation, Phase
from carto_concertation.concertations.services import concertation_create
from tiles.styles import first_view_tiles

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[2]
VALIDATOR = (
    ROOT / "frontend/node_modules/@maplibre/maplibre-gl-style-spec/dist/gl-style-validate.mjs"
)


def strings(value):
    if isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)
    elif isinstance(value, str):
        yield value


def assert_every_source_layer_is_served(client, style: dict) -> None:
    served = {}
    for name, source in style["sources"].items():
        if source["type"] == "vector":
            tilejson = client.get(source["url"].removeprefix("http://testserver")).json()
            served[name] = {layer["id"] for layer in tilejson["vector_layers"]}
    for layer in style["layers"]:
        if "source-layer" in layer:
            assert layer["source-layer"] in served[layer["source"]], layer["id"]


def test_the_style_is_valid_and_every_source_layer_exists(client, concertation, tmp_path):
    response = client.get(f"/tiles/styles/{concertation.slug}.json")
    assert response.status_code == 200
    style = response.json()
    path = tmp_path / "style.json"
    path.write_text(json.dumps(style))
    checked = subprocess.run(["node", str(VALIDATOR), str(path)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr

    assert style["version"] == 8
    assert {"zoning", "communes", "contributions"} <= set(style["sources"])
    assert_every_source_layer_is_served(client, style)
    # Nothing outside this server: every URL in the style is ours.
    urls = [s for s in strings(style) if "://" in s]
    assert urls and all(url.startswith("http://testserver/") for url in urls)
    # The zoning in the colours of French plans, the ideas in their themes' colours.
    zoning = next(layer for layer in style["layers"] if layer["id"] == "zoning-fill")
    assert "N" in zoning["paint"]["fill-color"] and "#4caf50" in zoning["paint"]["fill-color"]
    point = next(layer for layer in style["layers"] if layer["id"] == "contributions-point")
    mobility = concertation.themes.get(name="Mobilité")
    assert mobility.pk in point["paint"]["circle-color"]
    assert mobility.colour in point["paint"]["circle-color"]


def test_a_configured_basemap_joins_the_style(client, concertation, settings):
    settings.BASEMAP_TILES = "https://tiles.example.org/{z}/{x}/{y}.png"
    settings.BASEMAP_ATTRIBUTION = "© contributeurs OpenStreetMap"
    style = client.get(f"/tiles/styles/{concertation.slug}.json").json()
    assert style["sources"]["basemap-custom"]["tiles"] == [settings.BASEMAP_TILES]
    assert [layer["id"] for layer in style["layers"]][:2] == ["background", "basemap-custom"]


def test_no_style_for_a_draft_or_unknown_concertation(client, concertation):
    Concertation.objects.filter(pk=concertation.pk).update(status=Concertation.Status.DRAFT)
    assert client.get(f"/tiles/styles/{concertation.slug}.json").status_code == 404
    assert client.get("/tiles/styles/nothing.json").status_code == 404


def test_without_a_plui_the_style_names_only_the_layers_served(client, concertation):
    now = timezone.now()
    without = concertation_create(
        territory=concertation.territory,
        title="Concertation avant le PLUi",
        phases={Phase.Kind.CONTRIBUTIONS: (now - timedelta(days=1), now + timedelta(days=30))},
        themes=[("Mobilité", "#1f77b4")],
        status=Concertation.Status.OPEN,
    )
    style = client.get(f"/tiles/styles/{without.slug}.json").json()
    assert "zoning" not in style["sources"]
    assert_every_source_layer_is_served(client, style)
    # The ideas themselves and their counts per commune are still drawn.
    drawn = {layer["id"] for layer in style["layers"]}
    assert {"contributions-per-commune", "contributions-point"} <= drawn
    assert "contributions-per-zone" not in drawn


def test_the_map_page_carries_the_style_with_its_tilejsons_written_in(
    client, concertation, tmp_path
):
    """The page's inline style is the style, each of our sources with its TileJSON's
    tiles, zooms and bounds instead of its URL (no round trip before the first tile),
    still valid for MapLibre, the module's source first."""
    served = client.get(f"/tiles/styles/{concertation.slug}.json").json()
    page = client.get(f"/concertations/{concertation.slug}/").content.decode()
    config = json.loads(
        page.split('<script id="map-config" type="application/json">')[1].split("</script>")[0]
    )
    inline = config["style"]

    assert inline["layers"] == served["layers"] and inline["metadata"] == served["metadata"]
    assert set(inline["sources"]) == set(served["sources"])
    assert next(iter(inline["sources"])) == "contributions"
    for name, source in served["sources"].items():
        tilejson = client.get(source["url"].removeprefix("http://testserver")).json()
        written = inline["sources"][name]
        assert "url" not in written, name
        assert written["type"] == source["type"]
        for key in ("tiles", "minzoom", "maxzoom", "bounds"):
            assert written[key] == tilejson[key], (name, key)
    path = tmp_path / "inline.json"
    path.write_text(json.dumps(inline))
    checked = subprocess.run(["node", str(VALIDATOR), str(path)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr


@pytest.mark.parametrize(
    ("centre", "zoom", "tiles"),
    [
        ((0.0, 0.0), 0, ["0/0/0"]),
        # The centre of the world at zoom 1 touches its four tiles.
        ((0.0, 0.0), 1, ["1/0/0", "1/1/0", "1/0/1", "1/1/1"]),
        # A quarter of a tile from the north-west corner of tile 2/1/1: it and its
        # neighbours to the west and the north.
        ((-90 + 90 / 4, 66.51326 - 1), 2, ["2/0/0", "2/1/0", "2/0/1", "2/1/1"]),
    ],
)
def test_the_first_view_is_the_tiles_within_half_a_tile_of_the_centre(centre, zoom, tiles):
    assert first_view_tiles("{z}/{x}/{y}", centre, zoom) == tiles
