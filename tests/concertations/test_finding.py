# SPDX-License-Identifier: AGPL-3.0-or-later
"""Finding one's way on a concertation's map (issue 17, point 5): the search box's API
and its page without JavaScript find communes, PLU zones by label, public ideas by
words and pages of the règlement, from our own data; the light map page other sites
embed; cross-origin reads of the map's public documents only."""

import socket
from html import unescape as html_unescape

import pytest

from carto_concertation.concertations.services import space_module_add
from carto_concertation.contributions.models import Contribution
from carto_concertation.core.modules import ModuleManifest, module_register, module_unregister
from carto_concertation.core.search import SearchHit
from carto_concertation.territories.services import territory_modules_switch
from tests.factories import (
    ContributionFactory,
    DocumentPieceFactory,
    PiecePageFactory,
    RegulationLinkFactory,
)
from tests.worlds import small_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def space(db):
    concertation = small_world(title="Concertation du petit monde")
    version = concertation.plui_document.current_version
    piece = DocumentPieceFactory(version=version)
    PiecePageFactory(piece=piece, text="Zone UB : les clôtures végétales sont obligatoires.")
    RegulationLinkFactory(piece=piece, version=version, libelle="UB", page_start=1, page_end=1)
    return concertation


@pytest.fixture(autouse=True)
def no_outside_request(monkeypatch):
    """Fails a test whose server opens a connection anywhere but PostGIS and Redis."""
    real = socket.socket.connect

    def connect(self, address):
        host = address[0] if isinstance(address, tuple) else address
        assert host in ("127.0.0.1", "localhost", "::1") or str(host).startswith("/"), host
        return real(self, address)

    monkeypatch.setattr(socket.socket, "connect", connect)


def search(client, space, q):
    return client.get(f"/api/v1/concertations/{space.slug}/search", {"q": q})


def groups(response) -> dict:
    return {group["kind"]: group["results"] for group in response.json()["groups"]}


def test_a_commune_is_found_by_its_name_without_accents_and_by_its_insee_code(client, space):
    commune = space.territory.communes.order_by("insee")[1]
    commune.name = "Saint-Étienne-de-Vicq"
    commune.save(update_fields=["name"])
    by_name = groups(search(client, space, "saint etienne"))["communes"]
    assert [hit["label"] for hit in by_name] == ["Saint-Étienne-de-Vicq"]
    west, south, east, north = by_name[0]["bbox"]
    assert west < by_name[0]["center"][0] < east and south < by_name[0]["center"][1] < north
    by_code = groups(search(client, space, commune.insee))["communes"]
    assert by_code[0]["label"] == "Saint-Étienne-de-Vicq"


def test_a_zone_is_found_once_by_its_label_with_the_box_of_all_its_polygons(client, space):
    found = groups(search(client, space, "ub"))["zones"]
    assert [hit["label"] for hit in found] == ["UB"]
    west, _south, east, _north = found[0]["bbox"]
    # The UB strips of the eight communes: the box spans several communes.
    assert east - west > 0.1
    # It opens the page of the règlement that holds its rules.
    assert found[0]["url"].endswith("/file#page=1")
    assert groups(search(client, space, "UE"))["zones"][0]["url"] == ""


def test_public_ideas_are_found_by_words_and_the_others_never(client, space):
    public = ContributionFactory(concertation=space, title="Une piste cyclable vers la gare")
    for status in ("hidden", "withdrawn", "merged", "submitted"):
        idea = ContributionFactory(concertation=space, title=f"Piste cyclable {status}")
        Contribution.objects.filter(pk=idea.pk).update(
            status=status, moderation_reason="Hors sujet", merged_into=public
        )
    found = groups(search(client, space, "pistes cyclables"))["ideas"]
    assert [hit["label"] for hit in found] == [public.title]
    assert found[0]["url"].endswith(f"/concertations/{space.slug}/#idea-{public.pk}")
    assert found[0]["center"] is not None


def test_a_page_of_the_reglement_is_found_with_the_zones_it_rules(client, space):
    found = groups(search(client, space, "clôture"))["reglement"]
    assert len(found) == 1
    assert "#page=1" in found[0]["url"] and found[0]["detail"] == "UB"
    assert found[0]["bbox"] is not None


def test_nothing_found_is_an_empty_list_of_groups(client, space):
    response = search(client, space, "zzzzqqq")
    assert response.status_code == 200
    assert response.json() == {"q": "zzzzqqq", "groups": []}


@pytest.mark.parametrize("q", ["", "a", "x" * 101])
def test_an_empty_or_too_long_query_is_refused_naming_the_field(client, space, q):
    response = search(client, space, q)
    assert response.status_code == 400
    assert "q" in response.json()


def test_no_search_in_a_draft_or_unknown_concertation(client, space):
    space.status = "draft"
    space.save(update_fields=["status"])
    assert search(client, space, "ub").status_code == 404
    assert client.get("/api/v1/concertations/nothing/search", {"q": "ub"}).status_code == 404


def test_the_results_page_without_javascript(client, space):
    ContributionFactory(concertation=space, title="Un banc près de la mairie")
    page = client.get(f"/concertations/{space.slug}/recherche/", {"q": "banc"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Un banc près de la mairie" in html and f"#idea-{Contribution.objects.get().pk}" in html
    zones = client.get(f"/concertations/{space.slug}/recherche/", {"q": "UE"}).content.decode()
    assert "<strong>UE</strong>" in zones
    refused = client.get(f"/concertations/{space.slug}/recherche/", {"q": "x" * 150})
    assert refused.status_code == 400 and 'aria-invalid="true"' in refused.content.decode()
    # The map page carries the box: a GET form to that page, and the embed snippet.
    map_page = client.get(f"/concertations/{space.slug}/").content.decode()
    assert f'action="/concertations/{space.slug}/recherche/"' in map_page
    assert f"/concertations/{space.slug}/carte/" in map_page and "&lt;iframe" in map_page


def test_typed_markup_is_escaped_on_the_results_page(client, space):
    ContributionFactory(concertation=space, title="<b>gras</b> banc")
    html = client.get(f"/concertations/{space.slug}/recherche/", {"q": "banc"}).content.decode()
    assert "&lt;b&gt;gras&lt;/b&gt; banc" in html and "<b>gras</b>" not in html


def test_the_embed_page_is_framable_and_the_others_are_not(client, space):
    embed = client.get(f"/concertations/{space.slug}/carte/")
    assert embed.status_code == 200
    assert "X-Frame-Options" not in embed
    assert "frame-ancestors *" in embed["Content-Security-Policy"]
    html = embed.content.decode()
    assert f'href="http://testserver/concertations/{space.slug}/"' in html
    assert "<header>" not in html
    for path in (f"/concertations/{space.slug}/", f"/concertations/{space.slug}/recherche/"):
        page = client.get(path)
        assert page["X-Frame-Options"] == "DENY"
        assert "frame-ancestors 'none'" in page["Content-Security-Policy"]
    assert client.get("/concertations/nothing/carte/").status_code == 404


ORIGIN = {"Origin": "https://www.mairie-exemple.fr"}


def test_cross_origin_reads_of_the_maps_public_documents(client, space):
    slug = space.slug
    for path in (
        f"/tiles/styles/{slug}.json",
        "/tiles/zoning.json",
        f"/tiles/contributions-{slug}.json",
        "/tiles/communes/8/131/90.mvt",
        f"/api/v1/concertations/{slug}/contributions/",
    ):
        response = client.get(path, headers=ORIGIN)
        assert response.status_code in (200, 204), path
        assert response["Access-Control-Allow-Origin"] == "*", path
        assert "Access-Control-Allow-Credentials" not in response, path
    preflight = client.options(
        f"/api/v1/concertations/{slug}/contributions/",
        headers={**ORIGIN, "Access-Control-Request-Method": "GET"},
    )
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert "POST" not in preflight["Access-Control-Allow-Methods"]


def test_no_cross_origin_header_on_writes_pages_and_the_rest_of_the_api(client, space):
    slug = space.slug
    write = client.post(
        f"/api/v1/concertations/{slug}/contributions/",
        {},
        content_type="application/json",
        headers=ORIGIN,
    )
    assert "Access-Control-Allow-Origin" not in write
    preflight = client.options(
        f"/api/v1/concertations/{slug}/contributions/",
        headers={**ORIGIN, "Access-Control-Request-Method": "POST"},
    )
    assert "Access-Control-Allow-Origin" not in preflight
    for path in (
        f"/concertations/{slug}/",
        f"/concertations/{slug}/carte/",
        f"/api/v1/concertations/{slug}/search?q=ub",
        "/api/v1/me/",
    ):
        assert "Access-Control-Allow-Origin" not in client.get(path, headers=ORIGIN), path


def test_with_the_address_search_on_the_server_still_asks_no_one(client, space, settings):
    settings.ADDRESS_SEARCH = True
    settings.BASEMAPS = ["plan-ign", "osm"]
    response = search(client, space, "3 rue de la mairie")
    assert response.status_code == 200
    assert "addresses" not in groups(response)


NOTICES = ModuleManifest(
    name="notices",
    label="Panneau d'affichage",
    app_label="notices",
    search=lambda space, query, limit: [
        SearchHit(label=f"Avis sur {query}", url="/panneau/1/", bbox=(2.9, 46.8, 3.0, 46.9))
    ][:limit],
)


@pytest.fixture
def notices():
    module_register(NOTICES)
    yield NOTICES
    module_unregister(NOTICES.name)


def test_a_module_s_search_slot_gives_its_group_where_it_is_held_and_on(client, space, notices):
    assert "notices" not in groups(search(client, space, "ub"))  # not held by the space
    space_module_add(concertation=space, module="notices")
    found = groups(search(client, space, "ub"))
    assert list(found) == ["zones", "notices", "reglement"]  # between the backbone's
    assert found["notices"][0] == {
        "label": "Avis sur ub",
        "detail": "",
        "url": "/panneau/1/",
        "bbox": [2.9, 46.8, 3.0, 46.9],
        "center": None,
    }
    labels = [g["label"] for g in search(client, space, "ub").json()["groups"]]
    assert "Panneau d'affichage" in labels
    territory_modules_switch(territory=space.territory, modules_off=["notices"])
    assert "notices" not in groups(search(client, space, "ub"))


def test_the_embed_code_holds_a_title_with_quotes_as_html_it_can_be_pasted_into(client, space):
    space.title = 'Révision du "PLUi" <2026>'
    space.save(update_fields=["title"])
    html = client.get(f"/concertations/{space.slug}/").content.decode()
    code = html.split('<textarea id="embed-code" readonly rows="3">')[1].split("</textarea>")[0]
    # Shown escaped in the text area, so that what is copied is this HTML:
    pasted = html_unescape(code)
    assert pasted.startswith(
        f'<iframe src="http://testserver/concertations/{space.slug}/carte/" '
        'title="Révision du &quot;PLUi&quot; &lt;2026&gt;"'
    )
