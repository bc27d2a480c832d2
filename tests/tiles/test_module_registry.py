# SPDX-License-Identifier: AGPL-3.0-or-later
"""The map of a space reads the registry of modules (core.modules): a module registered
with a TilesetDeclaration has its tileset served, its source and layers in the space's
style and its tileset in the offline package; gone with the module, gone from the map."""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from carto_concertation.concertations.models import Concertation, Phase
from carto_concertation.concertations.services import concertation_create
from carto_concertation.core import modules
from carto_concertation.core.modules import (
    MapSpace,
    ModuleManifest,
    StylePart,
    TilesetDeclaration,
    module_register,
    module_unregister,
    space_get,
    space_public,
)
from layers.registry import LayerDefinition
from layers.selectors import tileset_layers
from tiles.services import offline_tilesets

from ..factories import CommuneFactory, UserFactory
from .test_style import assert_every_source_layer_is_served

pytestmark = pytest.mark.django_db
PREFIX = "trees-"


def trees_layers(tileset: str) -> list[LayerDefinition]:
    """Remarkable trees, one per commune of the space's territory (a point on it)."""
    space = space_public(tileset.removeprefix(PREFIX))
    if space is None:
        return []
    return [
        LayerDefinition(
            name="trees",
            title="Arbres remarquables",
            kind="vector",
            geometry_type="Point",
            fields=("name",),
            minzoom=0,
            maxzoom=16,
            attribution="Inventaire des arbres",
            tileset=tileset,
            source=f"""
                SELECT c.id, c.name, ST_PointOnSurface(c.geom_3857) AS geom_3857
                  FROM territories_commune c
                 WHERE c.territory_id = {int(space.territory_id)}""",  # noqa: S608 (an int)
        )
    ]


def trees_style(space: MapSpace, tilejson_url: str) -> StylePart:
    return StylePart(
        sources={"trees": {"type": "vector", "url": tilejson_url}},
        layers=[
            {
                "id": "trees-point",
                "type": "circle",
                "source": "trees",
                "source-layer": "trees",
                "paint": {"circle-color": "#2e7d32"},
            }
        ],
        metadata={"trees:count-of-themes": len(space.themes)},
    )


@pytest.fixture
def trees_module():
    manifest = ModuleManifest(
        name="trees",
        label="Arbres",
        app_label="trees",
        # The spaces created in the test hold it (a space draws the modules it holds).
        in_new_spaces=True,
        tilesets=(
            TilesetDeclaration(prefix=PREFIX, layers=trees_layers, style=trees_style, offline=True),
        ),
    )
    module_register(manifest)
    yield manifest
    module_unregister("trees")


@pytest.fixture
def space() -> Concertation:
    commune = CommuneFactory()
    now = timezone.now()
    return concertation_create(
        territory=commune.territory,
        title=f"Un espace {uuid.uuid4().hex[:8]}",
        phases={Phase.Kind.CONTRIBUTIONS: (now - timedelta(days=1), now + timedelta(days=30))},
        themes=[("Mobilité", "#1f77b4"), ("Habitat", "#ff7f0e")],
        status=Concertation.Status.OPEN,
    )


def test_a_module_s_tileset_joins_the_style_and_the_offline_package(client, trees_module, space):
    slug = space.slug
    style = client.get(f"/tiles/styles/{slug}.json").json()
    assert style["sources"]["trees"] == {
        "type": "vector",
        "url": f"http://testserver/tiles/{PREFIX}{slug}.json",
    }
    ids = [layer["id"] for layer in style["layers"]]
    # Above the backbone's layers and the ideas', in registration order.
    assert (
        ids.index("communes-outline") < ids.index("contributions-point") < ids.index("trees-point")
    )
    assert style["metadata"]["trees:count-of-themes"] == 2
    assert style["metadata"]["carto:concertation"] == slug
    assert_every_source_layer_is_served(client, style)
    assert [layer.name for layer in tileset_layers(f"{PREFIX}{slug}")] == ["trees"]

    assert offline_tilesets(space_get(space.pk)) == [
        "zoning",
        "communes",
        f"contributions-{slug}",
        f"{PREFIX}{slug}",
    ]

    module_unregister("trees")
    style = client.get(f"/tiles/styles/{slug}.json").json()
    assert "trees" not in style["sources"]
    assert "trees-point" not in [layer["id"] for layer in style["layers"]]
    assert tileset_layers(f"{PREFIX}{slug}") == []
    assert client.get(f"/tiles/{PREFIX}{slug}.json").status_code == 404
    assert f"{PREFIX}{slug}" not in offline_tilesets(space_get(space.pk))


def test_the_space_is_found_through_its_declared_lookup(space):
    found = space_public(space.slug)
    assert found == space_get(space.pk)
    assert (found.pk, found.slug, found.title) == (space.pk, space.slug, space.title)
    assert found.territory_id == space.territory_id and not found.zoning
    assert found.themes == tuple((theme.pk, theme.colour) for theme in space.themes.all())
    assert {colour for _pk, colour in found.themes} == {"#1f77b4", "#ff7f0e"}
    Concertation.objects.filter(pk=space.pk).update(status=Concertation.Status.DRAFT)
    assert space_public(space.slug) is None  # residents do not see a draft
    assert space_get(space.pk).slug == space.slug  # a job started earlier still finds it
    assert space_get(0) is None and space_public("nothing") is None


def test_without_a_space_app_there_is_no_space_to_draw(client, space, monkeypatch):
    """The backbone runs without the app that owns spaces: no style, no offline package."""
    monkeypatch.setattr(modules, "_spaces", {})
    assert space_public(space.slug) is None and space_get(space.pk) is None
    assert client.get(f"/tiles/styles/{space.slug}.json").status_code == 404
    client.force_login(UserFactory(is_superuser=True))
    assert client.post(f"/api/v1/concertations/{space.slug}/offline-package").status_code == 404
