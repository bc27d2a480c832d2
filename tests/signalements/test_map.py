# SPDX-License-Identifier: AGPL-3.0-or-later
"""The signalements on a space's map: the tileset ``signalements-<slug>`` holds the
territory's public reports in the space's perimeter with their public fields only, and
takes the vocabulary's filters; the style colours them by state with a legend; the
figures count them per commune and PLU zone; the search box finds them by words."""

import gzip

import mapbox_vector_tile
import pytest
from django.contrib.gis.geos import Point
from django.db import connections, transaction
from django.utils import translation

from carto_concertation.asgi import application
from carto_concertation.core.modules import SITE_WIDE, space_public
from carto_concertation.signalements.changes import report_changing
from carto_concertation.signalements.figures import reports_per_commune, reports_per_zone
from carto_concertation.signalements.map_style import LEGEND_KEY, STATE_COLOURS
from carto_concertation.signalements.models import Report
from carto_concertation.signalements.search import reports_search
from carto_concertation.territories.services import territory_modules_switch
from tests.factories import (
    CategoryFactory,
    ConcertationFactory,
    ReportFollowerFactory,
    SignalementFactory,
    SpaceModuleFactory,
    TerritoryFactory,
    UserFactory,
    zoned_plui,
)
from tests.tiles.site_wide import assert_a_space_saved_leaves_the_site_wide_tiles
from tests.tiles.test_asgi_endpoint import run
from tests.tiles.test_style import assert_every_source_layer_is_served
from tests.tiles.test_vector_tiles import tile_of
from tiles.asgi import TileEndpoint

pytestmark = pytest.mark.django_db
State = Report.State


@pytest.fixture
def world():
    """A space over the first of two communes (its perimeter), with a PLUi, holding the
    signalements; reports in every kind of visibility, one in the other commune."""
    territory = TerritoryFactory(communes=2)
    first, second = territory.communes.order_by("insee")
    space = ConcertationFactory(
        territory=territory, plui_document=zoned_plui(territory), perimeter=first.geom
    )
    SpaceModuleFactory(concertation=space, module="signalements")
    lights = CategoryFactory(territory=territory, code="eclairage", name="Éclairage public")
    lamp = CategoryFactory(territory=territory, parent=lights, code="lampadaire", name="Lampadaire")
    roads = CategoryFactory(territory=territory, code="voirie", name="Voirie")
    reporter = UserFactory(email="reporter@example.org", pseudonym="Reporter secret")

    def report(category, **kwargs):
        return SignalementFactory(category=category, author=reporter, **kwargs)

    reports = {
        "open": report(lamp, description="Lampadaire éteint rue du Canal"),
        "acknowledged": report(roads, state=State.ACKNOWLEDGED, description="Nid-de-poule"),
        "fixed": report(roads, state=State.FIXED, description="Trou rebouché"),
        "private": report(lamp, is_public=False, description="Lampadaire privé"),
        "hidden": report(lamp, is_hidden=True, description="Lampadaire caché"),
        "unconfirmed": report(
            lamp, state=State.UNCONFIRMED, confirmed_at=None, description="Lampadaire à confirmer"
        ),
        "elsewhere": report(roads, commune=second, description="Nid-de-poule ailleurs"),
    }
    reports["duplicate"] = report(
        lamp, state=State.DUPLICATE, duplicate_of=reports["open"], description="Lampadaire bis"
    )
    ReportFollowerFactory(report=reports["open"])
    ReportFollowerFactory(report=reports["open"], user=None, email="voisin@example.org")
    return {
        "space": space,
        "reports": reports,
        "categories": {"lights": lights, "lamp": lamp, "roads": roads},
    }


def tile_features(client, space, reports, query="", z=14) -> dict[int, dict]:
    """The features of the tiles under these reports, by id."""
    features = {}
    tiles = set()
    for report in reports:
        point = report.geom.transform(3857, clone=True)
        tiles.add(tile_of(point.x, point.y, z))
    for x, y in tiles:
        response = client.get(
            f"/tiles/signalements-{space.slug}/{z}/{x}/{y}.mvt{query}",
            headers={"accept-encoding": "gzip"},
        )
        if response.status_code == 204:
            continue
        assert response.status_code == 200, response.content
        decoded = mapbox_vector_tile.decode(gzip.decompress(response.content))
        assert set(decoded) == {"signalements"}
        features |= {f["id"]: f["properties"] for f in decoded["signalements"]["features"]}
    return features


def test_the_tiles_hold_only_the_public_reports_of_the_perimeter_with_public_fields(client, world):
    reports = world["reports"]
    features = tile_features(client, world["space"], reports.values())
    assert set(features) == {reports[k].pk for k in ("open", "acknowledged", "fixed")}
    opened = features[reports["open"].pk]
    assert opened == {
        "category": "lampadaire",
        "category_name": "Lampadaire",
        "state": "open",
        "created": reports["open"].created_at.astimezone().strftime("%Y-%m-%d"),
        "followers": 2,
    }
    everything = repr(features)
    assert "Reporter" not in everything and "@" not in everything  # never the reporter


@pytest.mark.django_db(transaction=True)
def test_a_write_on_a_report_announced_makes_its_tiles_fresh(client, world):
    """Tiles are cached: a queryset's update leaves the old tile, one made inside
    ``report_changing`` makes the tiles under the report fresh once committed."""
    opened, space = world["reports"]["open"], world["space"]
    assert opened.pk in tile_features(client, space, [opened])
    Report.objects.filter(pk=opened.pk).update(is_public=False)
    assert opened.pk in tile_features(client, space, [opened]), "the cached tile"
    with transaction.atomic(), report_changing(opened):
        Report.objects.filter(pk=opened.pk).update(is_public=False)
    assert opened.pk not in tile_features(client, space, [opened])


@pytest.mark.django_db(transaction=True)
def test_saving_a_report_or_a_follower_makes_its_tiles_fresh(client, world):
    """Whatever service writes them: the models' saves announce the report's place."""
    acknowledged, space = world["reports"]["acknowledged"], world["space"]
    assert tile_features(client, space, [acknowledged])[acknowledged.pk]["followers"] == 0
    follower = ReportFollowerFactory(report=acknowledged)
    assert tile_features(client, space, [acknowledged])[acknowledged.pk]["followers"] == 1
    follower.delete()
    assert tile_features(client, space, [acknowledged])[acknowledged.pk]["followers"] == 0
    acknowledged.state = State.IN_PROGRESS
    acknowledged.save()
    assert tile_features(client, space, [acknowledged])[acknowledged.pk]["state"] == "in_progress"
    acknowledged.is_hidden = True
    acknowledged.save()
    assert acknowledged.pk not in tile_features(client, space, [acknowledged])


@pytest.mark.django_db(transaction=True)
def test_the_site_wide_tileset_holds_every_public_report_and_follows_writes(client, world):
    """``signalements-portail`` (OGC API – Tiles' for the collection): the public reports
    of every territory where the module is on, in a space or not, a duplicate included
    (the open data lists it), with the same fields;
    the models' saves and a territory's switch make it fresh."""
    reports = world["reports"]
    site = type("Site", (), {"slug": SITE_WIDE})
    alone = SignalementFactory(description="Banc cassé, sans espace")  # no space holds it
    features = tile_features(client, site, [*reports.values(), alone])
    public = ("open", "acknowledged", "fixed", "elsewhere", "duplicate")
    assert set(features) == {reports[k].pk for k in public} | {alone.pk}
    assert (
        features[reports["open"].pk]
        == tile_features(client, world["space"], [reports["open"]])[reports["open"].pk]
    )
    fixed = reports["fixed"]
    fixed.is_hidden = True
    fixed.save()
    assert fixed.pk not in tile_features(client, site, [fixed])
    territory_modules_switch(territory=alone.territory, modules_off=["signalements"])
    assert alone.pk not in tile_features(client, site, [alone])
    assert reports["open"].pk in tile_features(client, site, [reports["open"]])


def test_residents_filter_the_tiles_by_category_and_state(client, world):
    reports, categories = world["reports"], world["categories"]
    every = reports.values()
    lights = tile_features(client, world["space"], every, f"?category={categories['lights'].pk}")
    assert set(lights) == {reports["open"].pk}, "a parent category selects its children"
    waiting = tile_features(client, world["space"], every, "?status=open,acknowledged")
    assert set(waiting) == {reports["open"].pk, reports["acknowledged"].pk}
    roads_fixed = tile_features(
        client, world["space"], every, f"?category={categories['roads'].pk}&status=fixed"
    )
    assert set(roads_fixed) == {reports["fixed"].pk}


@pytest.mark.django_db(transaction=True)
def test_the_asgi_endpoint_serves_the_same_filtered_tiles(client, world, settings, monkeypatch):
    """Production serves tiles from the ASGI endpoint (asyncpg, numbered parameters): the
    category ids and the states reach its statement typed, as in the Django view."""
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.TILE_CACHE_ENABLED = False
    monkeypatch.setitem(connections.settings["default"], "CONN_MAX_AGE", 0)
    opened, space = world["reports"]["open"], world["space"]
    point = opened.geom.transform(3857, clone=True)
    x, y = tile_of(point.x, point.y, 14)
    path = f"/tiles/signalements-{space.slug}/14/{x}/{y}.mvt"
    query = f"category={world['categories']['lights'].pk}&status=open,fixed"
    ((status, _headers, body),) = run(
        TileEndpoint(application.django_app), (path, query, {"accept_encoding": "gzip"})
    )
    view = client.get(f"{path}?{query}", headers={"accept-encoding": "gzip"})
    assert status == view.status_code == 200
    assert body == view.content
    features = mapbox_vector_tile.decode(gzip.decompress(body))["signalements"]["features"]
    assert [feature["id"] for feature in features] == [opened.pk]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("?category=999999", "category"),
        ("?status=unconfirmed", "status"),
        ("?status=duplicate", "status"),
        ("?theme=1", "theme"),
    ],
)
def test_a_filter_the_tiles_do_not_take_is_a_400_naming_it(client, world, query, field):
    point = world["reports"]["open"].geom.transform(3857, clone=True)
    x, y = tile_of(point.x, point.y, 14)
    response = client.get(f"/tiles/signalements-{world['space'].slug}/14/{x}/{y}.mvt{query}")
    assert response.status_code == 400
    assert field in response.json()


def test_a_space_that_does_not_hold_the_module_has_no_tileset(client, world):
    other = ConcertationFactory(territory=world["space"].territory)
    assert client.get(f"/tiles/signalements-{other.slug}.json").status_code == 404
    assert client.get(f"/tiles/signalements-{world['space'].slug}.json").status_code == 200


def test_the_style_draws_the_reports_coloured_by_state_with_their_legend(client, world):
    style = client.get(f"/tiles/styles/{world['space'].slug}.json").json()
    assert style["sources"]["signalements"]["url"].endswith(
        f"/tiles/signalements-{world['space'].slug}.json"
    )
    (layer,) = [layer for layer in style["layers"] if layer["id"] == "signalements"]
    assert layer["source-layer"] == "signalements"
    colours = layer["paint"]["circle-color"]
    assert colours[:2] == ["match", ["get", "state"]]
    pairs = dict(zip(colours[2:-1:2], colours[3:-1:2], strict=True))
    assert pairs == {str(state): colour for state, colour in STATE_COLOURS.items()}
    assert_every_source_layer_is_served(client, style)
    legend = style["metadata"][LEGEND_KEY]
    assert [entry["state"] for entry in legend] == [
        "open",
        "acknowledged",
        "in_progress",
        "fixed",
        "not_fixed",
        "not_responsible",
    ]
    with translation.override("fr"):  # the page's language, French first
        label = str(State.OPEN.label)
    assert legend[0] == {"state": "open", "label": label, "colour": STATE_COLOURS[State.OPEN]}


def test_the_figures_count_the_public_reports_per_commune_and_zone(client, world):
    space, reports = world["space"], world["reports"]
    first = reports["open"].commune
    map_space = space_public(space.slug)
    assert reports_per_commune(map_space) == {first.pk: 3}
    per_zone = reports_per_zone(map_space)
    assert sum(per_zone.values()) == 3 and len(per_zone) == 1  # the commune's first zone

    communes = client.get(f"/api/v1/concertations/{space.slug}/figures/communes").json()
    assert [(row["insee"], row["figures"]["signalements"]) for row in communes] == [
        (first.insee, 3)
    ]
    zones = client.get(f"/api/v1/concertations/{space.slug}/figures/zones").json()
    assert [row["figures"]["signalements"] for row in zones] == [3]


def test_without_a_plu_there_is_no_figure_per_zone(world):
    space = ConcertationFactory(territory=world["space"].territory)
    SpaceModuleFactory(concertation=space, module="signalements")
    map_space = space_public(space.slug)
    assert reports_per_zone(map_space) == {}
    assert sum(reports_per_commune(map_space).values()) == 4  # the whole territory


def test_the_search_finds_public_reports_by_words_and_category(world):
    space, reports = space_public(world["space"].slug), world["reports"]
    found = reports_search(space, "lampadaire", 5)
    assert [hit.label for hit in found] == [f"#{reports['open'].pk} Lampadaire"]
    assert found[0].url == f"/signalements/{reports['open'].pk}/"
    lon, lat = found[0].center
    placed = Point(lon, lat, srid=4326).transform(reports["open"].geom.srid, clone=True)
    assert placed.distance(reports["open"].geom) < 1
    by_parent = reports_search(space, "éclairage", 5)
    assert [hit.label for hit in by_parent] == [f"#{reports['open'].pk} Lampadaire"]
    assert {hit.label for hit in reports_search(space, "nid-de-poule", 5)} == {
        f"#{reports['acknowledged'].pk} Voirie"
    }, "not the one outside the perimeter"
    assert reports_search(space, "caché", 5) == [] and reports_search(space, "privé", 5) == []


def test_the_search_box_of_the_space_has_the_reports_group(client, world):
    response = client.get(f"/api/v1/concertations/{world['space'].slug}/search?q=lampadaire")
    groups = {group["kind"]: group for group in response.json()["groups"]}
    assert [hit["label"] for hit in groups["signalements"]["results"]] == [
        f"#{world['reports']['open'].pk} Lampadaire"
    ]


def test_a_space_saved_leaves_the_site_wide_reports_tiles_cached(
    client, world, settings, django_capture_on_commit_callbacks
):
    """The reports are the territory's, whatever its spaces: opening one makes none of
    ``signalements-portail``'s tiles stale, not even under its reports."""
    assert_a_space_saved_leaves_the_site_wide_tiles(
        client,
        settings,
        django_capture_on_commit_callbacks,
        tileset=f"signalements-{SITE_WIDE}",
        space=world["space"],
        geom=world["reports"]["open"].geom,
    )
