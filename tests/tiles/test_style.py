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
