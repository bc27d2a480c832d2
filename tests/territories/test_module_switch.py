# SPDX-License-Identifier: AGPL-3.0-or-later
"""A participation module switched off in a territory (issue 16, point 7): its tilesets of
the territory's spaces, their TileJSON and their part of the style and of the offline
package go, its API answers 404 there, its navigation entries go; it answers as before in
another territory, and everywhere once switched on again. Written by an administrator on
the territory's admin page, or by territories.services.territory_modules_switch."""

import asyncio
import gc
import re
from concurrent.futures import ThreadPoolExecutor

import pytest
from asgiref.sync import sync_to_async
from django.contrib.gis.geos import Point
from django.core.exceptions import ValidationError
from django.db import connections
from django.test import Client

from carto_concertation.accounts.models import Role
from carto_concertation.asgi import application
from carto_concertation.core.modules import (
    HomeSection,
    ModuleManifest,
    module_register,
    module_unregister,
    space_public,
)
from carto_concertation.territories.models import Territory
from carto_concertation.territories.selectors import module_enabled, module_enabled_somewhere
from carto_concertation.territories.services import territory_modules_switch
from tests.factories import (
    ConcertationFactory,
    ContributionFactory,
    UserFactory,
    WorkshopFactory,
    user_with_role,
)
from tests.tiles.test_asgi_endpoint import call
from tests.tiles.test_vector_tiles import tile_of
from tiles.asgi import TileEndpoint
from tiles.services import offline_tilesets

pytestmark = pytest.mark.django_db

API = "/api/v1/concertations/{slug}/contributions/"


@pytest.fixture
def switch(django_capture_on_commit_callbacks):
    """Switch modules off in a territory through the service, its commit's announcements
    heard (the tile cache's invalidation runs on commit)."""

    def run(territory: Territory, *names: str) -> Territory:
        with django_capture_on_commit_callbacks(execute=True):
            return territory_modules_switch(territory=territory, modules_off=names)

    return run


@pytest.fixture
def here():
    """Two open concertations, each in a territory of its own, an idea in each."""
    spaces = [ConcertationFactory(), ConcertationFactory()]
    ideas = [ContributionFactory(concertation=space) for space in spaces]
    return spaces, ideas


def tile(client, concertation, z=14):
    point = Point(*concertation.perimeter.point_on_surface.transform(3857, clone=True).coords)
    x, y = tile_of(point.x, point.y, z)
    return client.get(f"/tiles/contributions-{concertation.slug}/{z}/{x}/{y}.mvt")


def tilejson(client, concertation):
    return client.get(f"/tiles/contributions-{concertation.slug}.json")


def style_sources(client, concertation) -> set[str]:
    style = client.get(f"/tiles/styles/{concertation.slug}.json").json()
    return set(style["sources"]) | {layer.get("source", "") for layer in style["layers"]}


def ideas_answers(client, concertation, idea) -> tuple[int, int, int]:
    """The list, an idea's detail and a new idea (signed in)."""
    url = API.format(slug=concertation.slug)
    created = client.post(
        url,
        {
            "title": "Un abri à vélos",
            "text": "Devant la gare.",
            "geometry": {
                "type": "Point",
                "coordinates": idea.geom.transform(4326, clone=True).coords,
            },
        },
        content_type="application/json",
    )
    return (
        client.get(url).status_code,
        client.get(f"{url}{idea.pk}/").status_code,
        created.status_code,
    )


def test_ideas_switched_off_in_a_territory_take_away_its_tiles_style_and_api(client, here, switch):
    (off, on), (idea_off, idea_on) = here
    client.force_login(UserFactory())
    assert tile(client, off).status_code in (200, 204)  # cached now
    assert tilejson(client, off).status_code == 200
    assert "contributions" in style_sources(client, off)
    assert f"contributions-{off.slug}" in offline_tilesets(space_public(off.slug))
    assert ideas_answers(client, off, idea_off) == (200, 200, 201)

    switch(off.territory, "ideas")
    assert not module_enabled("ideas", off.territory_id)
    assert module_enabled("ideas", on.territory_id)
    assert tile(client, off).status_code == 404
    assert tilejson(client, off).status_code == 404
    sources = style_sources(client, off)
    assert "contributions" not in sources and {"communes"} <= sources
    assert offline_tilesets(space_public(off.slug)) == ["zoning", "communes"]
    assert ideas_answers(client, off, idea_off) == (404, 404, 404)
    vote = client.put(
        f"{API.format(slug=off.slug)}{idea_off.pk}/vote", {"value": 1}, "application/json"
    )
    assert vote.status_code == 404
    assert client.get(f"/api/v1/concertations/{off.slug}/export?format=geojson").status_code == 404

    # Another territory, where the ideas are on, answers as before.
    assert tile(client, on).status_code in (200, 204)
    assert tilejson(client, on).status_code == 200
    assert "contributions" in style_sources(client, on)
    assert ideas_answers(client, on, idea_on) == (200, 200, 201)

    # Switched on again: everything is back.
    switch(off.territory)
    assert tile(client, off).status_code in (200, 204)
    assert tilejson(client, off).status_code == 200
    assert "contributions" in style_sources(client, off)
    assert f"contributions-{off.slug}" in offline_tilesets(space_public(off.slug))
    assert ideas_answers(client, off, idea_off) == (200, 200, 201)


def test_a_tile_cached_before_the_switch_is_not_served_after_it(client, here, switch):
    (off, _on), _ideas = here
    first = tile(client, off)
    assert first.status_code in (200, 204)
    assert tile(client, off).status_code == first.status_code  # from the cache
    switch(off.territory, "ideas")
    assert tile(client, off).status_code == 404


def test_workshops_switched_off_in_a_territory_answer_404_there(client, switch):
    workshop = WorkshopFactory()
    elsewhere = WorkshopFactory()
    planner = workshop.created_by
    territory = workshop.concertation.territory
    client.force_login(planner)
    detail = f"/api/v1/workshops/{workshop.pk}/"
    assert client.get(detail).status_code == 200
    assert [w["id"] for w in client.get("/api/v1/workshops/").json()] == [workshop.pk]
    assert client.get(f"/workshops/{workshop.pk}/capture/").status_code == 200

    switch(territory, "workshops")
    assert client.get(detail).status_code == 404
    assert client.get("/api/v1/workshops/").json() == []
    assert client.get(f"/workshops/{workshop.pk}/capture/").status_code == 404
    assert client.post(f"{detail}print-map?format=pdf").status_code == 404
    created = client.post(
        "/api/v1/workshops/",
        {
            "concertation": workshop.concertation.slug,
            "commune": workshop.commune.insee,
            "starts_at": "2030-01-01T10:00:00Z",
            "place": "Mairie",
            "facilitator": "Relais",
        },
        content_type="application/json",
    )
    assert created.status_code == 400 and "concertation" in created.json()
    # The ideas are still on there, and the workshops elsewhere.
    assert client.get(API.format(slug=workshop.concertation.slug)).status_code == 200
    client.force_login(elsewhere.created_by)
    assert client.get(f"/api/v1/workshops/{elsewhere.pk}/").status_code == 200

    switch(territory)
    client.force_login(planner)
    assert client.get(detail).status_code == 200


def test_the_account_page_leaves_out_a_module_off_in_every_territory_of_the_person(client, switch):
    workshop = WorkshopFactory()
    territory = workshop.concertation.territory
    relay = user_with_role(Role.RELAY, territory=territory, communes=[workshop.commune])
    client.force_login(relay)
    link = 'href="/workshops/"'
    assert link in client.get("/accounts/").content.decode()
    switch(territory, "workshops")
    assert link not in client.get("/accounts/").content.decode()
    assert not module_enabled_somewhere("workshops", [territory.pk])
    switch(territory)
    assert link in client.get("/accounts/").content.decode()


@pytest.fixture
def module_with_a_home_section(settings, tmp_path):
    """A module of the tests' own with a section on the home page."""
    (tmp_path / "example_home.html").write_text("<p>La section de l'exemple</p>")
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0].get("DIRS", [])]}
    ]
    module_register(
        ModuleManifest(
            name="example",
            label="Example",
            app_label="example",
            home=HomeSection(template="example_home.html", context=lambda request: {}),
        )
    )
    yield "La section de l'exemple"
    module_unregister("example")


def test_a_module_s_home_section_shows_while_some_territory_has_it_on(
    client, module_with_a_home_section, switch
):
    first, second = ConcertationFactory().territory, ConcertationFactory().territory
    section = module_with_a_home_section
    assert section in client.get("/").content.decode()
    switch(first, "example")
    assert section in client.get("/").content.decode()  # on in the second
    switch(second, "example")
    assert section not in client.get("/").content.decode()
    switch(first)
    assert section in client.get("/").content.decode()


def test_an_unknown_module_is_refused_naming_the_field(here):
    (concertation, _on), _ideas = here
    with pytest.raises(ValidationError) as refused:
        territory_modules_switch(territory=concertation.territory, modules_off=["ideas", "nope"])
    assert list(refused.value.message_dict) == ["modules_off"]
    assert "nope" in refused.value.message_dict["modules_off"][0]
    concertation.territory.refresh_from_db()
    assert concertation.territory.modules_off == []


# --- The administrator's page ----------------------------------------------------------


def admin_page(territory: Territory) -> str:
    return f"/admin/territories/territory/{territory.pk}/change/"


def csrf_client(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def admin_post(client: Client, territory: Territory, modules_off: list[str]):
    page = client.get(admin_page(territory))
    assert page.status_code == 200
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())[1]
    return client.post(
        admin_page(territory),
        {"csrfmiddlewaretoken": token, "name": territory.name, "modules_off": modules_off},
    )


def test_an_administrator_switches_a_module_off_and_on_on_the_territory_s_page(
    here, django_capture_on_commit_callbacks
):
    (off, on), _ideas = here
    administrator = UserFactory(is_staff=True, is_superuser=True)
    admin = csrf_client(administrator)
    page = admin.get(admin_page(off.territory)).content.decode()
    # Checkboxes listing the registered modules by their label.
    assert re.findall(r'type="checkbox" name="modules_off" value="([^"]+)"', page) == [
        "ideas",
        "workshops",
        "signalements",
        "budgets",
        "surveys",
        "crowdfunding",
    ]
    assert "Idées sur la carte" in page and "Ateliers cartographiques" in page  # French

    visitor = Client()
    assert tile(visitor, off).status_code in (200, 204)
    with django_capture_on_commit_callbacks(execute=True):
        saved = admin_post(admin, off.territory, ["ideas"])
    assert saved.status_code == 302, saved.content.decode()[:2000]
    assert Territory.objects.get(pk=off.territory_id).modules_off == ["ideas"]
    assert visitor.get(API.format(slug=off.slug)).status_code == 404
    assert tile(visitor, off).status_code == 404
    assert visitor.get(API.format(slug=on.slug)).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        saved = admin_post(admin, off.territory, [])
    assert saved.status_code == 302
    assert Territory.objects.get(pk=off.territory_id).modules_off == []
    assert visitor.get(API.format(slug=off.slug)).status_code == 200
    assert tile(visitor, off).status_code in (200, 204)

    refused = admin_post(admin, off.territory, ["nope"])
    assert refused.status_code == 200
    assert "modules_off" in refused.context["adminform"].form.errors


@pytest.mark.french
def test_the_territory_s_page_speaks_french(here):
    (off, _on), _ideas = here
    page = csrf_client(UserFactory(is_staff=True, is_superuser=True)).get(admin_page(off.territory))
    assert "Modules désactivés sur ce territoire" in page.content.decode()


def test_no_one_but_an_administrator_switches_a_module(here):
    (off, _on), _ideas = here
    planner = user_with_role(Role.PLANNER, territory=off.territory)
    resident = UserFactory()
    assert csrf_client(planner).get(admin_page(off.territory)).status_code == 403
    signed_in = Client()
    signed_in.force_login(planner)
    refused = signed_in.post(admin_page(off.territory), {"name": "X", "modules_off": ["ideas"]})
    assert refused.status_code == 403
    answer = csrf_client(resident).get(admin_page(off.territory))
    assert answer.status_code == 302 and "/admin/login/" in answer["Location"]
    assert Territory.objects.get(pk=off.territory_id).modules_off == []


# --- The ASGI tile endpoint (production's path to the tiles) ----------------------------


@pytest.mark.django_db(transaction=True)
def test_the_asgi_endpoint_answers_404_once_switched_off_and_tiles_again_once_on(
    settings, monkeypatch
):
    """The endpoint keeps tiles in memory and layers per data version: the switch moves
    the version, so neither outlives it, in the same process."""
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.TILE_CACHE_ENABLED = True
    monkeypatch.setitem(connections.settings["default"], "CONN_MAX_AGE", 0)
    concertation = ConcertationFactory()
    ContributionFactory(concertation=concertation)
    point = concertation.perimeter.point_on_surface.transform(3857, clone=True)
    x, y = tile_of(point.x, point.y, 14)
    path = f"/tiles/contributions-{concertation.slug}/14/{x}/{y}.mvt"
    endpoint = TileEndpoint(application.django_app)

    def switched(*names):
        try:
            territory_modules_switch(territory=concertation.territory, modules_off=names)
        finally:
            connections.close_all()  # this thread's, before the test database goes

    async def main() -> list[int]:
        statuses = []
        try:
            for step in (None, None, ("ideas",), None, ()):
                if step is not None:
                    await sync_to_async(switched)(*step)
                statuses.append((await call(endpoint, path))[0])
        finally:
            await endpoint.close()
        return statuses

    with ThreadPoolExecutor(max_workers=1) as executor:
        statuses = executor.submit(asyncio.run, main()).result()
    # The connection of the thread the endpoint read the layers in (that thread is gone).
    gc.collect()
    assert statuses[0] in (200, 204) and statuses[1] == statuses[0]  # the second cached
    assert statuses[2:] == [404, 404, statuses[0]]


def test_the_ideas_planning_tools_and_figures_go_where_the_ideas_are_off(client, here, switch):
    (off, on), _ = here
    client.force_login(user_with_role(Role.ADMINISTRATOR))
    pages = (
        "/concertations/{slug}/tableau-de-bord/",
        "/api/v1/concertations/{slug}/stats",
        "/api/v1/concertations/{slug}/heatmap",
        "/api/v1/concertations/{slug}/heatmap?full=true",
    )

    def answers(space) -> list[int]:
        return [client.get(page.format(slug=space.slug)).status_code for page in pages]

    def figure_names(space) -> set[str]:
        rows = client.get(f"/api/v1/concertations/{space.slug}/figures/communes").json()
        return {name for row in rows for name in row["figures"]}

    assert answers(off) == [200, 200, 200, 200]
    assert figure_names(off) == {"contributions"}
    switch(off.territory, "ideas")
    assert answers(off) == [404, 404, 404, 404]
    assert figure_names(off) == set()
    assert answers(on) == [200, 200, 200, 200]
    assert figure_names(on) == {"contributions"}
