# SPDX-License-Identifier: AGPL-3.0-or-later
"""Third-party Open311 clients are the judges, against a live server: ``georeport`` (the
Python client of PyPI the issue names) reads our services, a definition and the requests
in both formats; it cannot post, so ``civicbot``'s Open311 client (the only Python 3
client of PyPI that posts) checks its request against our services and definition, posts
it with a key, and follows a token. Both parse what they get as the spec says."""

import uuid

import pytest
import requests
from civicbot.http import HttpError, HttpTransport, RateLimiter
from civicbot.open311 import CONFIRM_TOKEN, Open311Client
from civicbot.registry import Endpoint
from georeport import GeoReport

from carto_concertation.signalements.models import Report
from tests.factories.signalements import ApiClientFactory, ReportFactory, ReportUpdateFactory

from .submit_world import inside, world_fixture  # noqa: F401 (the ``world`` fixture)


@pytest.fixture
def endpoint(live_server) -> str:
    return f"{live_server.url}/open311/v2"


@pytest.fixture
def filed(world) -> list[Report]:
    open_one = ReportFactory(category=world.pothole, answers={"profondeur": 8})
    fixed = ReportFactory(category=world.lighting, state=Report.State.FIXED)
    ReportUpdateFactory(report=fixed, state_after=Report.State.FIXED, text="Ampoule changée.")
    return [open_one, fixed]


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_georeport_reads_the_services_a_definition_and_the_requests(endpoint, world, filed, fmt):
    client = GeoReport(endpoint, jurisdiction=world.territory.siren, output_format=fmt)
    services = client.get_service_list()
    assert [s["service_code"] for s in services] == ["nid-de-poule", "eclairage"]
    definition = client.get_service_definition("nid-de-poule")
    attributes = definition["attributes"]
    # xmltodict gives one element as a dict under its tag; JSON, the spec's list.
    attribute = attributes["attribute"] if fmt == "xml" else attributes[0]
    assert attribute["code"] == "profondeur"
    assert attribute["datatype"] == "number"
    listed = client.get_service_requests()
    assert [str(r["service_request_id"]) for r in listed] == [str(filed[1].pk), str(filed[0].pk)]
    closed = client.get_service_requests(status="closed")
    closed = closed if fmt == "xml" else closed[0]
    assert str(closed["service_request_id"]) == str(filed[1].pk)
    one = client.get_service_request(str(filed[1].pk))
    assert (one["status"], one["status_notes"]) == ("closed", "Ampoule changée.")
    assert one["agency_responsible"] in ("", None)  # routed to no service in this world


def test_the_discovery_document_names_this_endpoint(endpoint, world):
    discovery = requests.get(f"{endpoint}/discovery.json", timeout=10).json()
    assert discovery["endpoints"][0]["url"] == endpoint


def _civicbot(endpoint: str, world) -> Open311Client:
    return Open311Client(
        Endpoint(id="carto", name="carto-concertation", base_url=endpoint, write=True),
        transport=HttpTransport(rate_limiter=RateLimiter(min_interval=0)),
        jurisdiction_id=world.territory.siren,
    )


def test_civicbot_posts_a_request_checked_against_our_definition(endpoint, world):
    ApiClientFactory(territory=world.territory, name="appli")
    client = _civicbot(endpoint, world)
    place = inside(world.first)
    sent = client.create_request(
        "nid-de-poule",
        dry_run=False,
        confirm=CONFIRM_TOKEN,
        api_key="cle-appli",
        validate_remote=True,
        lat=place.y,
        lng=place.x,
        description="Un trou profond devant l'école",
        email=f"riverain-{uuid.uuid4().hex}@example.org",
        attributes={"profondeur": 12},
    )
    (answer,) = sent.response
    report = Report.objects.get()
    assert answer["service_request_id"] == report.pk
    assert (report.source, report.answers) == (Report.Source.OPEN311, {"profondeur": 12})
    shown = client.get_request(report.pk)
    assert (shown["service_code"], shown["status"]) == ("nid-de-poule", "open")
    assert client.get_token(str(report.token)) == [
        {"service_request_id": report.pk, "token": str(report.token)}
    ]


def test_civicbot_is_refused_without_a_valid_key(endpoint, world):
    client = _civicbot(endpoint, world)
    place = inside(world.first)
    with pytest.raises(HttpError) as refused:
        client.create_request(
            "nid-de-poule",
            dry_run=False,
            confirm=CONFIRM_TOKEN,
            api_key="pas-la-bonne",
            lat=place.y,
            lng=place.x,
            description="Un trou",
            email=f"riverain-{uuid.uuid4().hex}@example.org",
            attributes={"profondeur": 12},
        )
    assert refused.value.status == 403
    assert '"code":403' in refused.value.body
    assert not Report.objects.exists()
