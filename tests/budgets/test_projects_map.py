# SPDX-License-Identifier: AGPL-3.0-or-later
"""The projects on the map and in the house's slots: the tiles hold the projects with
their status (filtered by the vocabulary's ``status``), the styles colour them with a
legend, the search box finds them, the dataset, "my data", the account page, the home
page and a space's entry; never the submitter."""

import gzip
import json
import subprocess

import mapbox_vector_tile
import pytest
from django.conf import settings

from carto_concertation.budgets.map_style import LEGEND_KEY, STATUS_COLOURS, edition_style
from carto_concertation.budgets.models import Project
from carto_concertation.budgets.search import projects_search
from carto_concertation.core.modules import SITE_WIDE, module_get, space_public
from tests.accounts.my_data import my_data_files
from tests.factories import ConcertationFactory, SpaceModuleFactory, UserFactory
from tests.factories.budgets import EditionFactory, ProjectFactory, ProjectSupporterFactory
from tests.tiles.site_wide import assert_a_space_saved_leaves_the_site_wide_tiles
from tests.tiles.test_style import VALIDATOR, assert_every_source_layer_is_served
from tests.tiles.test_vector_tiles import tile_of

pytestmark = pytest.mark.django_db


def tile(client, tileset: str, geom, query: str = "") -> list[dict]:
    point = geom.point_on_surface.transform(3857, clone=True)
    x, y = tile_of(point.x, point.y, 14)
    response = client.get(
        f"/tiles/{tileset}/14/{x}/{y}.mvt{query}", headers={"accept-encoding": "gzip"}
    )
    assert response.status_code == 200, response.content
    body = (
        gzip.decompress(response.content) if response.get("Content-Encoding") else response.content
    )
    return mapbox_vector_tile.decode(body).get("budget-projects", {"features": []})["features"]


@pytest.fixture
def mapped(db):
    edition = EditionFactory(districts=2, phases="submission")
    submitter = UserFactory(email="cache@example.org", pseudonym="Mystere")
    proposed = ProjectFactory(
        edition=edition,
        number=1,
        status=Project.Status.PROPOSED,
        submitter=submitter,
        title="Jardin partagé des Tilleuls",
    )
    # An area around the proposed project's place: both on the tile of that place,
    # wherever the factories' grid puts the territory.
    winner = ProjectFactory(
        edition=edition,
        number=2,
        status=Project.Status.WINNER,
        geom=proposed.geom.buffer(60, quadsegs=1),
        title="Aire de jeux",
    )
    ProjectSupporterFactory(project=proposed)
    return {"edition": edition, "proposed": proposed, "winner": winner}


def test_the_tiles_hold_the_projects_with_their_status_and_no_submitter(client, mapped):
    edition = mapped["edition"]
    features = tile(client, f"budget-{edition.slug}", mapped["proposed"].geom)
    by_number = {feature["properties"]["number"]: feature for feature in features}
    assert set(by_number) == {1, 2}
    assert by_number[1]["properties"]["status"] == "proposed"
    assert by_number[1]["properties"]["supporters"] == 1
    assert by_number[2]["properties"]["status"] == "winner"
    assert by_number[2]["geometry"]["type"] == "Polygon"
    assert not {"submitter", "email", "pseudonym"} & set(by_number[1]["properties"])
    winners = tile(client, f"budget-{edition.slug}", mapped["proposed"].geom, "?status=winner")
    assert [f["properties"]["number"] for f in winners] == [2]
    point = mapped["proposed"].geom.transform(3857, clone=True)
    x, y = tile_of(point.x, point.y, 14)
    assert client.get(f"/tiles/budget-{edition.slug}/14/{x}/{y}.mvt?status=lost").status_code == 400
    assert client.get(f"/tiles/budget-nothing/14/{x}/{y}.mvt").status_code == 404


def test_a_new_project_shows_on_the_tiles_at_once(
    client, mapped, django_capture_on_commit_callbacks
):
    """The write announces its place: the cached tile is made stale."""
    edition = mapped["edition"]
    tilesets = (f"budget-{edition.slug}", f"budget-{SITE_WIDE}")
    for tileset in tilesets:
        assert len(tile(client, tileset, mapped["proposed"].geom)) == 2
    from carto_concertation.budgets.services.projects import project_submit

    with django_capture_on_commit_callbacks(execute=True):
        project_submit(
            edition=edition,
            user=UserFactory(),
            title="Fontaine",
            description="Une fontaine à boire.",
            estimated_cost=3000,
            geom=mapped["proposed"].geom,
        )
    for tileset in tilesets:
        assert len(tile(client, tileset, mapped["proposed"].geom)) == 3


def test_the_site_wide_tileset_holds_the_projects_of_every_published_edition(client, mapped):
    """``budget-portail`` (OGC API – Tiles' for the collection): every published edition's
    projects where the module is on, as the open data lists them; a draft edition's are
    not there."""
    draft = EditionFactory(is_published=False)
    hidden = ProjectFactory(edition=draft, geom=mapped["proposed"].geom.buffer(20, quadsegs=1))
    drawn = {f["id"] for f in tile(client, f"budget-{SITE_WIDE}", mapped["proposed"].geom)}
    assert drawn == {mapped["proposed"].pk, mapped["winner"].pk}
    assert hidden.pk not in drawn
    opened = {
        f["id"]: f["properties"] for f in tile(client, f"budget-{SITE_WIDE}", mapped["winner"].geom)
    }
    assert "submitter" not in repr(opened) and "cache@example.org" not in repr(opened)


def test_a_space_of_the_territory_shows_its_current_edition_coloured_with_a_legend(
    client, mapped, tmp_path
):
    edition = mapped["edition"]
    space = ConcertationFactory(territory=edition.territory)
    SpaceModuleFactory(concertation=space, module="budgets")
    style = client.get(f"/tiles/styles/{space.slug}.json").json()
    assert style["sources"]["budget-projects"]["url"].endswith(f"/tiles/budget-{space.slug}.json")
    ids = {layer["id"] for layer in style["layers"]}
    assert {"budget-projects", "budget-projects-fill", "budget-projects-outline"} <= ids
    assert_every_source_layer_is_served(client, style)
    legend = style["metadata"][LEGEND_KEY]
    assert [entry["status"] for entry in legend] == list(Project.Status.values)
    assert legend[0]["colour"] == STATUS_COLOURS[Project.Status.PROPOSED]
    greyed = {
        entry["colour"]
        for entry in legend
        if entry["status"] in ("not_admissible", "merged", "not_selected")
    }
    assert greyed == {"#9e9e9e"}
    numbers = {
        f["properties"]["number"]
        for f in tile(client, f"budget-{space.slug}", mapped["proposed"].geom)
    }
    assert numbers == {1, 2}
    own = edition_style(
        tilejson_url="http://testserver/tiles/budget-x.json",
        communes_url="http://testserver/tiles/communes.json",
        center=[2.9, 46.8],
    )
    path = tmp_path / "style.json"
    path.write_text(json.dumps(own))
    checked = subprocess.run(["node", str(VALIDATOR), str(path)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_the_search_finds_the_current_edition_s_projects_by_words(mapped):
    space = ConcertationFactory(territory=mapped["edition"].territory)
    SpaceModuleFactory(concertation=space, module="budgets")
    hits = projects_search(space_public(space.slug), "jardin", 5)
    assert [hit.label for hit in hits] == ["n° 1 Jardin partagé des Tilleuls"]
    assert hits[0].url == f"/budgets/{mapped['edition'].slug}/projets/1/" and hits[0].center
    assert projects_search(space_public(space.slug), "piscine", 5) == []


def test_the_dataset_is_in_the_catalogue_without_the_submitter(client):
    (listed,) = [d for d in client.get("/api/v1/datasets/").json() if d["module"] == "budgets"]
    names = {field["name"] for field in listed["fields"]}
    assert {"number", "title", "status", "cost", "supporters"} <= names
    assert not names & {"submitter", "email", "pseudonym", "user"}


def test_my_data_my_account_the_home_page_and_the_space_entry(client, mapped):
    submitter = mapped["proposed"].submitter
    supporter = mapped["proposed"].supporters.get().user
    client.force_login(submitter)
    files = my_data_files(client)
    (mine,) = files["budget_projects.json"]["budget_projects"]
    assert mine["number"] == 1 and mine["status"] == "proposed"
    assert files["budget_projects.geojson"]["features"][0]["geometry"]["type"] == "Point"
    edition = mapped["edition"]
    account = client.get("/accounts/").content.decode()
    assert f'href="/budgets/{edition.slug}/projets/1/"' in account

    client.force_login(supporter)
    (support,) = my_data_files(client)["budget_supports.json"]["budget_supports"]
    assert support["project"] == 1

    home = client.get("/").content.decode()
    assert f'href="/budgets/{edition.slug}/"' in home
    space = ConcertationFactory(territory=edition.territory)
    label, url = module_get("budgets").space_entry(space)
    assert url == f"/budgets/{edition.slug}/" and edition.title in label


def test_the_legend_s_stylesheet_has_the_map_s_colours():
    """The legend's swatches are coloured by class (the CSP refuses inline styles)."""
    css = (settings.BASE_DIR / "frontend/src/budgets/budgets.css").read_text()
    for status, colour in STATUS_COLOURS.items():
        assert f".budgets .swatch-{status} {{ background: {colour}; }}" in css


def test_a_space_saved_leaves_the_site_wide_projects_tiles_cached(
    client, mapped, settings, django_capture_on_commit_callbacks
):
    """A space of the territory shows its current edition, but ``budget-portail`` draws
    every published edition whatever the spaces: opening it makes none of its tiles stale."""
    space = ConcertationFactory(territory=mapped["edition"].territory)
    SpaceModuleFactory(concertation=space, module="budgets")
    assert_a_space_saved_leaves_the_site_wide_tiles(
        client,
        settings,
        django_capture_on_commit_callbacks,
        tileset=f"budget-{SITE_WIDE}",
        space=space,
        geom=mapped["proposed"].geom,
    )
