# SPDX-License-Identifier: AGPL-3.0-or-later
"""Open311 GeoReport v2 at /open311/v2/: the shapes of the spec in XML and JSON, the
filters and defaults of GET requests, the privacy of the reports (never a private, hidden
or unconfirmed one, never the reporter), POST requests with a partner's key, tokens, and
every refusal as the spec's error list, writing nothing."""

import re
import uuid
from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.test import Client
from django.utils import timezone

from carto_concertation.signalements.models import CategoryQuestion, Report
from carto_concertation.signalements.open311 import views
from carto_concertation.territories.services import territory_modules_switch
from tests.factories import TerritoryFactory, UserFactory
from tests.factories.signalements import (
    ApiClientFactory,
    BannedSenderFactory,
    CategoryFactory,
    CategoryQuestionFactory,
    ReportFactory,
    ReportPhotoFactory,
    ReportUpdateFactory,
    ServiceFactory,
)

from .submit_world import inside, world_fixture  # noqa: F401 (the ``world`` fixture)

W3C = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$")


def get(client, path: str, world, **params):
    params.setdefault("jurisdiction_id", world.territory.siren)
    return client.get(f"/open311/v2/{path}", params)


def xml(response) -> ElementTree.Element:
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    return ElementTree.fromstring(response.content)  # noqa: S314 (our own answer)


def errors(response) -> list[dict]:
    """The error list, checked to be the spec's in either format."""
    if response["Content-Type"].startswith("text/xml"):
        root = xml(response)
        assert root.tag == "errors"
        return [
            {"code": int(e.findtext("code")), "description": e.findtext("description")}
            for e in root.findall("error")
        ]
    body = response.json()
    assert isinstance(body, list) and body
    assert all(set(error) == {"code", "description"} for error in body)
    return body


def report(world, **fields) -> Report:
    fields.setdefault("category", world.pothole)
    return ReportFactory(**fields)


# Discovery and services


def test_discovery_names_the_endpoint_and_its_formats(client, world):
    root = xml(client.get("/open311/v2/discovery.xml"))
    assert root.tag == "discovery"
    endpoint = root.find("endpoints/endpoint")
    assert endpoint.findtext("url") == "http://testserver/open311/v2"
    assert endpoint.findtext("specification") == views.SPECIFICATION
    assert [f.text for f in endpoint.findall("formats/format")] == ["text/xml", "application/json"]
    body = client.get("/open311/v2/discovery.json").json()
    assert body["endpoints"][0]["formats"] == ["text/xml", "application/json"]
    assert W3C.match(body["changeset"])


def test_services_are_the_active_leaf_categories_grouped_by_their_parent(client, world):
    CategoryFactory(territory=world.territory, code="ancienne", active=False)
    CategoryFactory(code="ailleurs")  # another territory's
    CategoryQuestionFactory(category=world.lighting, code="numero", required=False)
    world.lighting.keywords = "lampadaire, candélabre"
    world.lighting.description = "Un point lumineux éteint ou qui clignote."
    world.lighting.position = 5  # after the group Voirie
    world.lighting.save()
    body = get(client, "services.json", world).json()
    assert [s["service_code"] for s in body] == ["nid-de-poule", "eclairage"]
    pothole, lighting = body
    assert lighting == {
        "service_code": "eclairage",
        "service_name": "Éclairage public",
        "description": "Un point lumineux éteint ou qui clignote.",
        "metadata": True,
        "type": "realtime",
        "keywords": "lampadaire, candélabre",
        "group": "",
    }
    assert pothole["group"] == "Voirie"
    root = xml(get(client, "services.xml", world))
    assert root.tag == "services"
    services = root.findall("service")
    assert [s.findtext("service_code") for s in services] == ["nid-de-poule", "eclairage"]
    assert services[1].findtext("metadata") == "true"
    assert services[0].findtext("group") == "Voirie"


def test_a_service_definition_gives_its_questions_as_attributes(client, world):
    CategoryQuestionFactory(
        category=world.pothole,
        code="danger",
        label="Est-ce dangereux ?",
        kind=CategoryQuestion.Kind.CHOICE,
        choices=[{"key": "oui", "name": "Oui"}, {"key": "non", "name": "Non"}],
        position=2,
    )
    CategoryQuestionFactory(category=world.pothole, code="detail", position=3)
    body = get(client, "services/nid-de-poule.json", world).json()
    assert body["service_code"] == "nid-de-poule"
    depth, danger, detail = body["attributes"]
    assert depth == {
        "variable": True,
        "code": "profondeur",
        "datatype": "number",
        "required": True,
        "datatype_description": "",
        "order": 1,
        "description": "Profondeur (cm) ?",
        "values": [],
    }
    assert (danger["datatype"], danger["required"], danger["order"]) == (
        "singlevaluelist",
        False,
        2,
    )
    assert danger["values"] == [{"key": "oui", "name": "Oui"}, {"key": "non", "name": "Non"}]
    assert detail["datatype"] == "text"
    root = xml(get(client, "services/nid-de-poule.xml", world))
    assert root.tag == "service_definition"
    attributes = root.findall("attributes/attribute")
    assert [a.findtext("code") for a in attributes] == ["profondeur", "danger", "detail"]
    assert [v.findtext("key") for v in attributes[1].findall("values/value")] == ["oui", "non"]


@pytest.mark.parametrize("code", ["voirie", "inconnu", "ailleurs"])
def test_a_service_that_is_not_one_here_is_a_404_error_list(client, world, code):
    CategoryFactory(code="ailleurs")
    response = get(client, f"services/{code}.xml", world)
    assert response.status_code == 404
    assert errors(response)[0]["code"] == 404


# Jurisdictions and formats


def test_an_unknown_jurisdiction_is_a_404(client, world):
    response = client.get("/open311/v2/services.json", {"jurisdiction_id": "999999999"})
    assert response.status_code == 404
    assert "jurisdiction_id" in errors(response)[0]["description"]


def test_the_jurisdiction_may_be_left_out_only_where_there_is_one_territory(client, world):
    assert client.get("/open311/v2/services.json").status_code == 200
    TerritoryFactory()
    response = client.get("/open311/v2/services.json")
    assert response.status_code == 400
    assert "jurisdiction_id" in errors(response)[0]["description"]


def test_a_territory_where_the_module_is_off_is_no_jurisdiction(client, world):
    territory_modules_switch(territory=world.territory, modules_off=["signalements"])
    assert get(client, "services.json", world).status_code == 404
    assert get(client, "requests.xml", world).status_code == 404


def test_another_format_is_a_404(client, world):
    assert get(client, "services.html", world).status_code == 404


# Requests: shapes and privacy


def test_a_request_shows_its_state_service_last_public_update_and_place(client, world):
    service = ServiceFactory(territory=world.territory, name="Voirie de la commune")
    filed = report(world, service=service, state=Report.State.IN_PROGRESS, address="Rue Haute")
    ReportUpdateFactory(report=filed, text="Nous passerons jeudi.")
    ReportUpdateFactory(report=filed, text="")  # a step without a text says nothing
    ReportPhotoFactory(report=filed)
    (row,) = get(client, f"requests/{filed.pk}.json", world).json()
    place = filed.geom.transform(4326, clone=True)
    assert row["service_request_id"] == filed.pk
    assert (row["status"], row["detailed_status"]) == ("open", "IN_PROGRESS")
    assert row["status_notes"] == "Nous passerons jeudi."
    assert row["agency_responsible"] == "Voirie de la commune"
    assert (row["service_code"], row["service_name"]) == ("nid-de-poule", "Nid-de-poule")
    assert row["description"] == filed.description
    assert row["address"] == "Rue Haute"
    assert W3C.match(row["requested_datetime"]) and W3C.match(row["updated_datetime"])
    assert row["lat"] == pytest.approx(place.y, abs=1e-6)
    assert row["long"] == pytest.approx(place.x, abs=1e-6)
    photo = filed.photos.get()
    assert row["media_url"] == f"http://testserver/api/v1/signalements/photos/{photo.pk}"
    root = xml(get(client, f"requests/{filed.pk}.xml", world))
    assert root.tag == "service_requests"
    (request,) = root.findall("request")
    assert request.findtext("service_request_id") == str(filed.pk)
    assert request.findtext("status") == "open"
    assert request.findtext("expected_datetime") == ""


@pytest.mark.parametrize(
    ("state", "status", "detailed"),
    [
        (Report.State.OPEN, "open", "OPEN"),
        (Report.State.ACKNOWLEDGED, "open", "INVESTIGATING"),
        (Report.State.FIXED, "closed", "FIXED"),
        (Report.State.NOT_FIXED, "closed", "NO_FURTHER_ACTION"),
        (Report.State.NOT_RESPONSIBLE, "closed", "NOT_COUNCILS_RESPONSIBILITY"),
    ],
)
def test_our_states_are_open_or_closed_with_the_detailed_state(
    client, world, state, status, detailed
):
    filed = report(world, state=state)
    (row,) = get(client, f"requests/{filed.pk}.json", world).json()
    assert (row["status"], row["detailed_status"]) == (status, detailed)


def test_a_duplicate_is_closed(client, world):
    original = report(world)
    twin = report(world, state=Report.State.DUPLICATE, duplicate_of=original)
    (row,) = get(client, f"requests/{twin.pk}.json", world).json()
    assert (row["status"], row["detailed_status"]) == ("closed", "DUPLICATE")


def test_private_hidden_and_unconfirmed_reports_are_never_listed_nor_found(client, world):
    resident = UserFactory(pseudonym="Camille Dupont", email="camille@example.org")
    shown = report(world, author=resident)
    unseen = [
        report(world, is_public=False),
        report(world, is_hidden=True),
        report(
            world,
            state=Report.State.UNCONFIRMED,
            confirmed_at=None,
            author=None,
            email="x@example.org",
        ),
    ]
    ids = ",".join(str(r.pk) for r in [shown, *unseen])
    for fmt in ("json", "xml"):
        listed = get(client, f"requests.{fmt}", world)
        by_id = get(client, f"requests.{fmt}", world, service_request_id=ids)
        for response in (listed, by_id):
            assert response.status_code == 200
            body = response.content.decode()
            assert f">{shown.pk}<" in body or f'"service_request_id":{shown.pk}' in body
            for hidden in unseen:
                assert f">{hidden.pk}<" not in body
                assert f'"service_request_id":{hidden.pk},' not in body
            for personal in ("Camille", "Dupont", "camille@example.org", "x@example.org"):
                assert personal not in body
        for hidden in unseen:
            response = get(client, f"requests/{hidden.pk}.{fmt}", world)
            assert response.status_code == 404
            assert errors(response)[0]["code"] == 404


def test_a_report_of_another_territory_is_not_found_here(client, world):
    elsewhere = ReportFactory()
    assert get(client, f"requests/{elsewhere.pk}.json", world).status_code == 404
    assert get(client, "requests/abc.json", world).status_code == 404


# Requests: filters and defaults


def _ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["service_request_id"] for row in response.json()]


def test_requests_are_those_of_the_last_90_days_newest_first(client, world):
    now = timezone.now()
    old = report(world, confirmed_at=now - timedelta(days=100))
    older = report(world, confirmed_at=now - timedelta(days=10))
    newer = report(world, confirmed_at=now - timedelta(days=1))
    assert _ids(get(client, "requests.json", world)) == [newer.pk, older.pk]
    # The ids asked for override the window.
    assert _ids(
        get(client, "requests.json", world, service_request_id=f"{old.pk}, {newer.pk}")
    ) == [
        newer.pk,
        old.pk,
    ]


def test_the_dates_status_and_service_code_filter(client, world):
    now = timezone.now()
    old = report(world, confirmed_at=now - timedelta(days=100), state=Report.State.FIXED)
    recent = report(world, confirmed_at=now - timedelta(days=5))
    lamp = report(world, category=world.lighting, confirmed_at=now - timedelta(days=2))
    start = (now - timedelta(days=120)).isoformat()
    end = (now - timedelta(days=50)).isoformat()
    assert _ids(get(client, "requests.json", world, start_date=start, end_date=end)) == [old.pk]
    assert _ids(get(client, "requests.json", world, start_date=start)) == [old.pk]
    assert _ids(get(client, "requests.json", world, end_date=end)) == [old.pk]
    assert _ids(get(client, "requests.json", world, status="open")) == [lamp.pk, recent.pk]
    assert _ids(get(client, "requests.json", world, status="open,closed")) == [lamp.pk, recent.pk]
    assert _ids(get(client, "requests.json", world, status="closed", start_date=start)) == [old.pk]
    assert _ids(get(client, "requests.json", world, service_code="eclairage")) == [lamp.pk]
    assert _ids(get(client, "requests.json", world, service_code="eclairage,nid-de-poule")) == [
        lamp.pk,
        recent.pk,
    ]
    # An empty argument is an absent one (the spec).
    assert _ids(get(client, "requests.json", world, status="", service_code="")) == [
        lamp.pk,
        recent.pk,
    ]


def test_at_most_the_limit_of_requests_is_answered(client, world, monkeypatch):
    monkeypatch.setattr(views, "MAX_REQUESTS", 2)
    made = [report(world, confirmed_at=timezone.now() - timedelta(hours=n)) for n in range(3)]
    assert _ids(get(client, "requests.json", world)) == [made[0].pk, made[1].pk]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"status": "ouvert"}, "status"),
        ({"service_request_id": "12,douze"}, "service_request_id"),
        ({"start_date": "hier"}, "start_date"),
        ({"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-06-01T00:00:00Z"}, "end_date"),
        ({"start_date": "2026-06-01T00:00:00Z", "end_date": "2026-01-01T00:00:00Z"}, "end_date"),
    ],
)
def test_a_bad_filter_is_a_400_naming_it(client, world, params, field):
    for fmt in ("json", "xml"):
        response = get(client, f"requests.{fmt}", world, **params)
        assert response.status_code == 400
        (error,) = errors(response)
        assert error["code"] == 400
        assert error["description"].startswith(f"{field}: ")


# POST requests


@pytest.fixture
def partner(world):
    return ApiClientFactory(territory=world.territory, name="appli")


def post(client, world, fmt: str = "json", **fields):
    fields.setdefault("jurisdiction_id", world.territory.siren)
    return client.post(
        f"/open311/v2/requests.{fmt}", {k: v for k, v in fields.items() if v is not None}
    )


def pothole_fields(world, **fields) -> dict:
    """A whole request; an address of its own each time (the limit per address counts in
    Redis, across tests)."""
    place = inside(world.first)
    return {
        "api_key": "cle-appli",
        "service_code": "nid-de-poule",
        "lat": place.y,
        "long": place.x,
        "description": "Un trou profond devant l'école",
        "email": f"riverain-{uuid.uuid4().hex}@example.org",
        "attribute[profondeur]": "12",
        "first_name": "Jeanne",
        "last_name": "Martin",
        "phone": "0600000000",
        "media_url": "http://example.org/trou.jpg",
    } | fields


def test_a_partner_posts_a_request_which_is_public_at_once(client, world, partner):
    fields = pothole_fields(world)
    response = post(Client(enforce_csrf_checks=True), world, **fields)
    assert response.status_code == 201, response.content
    (row,) = response.json()
    filed = Report.objects.get()
    assert row == {"service_request_id": filed.pk, "service_notice": "", "account_id": None}
    assert (filed.source, filed.api_client, filed.state) == ("open311", partner, Report.State.OPEN)
    assert filed.answers == {"profondeur": 12}
    assert filed.email == fields["email"]
    assert filed.author is None
    kept = " ".join(str(value) for value in Report.objects.values().get().values())
    for dropped in ("Jeanne", "Martin", "0600000000", "trou.jpg"):
        assert dropped not in kept
    (listed,) = get(client, f"requests/{filed.pk}.json", world).json()
    assert fields["email"] not in str(listed)


def test_the_xml_answer_of_a_post(client, world, partner):
    root = xml(post(client, world, "xml", **pothole_fields(world)))
    assert root.tag == "service_requests"
    assert root.findtext("request/service_request_id") == str(Report.objects.get().pk)


def test_a_banned_senders_request_gets_a_token_that_never_gives_a_number(client, world, partner):
    banned = BannedSenderFactory(
        territory=world.territory, email=f"importun-{uuid.uuid4().hex}@example.org"
    )
    response = post(client, world, **pothole_fields(world, email=banned.email))
    assert response.status_code == 201
    (row,) = response.json()
    filed = Report.objects.get()
    assert filed.is_hidden
    assert set(row) == {"token", "service_notice", "account_id"}
    assert row["token"] == str(filed.token)
    assert get(client, f"tokens/{row['token']}.json", world).json() == [
        {"service_request_id": None, "token": row["token"]}
    ]


def test_a_token_gives_the_number_of_a_public_request(client, world):
    filed = report(world, state=Report.State.UNCONFIRMED, confirmed_at=None)
    assert get(client, f"tokens/{filed.token}.json", world).json()[0]["service_request_id"] is None
    filed.state = Report.State.OPEN
    filed.save()
    assert get(client, f"tokens/{filed.token}.json", world).json() == [
        {"service_request_id": filed.pk, "token": str(filed.token)}
    ]
    root = xml(get(client, f"tokens/{filed.token}.xml", world))
    assert root.findtext("request/service_request_id") == str(filed.pk)
    assert root.findtext("request/token") == str(filed.token)


@pytest.mark.parametrize("token", ["12345678-1234-5678-1234-567812345678", "pas-un-jeton"])
def test_an_unknown_token_is_a_404(client, world, token):
    response = get(client, f"tokens/{token}.xml", world)
    assert response.status_code == 404
    assert errors(response)[0]["code"] == 404


def test_a_token_of_another_territory_is_not_found_here(client, world):
    elsewhere = ReportFactory()
    assert get(client, f"tokens/{elsewhere.token}.json", world).status_code == 404


@pytest.mark.parametrize(
    "api_key", [None, "", "cle-autre", "cle-ailleurs", "cle-eteinte"], ids=lambda k: repr(k)
)
def test_a_post_without_a_valid_key_of_the_territory_is_a_403(client, world, partner, api_key):
    ApiClientFactory(name="ailleurs")  # another territory's
    ApiClientFactory(territory=world.territory, name="eteinte", active=False)
    for fmt in ("json", "xml"):
        response = post(client, world, fmt, **pothole_fields(world, api_key=api_key))
        assert response.status_code == 403
        (error,) = errors(response)
        assert error["code"] == 403
        assert error["description"].startswith("api_key: ")
    assert not Report.objects.exists()


@pytest.mark.parametrize(
    ("fields", "status", "field"),
    [
        ({"service_code": "inconnu"}, 404, "service_code"),
        ({"service_code": "voirie"}, 404, "service_code"),  # not a leaf: no service
        ({"service_code": None}, 400, "service_code"),
        ({"lat": None, "long": None, "address_string": "2 rue Haute"}, 400, "lat"),
        ({"long": None}, 400, "lat"),
        ({"lat": "95"}, 400, "lat"),
        ({"lat": "0", "long": "0"}, 400, "location"),  # outside the territory
        ({"attribute[profondeur]": None}, 400, "attribute[profondeur]"),
        ({"attribute[profondeur]": "profond"}, 400, "attribute[profondeur]"),
        ({"description": None}, 400, "description"),
        ({"email": None}, 400, "email"),
        ({"email": "pas-une-adresse"}, 400, "email"),
    ],
)
def test_a_bad_post_is_refused_naming_the_field_and_writes_nothing(
    client, world, partner, fields, status, field
):
    for fmt in ("json", "xml"):
        response = post(client, world, fmt, **pothole_fields(world, **fields))
        assert response.status_code == status, response.content
        found = errors(response)
        assert {error["code"] for error in found} == {status}
        assert any(error["description"].startswith(f"{field}: ") for error in found), found
    assert not Report.objects.exists()


def test_a_post_to_an_unknown_jurisdiction_is_a_404(client, world, partner):
    response = post(client, world, **pothole_fields(world, jurisdiction_id="999999999"))
    assert response.status_code == 404
    assert not Report.objects.exists()


def test_anyone_reads_from_a_browser_but_no_browser_posts(client, world, partner):
    origin = {"HTTP_ORIGIN": "https://ailleurs.example"}
    read = client.get(
        "/open311/v2/services.json", {"jurisdiction_id": world.territory.siren}, **origin
    )
    assert read["Access-Control-Allow-Origin"] == "*"
    preflight = client.options(
        "/open311/v2/requests.json", HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST", **origin
    )
    assert "Access-Control-Allow-Origin" not in preflight


def test_one_address_files_at_most_its_limit_through_open311_too(client, world, partner):
    email = f"pressé-{uuid.uuid4().hex}@example.org"
    statuses = [
        post(client, world, **pothole_fields(world, email=email, api_key="")).status_code
        for _ in range(11)
    ]
    assert statuses == [403] * 10 + [429]
    response = post(client, world, "xml", **pothole_fields(world, email=email))
    assert response.status_code == 429
    assert errors(response)[0]["code"] == 429
    assert not Report.objects.exists()


def test_a_description_with_control_characters_is_still_xml(client, world):
    filed = report(world, description="Trou\x01 profond\x0b <ici> & là")
    root = xml(get(client, f"requests/{filed.pk}.xml", world))
    assert root.findtext("request/description") == "Trou profond <ici> & là"
    (row,) = get(client, f"requests/{filed.pk}.json", world).json()
    assert row["description"] == filed.description  # kept as typed


def test_a_server_without_a_territory_has_no_jurisdiction(client, db):
    response = client.get("/open311/v2/services.xml")
    assert response.status_code == 404
    assert errors(response)[0]["description"].startswith("jurisdiction_id: ")
