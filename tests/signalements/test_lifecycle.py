# SPDX-License-Identifier: AGPL-3.0-or-later
"""A report's whole life across the module's doors, and what never comes out of them.

A partner application files a request through Open311; the commune's agent takes it into
account through the API, re-routes it to the intercommunalité, whose agent fixes it; the
Open311 request follows each step (state, service, public text), and the first agent can
no longer act. Then every public surface — the API, Open311, the pages, the tiles, the
search box, the figures — is read for a territory holding a public, a private, an
unconfirmed and a banned sender's report: only the public one comes out, and never a
reporter's address."""

import gzip
import uuid

import mapbox_vector_tile
import pytest

from carto_concertation.signalements.models import Report, ReportUpdate
from tests.factories import (
    ApiClientFactory,
    BannedSenderFactory,
    ConcertationFactory,
    RouteFactory,
    ServiceFactory,
    SignalementFactory,
    SpaceModuleFactory,
    UserFactory,
)
from tests.tiles.test_vector_tiles import tile_of

from .submit_world import inside, world_fixture  # noqa: F401 (the ``world`` fixture)

pytestmark = pytest.mark.django_db


def open311_request(client, world, pk: int) -> dict:
    response = client.get(
        f"/open311/v2/requests/{pk}.json", {"jurisdiction_id": world.territory.siren}
    )
    assert response.status_code == 200, response.content
    (request,) = response.json()
    return request


def test_a_request_filed_through_open311_lives_its_life_through_the_services(client, world):
    commune_agent, epci_agent = UserFactory(), UserFactory()
    route = RouteFactory(
        category=world.pothole,
        commune=world.first,
        service=ServiceFactory(
            territory=world.territory, commune=world.first, members=[commune_agent]
        ),
    )
    roads = ServiceFactory(territory=world.territory, name="Voirie de la CC", members=[epci_agent])
    ApiClientFactory(territory=world.territory, name="appli")
    place = inside(world.first)
    filed = client.post(
        "/open311/v2/requests.json",
        {
            "jurisdiction_id": world.territory.siren,
            "api_key": "cle-appli",
            "service_code": "nid-de-poule",
            "lat": place.y,
            "long": place.x,
            "description": "Un trou devant l'école",
            "email": f"riverain-{uuid.uuid4().hex}@example.org",
            "attribute[profondeur]": "8",
        },
    )
    assert filed.status_code == 201, filed.content
    pk = filed.json()[0]["service_request_id"]
    request = open311_request(client, world, pk)
    assert (request["status"], request["agency_responsible"]) == ("open", route.service.name)

    client.force_login(commune_agent)
    api = f"/api/v1/signalements/reports/{pk}/"
    taken = client.post(
        api + "state", {"state": "acknowledged", "text": "Vu, nous passons."}, "application/json"
    )
    assert taken.status_code in (200, 201), taken.content
    request = open311_request(client, world, pk)
    assert request["status"] == "open" and request["status_notes"] == "Vu, nous passons."

    sent = client.post(
        api + "reroute", {"service": roads.pk, "text": "Voirie intercommunale"}, "application/json"
    )
    assert sent.status_code in (200, 201), sent.content
    assert open311_request(client, world, pk)["agency_responsible"] == roads.name
    # The routing decides: the commune's agent may no longer act on it.
    refused = client.post(api + "state", {"state": "fixed", "text": "Fait"}, "application/json")
    assert refused.status_code == 403

    client.force_login(epci_agent)
    fixed = client.post(
        api + "state", {"state": "fixed", "text": "Rebouché ce matin."}, "application/json"
    )
    assert fixed.status_code in (200, 201), fixed.content
    client.logout()
    request = open311_request(client, world, pk)
    assert request["status"] == "closed" and request["status_notes"] == "Rebouché ce matin."
    report = Report.objects.get(pk=pk)
    assert report.acknowledged_at and report.fixed_at
    assert list(report.updates.values_list("kind", flat=True)) == [
        ReportUpdate.Kind.CREATED,
        ReportUpdate.Kind.STATE,
        ReportUpdate.Kind.REROUTED,
        ReportUpdate.Kind.STATE,
    ]


def test_only_the_public_report_comes_out_of_any_public_door(client, world):
    space = ConcertationFactory(territory=world.territory, perimeter=world.territory.geom)
    SpaceModuleFactory(concertation=space, module="signalements")
    banned = BannedSenderFactory(territory=world.territory, email="banni@example.org")
    word = "lampadaire"

    def filed(**fields):
        fields.setdefault("email", "riverain@example.org")
        return SignalementFactory(
            category=world.lighting,
            author=None,
            geom=inside(world.first).transform(2154, clone=True),
            description=f"Le {word} clignote",
            **fields,
        )

    public = filed()
    private = filed(is_public=False)
    unconfirmed = filed(state=Report.State.UNCONFIRMED, confirmed_at=None)
    hidden = filed(is_hidden=True, email=banned.email)
    others = {private.pk, unconfirmed.pk, hidden.pk}
    siren = world.territory.siren

    listed = client.get("/api/v1/signalements/reports", {"territory": siren}).json()
    assert {feature["id"] for feature in listed["features"]} == {public.pk}
    for pk in others:
        assert client.get(f"/api/v1/signalements/reports/{pk}").status_code == 404
        assert client.get(f"/signalements/{pk}/").status_code == 404
        assert (
            client.get(f"/open311/v2/requests/{pk}.json", {"jurisdiction_id": siren}).status_code
            == 404
        )
    place = inside(world.first)
    nearby = client.get(
        "/api/v1/signalements/reports/nearby",
        {"category": world.lighting.pk, "longitude": place.x, "latitude": place.y},
    )
    assert nearby.status_code == 200, nearby.content
    requests = client.get("/open311/v2/requests.json", {"jurisdiction_id": siren}).json()
    assert [request["service_request_id"] for request in requests] == [public.pk]

    point = public.geom.transform(3857, clone=True)
    x, y = tile_of(point.x, point.y, 14)
    tile = client.get(
        f"/tiles/signalements-{space.slug}/14/{x}/{y}.mvt", headers={"accept-encoding": "gzip"}
    )
    decoded = mapbox_vector_tile.decode(gzip.decompress(tile.content))
    assert {feature["id"] for feature in decoded["signalements"]["features"]} == {public.pk}

    found = client.get(f"/api/v1/concertations/{space.slug}/search", {"q": word})
    assert found.status_code == 200, found.content
    figures = client.get(f"/api/v1/concertations/{space.slug}/figures/communes").json()
    page = client.get(f"/signalements/{space.slug}/")
    assert page.status_code == 200
    surfaces = {
        "list": listed,
        "nearby": nearby.json(),
        "open311": requests,
        "search": found.json(),
        "figures": figures,
        "page": page.content.decode(),
    }
    for name, body in surfaces.items():
        text = str(body)
        assert "riverain@example.org" not in text and banned.email not in text, name
    assert sum(row["figures"]["signalements"] for row in figures) == 1
    (group,) = [g for g in found.json()["groups"] if g["kind"] == "signalements"]
    assert [result["url"] for result in group["results"]] == [f"/signalements/{public.pk}/"]
    for pk in others:
        assert f"/signalements/{pk}/" not in surfaces["page"]
