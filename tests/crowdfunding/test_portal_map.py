# SPDX-License-Identifier: AGPL-3.0-or-later
"""The projects on the map and in the house's slots: the tiles hold the projects on the
map (never refused nor under review, never the submitter) with their state, filtered by
the vocabulary's ``status``; a write announced makes them fresh; the style colours them
by state and outlines them by modality with a legend; the dataset is in the catalogue;
the search box, the home page and a space's entry find them."""

import gzip
import json
import subprocess
from datetime import timedelta

import mapbox_vector_tile
import pytest
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from carto_concertation.accounts.models import Role
from carto_concertation.core.changes import tileset_changed
from carto_concertation.core.modules import module_get, space_public
from carto_concertation.crowdfunding.datasets import PROJECTS
from carto_concertation.crowdfunding.map_style import (
    LEGEND_KEY,
    MODALITY_OUTLINES,
    STATUS_COLOURS,
    portal_style,
)
from carto_concertation.crowdfunding.models import Project
from carto_concertation.crowdfunding.search import projects_search
from carto_concertation.crowdfunding.services.campaign import campaigns_advance, figures_update
from carto_concertation.crowdfunding.services.followup import works_news_post
from carto_concertation.crowdfunding.services.projects import project_accept
from carto_concertation.crowdfunding.tiles import FIELDS, PORTAL_TILESET, projects_map_changed
from tests.factories import (
    ConcertationFactory,
    CrowdfundingProjectFactory,
    SpaceModuleFactory,
    user_with_role,
)
from tests.tiles.site_wide import assert_a_space_saved_leaves_the_site_wide_tiles
from tests.tiles.test_style import VALIDATOR, assert_every_source_layer_is_served
from tests.tiles.test_vector_tiles import tile_of

from .portal_world import portal_fixture  # noqa: F401

pytestmark = pytest.mark.django_db
ZOOM = 12


def tile_paths(tileset: str, projects) -> set[str]:
    paths = set()
    for project in projects:
        point = project.geom.transform(3857, clone=True)
        x, y = tile_of(point.x, point.y, ZOOM)
        paths.add(f"/tiles/{tileset}/{ZOOM}/{x}/{y}.mvt")
    return paths


def features(client, tileset: str, projects, query: str = "") -> dict[str, dict]:
    """The features of the tiles under these projects, by slug."""
    found = {}
    for path in tile_paths(tileset, projects):
        response = client.get(path + query, headers={"accept-encoding": "gzip"})
        assert response.status_code in (200, 204), response.content
        body = response.content
        if response.get("Content-Encoding"):
            body = gzip.decompress(body)
        layer = mapbox_vector_tile.decode(body).get("crowdfunding", {"features": []})
        for feature in layer["features"]:
            found[feature["properties"]["slug"]] = feature
    return found


def everyone(world: dict) -> list[Project]:
    return [value for value in world.values() if isinstance(value, Project)]


def test_the_tiles_hold_the_projects_on_the_map_and_no_personal_data(client, portal):
    siren = portal["territory"].siren
    for tileset in ("crowdfunding-portail", f"crowdfunding-{siren}"):
        found = features(client, tileset, everyone(portal))
        on_map = {"campaign", "loan", "inaugurated", "not_funded", "accepted"}
        assert set(found) == {portal[key].slug for key in on_map}, tileset
        loan = found[portal["loan"].slug]["properties"]
        assert set(loan) <= set(FIELDS) and "slug" in loan
        assert (loan["status"], loan["modality"], loan["progress"]) == (
            "funded",
            "loan_interest",
            100,
        )
        assert loan["commune_insee"] == portal["communes"][1].insee
        text = json.dumps(found)
        assert "porteur-prive@example.org" not in text and "PorteurCache" not in text
    funded = features(client, "crowdfunding-portail", everyone(portal), "?status=funded")
    assert set(funded) == {portal["loan"].slug}
    path = next(iter(tile_paths("crowdfunding-portail", [portal["loan"]])))
    assert client.get(path + "?status=refused").status_code == 400
    assert client.get(path.replace("portail", "999999999")).status_code == 404
    assert client.get(path.replace("portail", "nothing")).status_code == 404


def test_a_change_announced_makes_the_tile_fresh(
    client, portal, django_capture_on_commit_callbacks
):
    project = portal["campaign"]
    assert (
        features(client, "crowdfunding-portail", [project])[project.slug]["properties"]["status"]
        == "campaign"
    )
    heard = []

    def listener(sender, change, **kwargs):
        heard.append(change.tileset)

    tileset_changed.connect(listener, dispatch_uid="test-crowdfunding-funded")
    try:
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            Project.objects.filter(pk=project.pk).update(status=Project.Status.FUNDED)
            projects_map_changed(project)
    finally:
        tileset_changed.disconnect(dispatch_uid="test-crowdfunding-funded")
    assert set(heard) == {"crowdfunding-portail", f"crowdfunding-{project.territory.siren}"}
    fresh = features(client, "crowdfunding-portail", [project])
    assert fresh[project.slug]["properties"]["status"] == "funded"


def test_a_project_drawn_outside_the_portal_s_extent_widens_its_tilejson_bounds(
    client, portal, django_capture_on_commit_callbacks
):
    """A TileJSON client (the portal's map) asks no tile outside the bounds: a project
    placed beyond the cached extent must not wait for the cache to expire to be drawn."""
    url = "/tiles/crowdfunding-portail.json"
    bounds = client.get(url).json()["bounds"]
    project = portal["campaign"]
    before = project.geom
    moved = before.clone()
    moved.transform(4326)
    moved.x, moved.y = bounds[2] + 0.5, bounds[3] + 0.5
    moved.transform(before.srid)

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        Project.objects.filter(pk=project.pk).update(geom=moved)
        project.refresh_from_db()
        projects_map_changed(project, before=before, after=project.geom)

    *_west_south, east, north = client.get(url).json()["bounds"]
    assert (east, north) == pytest.approx((bounds[2] + 0.5, bounds[3] + 0.5), abs=1e-5)
    assert features(client, "crowdfunding-portail", [project])


def test_a_space_holding_the_module_draws_them_coloured_with_a_legend(client, portal, tmp_path):
    space = ConcertationFactory(territory=portal["territory"])
    SpaceModuleFactory(concertation=space, module="crowdfunding")
    style = client.get(f"/tiles/styles/{space.slug}.json").json()
    source = style["sources"]["crowdfunding-projects"]["url"]
    assert source.endswith(f"/tiles/crowdfunding-{space.slug}.json")
    ids = {layer["id"] for layer in style["layers"]}
    assert {"crowdfunding-projects", "crowdfunding-projects-fill"} <= ids
    assert_every_source_layer_is_served(client, style)
    legend = style["metadata"][LEGEND_KEY]
    assert [entry["status"] for entry in legend["statuses"]] == [
        "accepted",
        "campaign",
        "funded",
        "not_funded",
        "inaugurated",
    ]
    assert [entry["modality"] for entry in legend["modalities"]] == Project.Modality.values
    assert len(features(client, f"crowdfunding-{space.slug}", everyone(portal))) == 5
    own = portal_style(
        tilejson_url="http://testserver/tiles/crowdfunding-portail.json",
        communes_url="http://testserver/tiles/communes.json",
        center=[2.9, 46.8],
        zoom=10,
    )
    path = tmp_path / "style.json"
    path.write_text(json.dumps(own))
    checked = subprocess.run(["node", str(VALIDATOR), str(path)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_the_legend_s_stylesheet_has_the_map_s_colours():
    """The legend's swatches are coloured by class (the CSP refuses inline styles)."""
    css = (settings.BASE_DIR / "frontend/src/crowdfunding/portal.css").read_text()
    for status, colour in STATUS_COLOURS.items():
        assert f".crowdfunding .swatch-{status} {{ background: {colour}; }}" in css
    for modality, (outline, _width) in MODALITY_OUTLINES.items():
        assert f".crowdfunding .ring-{modality} {{ border: " in css
        assert outline in css.split(f".ring-{modality} ", 1)[1].split("}", 1)[0]


def test_the_dataset_is_in_the_catalogue_without_the_submitter(client):
    (listed,) = [d for d in client.get("/api/v1/datasets/").json() if d["module"] == "crowdfunding"]
    names = {field["name"] for field in listed["fields"]}
    assert names == set(PROJECTS.field_names())
    assert {"porteur_name", "raised", "contributors", "campaign_url", "photos"} <= names
    assert not names & {"submitter", "email", "pseudonym", "user", "decided_by"}


def test_the_search_the_home_page_and_a_space_s_entry(client, portal):
    space = ConcertationFactory(territory=portal["territory"])
    SpaceModuleFactory(concertation=space, module="crowdfunding")
    hits = projects_search(space_public(space.slug), "tilleuls", 5)
    assert [hit.label for hit in hits] == ["Jardin partagé des Tilleuls"]
    assert hits[0].url == f"/financement/{portal['campaign'].slug}/" and hits[0].center
    assert projects_search(space_public(space.slug), "parking", 5) == []
    home = client.get("/").content.decode()
    assert 'href="/financement/"' in home
    assert f'href="/financement/{portal["campaign"].slug}/"' in home
    label, url = module_get("crowdfunding").space_entry(space)
    assert url == "/financement/" and label


def test_each_service_that_changes_the_map_keeps_the_tiles_fresh(
    client, portal, django_capture_on_commit_callbacks
):
    """Accepted on the portal, figures typed in, the campaign's end, the inauguration:
    each write announces its change, so the cached tile shows it at the next request."""
    territory = portal["territory"]
    agent = user_with_role(Role.PLANNER, territory=territory)
    today = timezone.localdate()
    waiting = CrowdfundingProjectFactory(
        territory=territory, status=Project.Status.SUBMITTED, campaign_starts_on=today
    )
    project = portal["campaign"]

    def on_map(target) -> dict:
        return features(client, "crowdfunding-portail", [target]).get(target.slug, {})

    assert on_map(waiting) == {} and on_map(project)["properties"]["raised"] == project.raised
    with django_capture_on_commit_callbacks(execute=True):
        project_accept(user=agent, project=waiting)
    assert on_map(waiting)["properties"]["status"] == "campaign"

    assert on_map(project)["properties"]["raised"] == project.raised  # cached again
    with django_capture_on_commit_callbacks(execute=True):
        figures_update(user=agent, project=project, raised=project.goal, contributors=99)
    assert on_map(project)["properties"]["raised"] == project.goal

    Project.objects.filter(pk=project.pk).update(campaign_ends_on=today - timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        campaigns_advance(today=today)
    assert on_map(project)["properties"]["status"] == "funded"

    with django_capture_on_commit_callbacks(execute=True):
        works_news_post(user=agent, project=project, date=today, text="Inauguré", inaugurated=True)
    assert on_map(project)["properties"]["status"] == "inaugurated"


def test_a_space_saved_leaves_the_site_s_portal_tiles_cached(
    client, portal, settings, django_capture_on_commit_callbacks
):
    """The site's portal (``crowdfunding-portail``) draws the territories' projects
    whatever the spaces: opening a space holding the module makes none of its tiles stale."""
    space = ConcertationFactory(territory=portal["territory"])
    SpaceModuleFactory(concertation=space, module="crowdfunding")
    assert_a_space_saved_leaves_the_site_wide_tiles(
        client,
        settings,
        django_capture_on_commit_callbacks,
        tileset=PORTAL_TILESET,
        space=space,
        geom=portal["campaign"].geom,
    )
