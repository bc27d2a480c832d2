# SPDX-License-Identifier: AGPL-3.0-or-later
"""The residents' API of the signalements: categories, public reports, filing,
confirming, nearby. Bad input is a 400 naming the field with nothing written; private,
unconfirmed and hidden reports never show; the reporter is never named; the filing rate
limits hold under a burst."""

import json
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

import pytest
import yaml
from django.contrib.gis.geos import Point
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openapi_core import Config, OpenAPI
from openapi_core.contrib.django import DjangoOpenAPIRequest, DjangoOpenAPIResponse
from rest_framework.test import APIRequestFactory, force_authenticate

from carto_concertation.signalements.api.views import ReportListApi
from carto_concertation.signalements.models import Report, ReportPhoto
from carto_concertation.signalements.services.submission import report_confirmation_token
from tests.factories import TerritoryFactory, UserFactory
from tests.factories.signalements import (
    BannedSenderFactory,
    CategoryFactory,
    CategoryQuestionFactory,
    ReportFactory,
    ReportFollowerFactory,
    ReportPhotoFactory,
    ReportUpdateFactory,
    ServiceFactory,
)

from .submit_world import (
    inside,
    link_token,
    png_upload,
    world_fixture,  # noqa: F401 (the fixture "world")
)

pytestmark = pytest.mark.django_db

REPORTS = "/api/v1/signalements/reports"
CATEGORIES = "/api/v1/signalements/categories"
NEARBY = "/api/v1/signalements/reports/nearby"
CONFIRM = "/api/v1/signalements/confirm"


def fresh_address() -> str:
    """A loopback address of its own: no other test's filings count with this one's."""
    n = uuid.uuid4().int
    return f"127.{n % 250 + 2}.{n // 250 % 250}.{n // 62500 % 250 + 1}"


@pytest.fixture
def api() -> Client:
    return Client(REMOTE_ADDR=fresh_address())


def an_address(name: str = "habitant") -> str:
    """An address of its own: the filings per address count across the tests' run."""
    return f"{name}-{uuid.uuid4().hex[:8]}@example.org"


def body(world, **overrides) -> dict:
    point = inside(world.first)
    return {
        "territory": world.territory.siren,
        "category": str(world.lighting.pk),
        "longitude": point.x,
        "latitude": point.y,
        "description": "Le lampadaire devant l'école est éteint.",
    } | overrides


def post(api: Client, data: dict):
    return api.post(REPORTS, json.dumps(data), content_type="application/json")


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [feature["id"] for feature in response.json()["features"]]


# --- Categories --------------------------------------------------------------------------


def test_the_category_tree_with_its_questions(api, world):
    CategoryFactory(territory=world.territory, parent=world.voirie, code="vieux", active=False)
    response = api.get(CATEGORIES, {"territory": world.territory.siren})
    assert response.status_code == 200
    tree = {node["code"]: node for node in response.json()}
    assert set(tree) == {"voirie", "eclairage"}
    [pothole] = tree["voirie"]["children"]
    assert pothole["code"] == "nid-de-poule"
    assert pothole["questions"] == [
        {
            "code": "profondeur",
            "label": "Profondeur (cm) ?",
            "kind": "number",
            "choices": [],
            "required": True,
        }
    ]
    assert tree["eclairage"]["children"] == []


@pytest.mark.parametrize("query", [{}, {"territory": "12"}, {"territory": "123456789"}])
def test_categories_need_a_territory_taking_reports(api, world, query):
    response = api.get(CATEGORIES, query)
    assert response.status_code == 400
    assert list(response.json()) == ["territory"]


# --- Filing -------------------------------------------------------------------------------


def test_a_signed_in_resident_files_a_report_read_back_without_their_name(api, world):
    resident = UserFactory(pseudonym="Camille")
    api.force_login(resident)
    typed = "  Lampadaire <b>éteint</b> & clignote…\n"
    response = post(api, body(world, description=typed))
    assert response.status_code == 201, response.content
    report = Report.objects.get()
    assert response.json() == {"id": report.pk, "state": "open"}
    assert report.author == resident
    assert report.description == typed

    detail = Client().get(f"{REPORTS}/{report.pk}")
    assert detail.status_code == 200
    feature = detail.json()
    assert feature["properties"]["description"] == typed
    assert feature["properties"]["service"] == world.triage.name
    assert [step["kind"] for step in feature["properties"]["history"]] == ["created"]
    for text in (detail.content.decode(), Client().get(REPORTS).content.decode()):
        assert "Camille" not in text and resident.email not in text
        assert '"author"' not in text and '"email"' not in text
    assert feature["geometry"]["type"] == "Point"
    lon, lat = feature["geometry"]["coordinates"]
    assert (round(lon, 5), round(lat, 5)) == (
        round(body(world)["longitude"], 5),
        round(body(world)["latitude"], 5),
    )


def test_filing_with_an_address_then_confirming_publishes_it(
    api, world, mailoutbox, eager_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(api, body(world, email=an_address()))
    assert response.status_code == 201
    assert response.json() == {"id": None, "state": "unconfirmed"}
    report = Report.objects.get()
    assert ids(Client().get(REPORTS)) == []
    assert Client().get(f"{REPORTS}/{report.pk}").status_code == 404
    [mail] = mailoutbox
    token = link_token(mail)

    with django_capture_on_commit_callbacks(execute=True):
        confirmed = api.post(CONFIRM, {"token": token}, content_type="application/json")
    assert confirmed.status_code == 200
    assert confirmed.json() == {"id": report.pk, "state": "open"}
    assert ids(Client().get(REPORTS)) == [report.pk]
    assert mailoutbox[-1].to == [world.triage.email]
    history = Client().get(f"{REPORTS}/{report.pk}").json()["properties"]["history"]
    assert [step["kind"] for step in history] == ["created", "confirmed"]

    bad = api.post(CONFIRM, {"token": token + "x"}, content_type="application/json")
    assert bad.status_code == 400 and list(bad.json()) == ["token"]


def test_the_confirmation_page_asks_then_confirms(api, world):
    report = ReportFactory(
        category=world.lighting, author=None, email="a@example.org", state="unconfirmed"
    )
    path = f"/signalements/confirmer/{report_confirmation_token(report=report)}/"
    assert api.get(path).status_code == 200
    report.refresh_from_db()
    assert report.state == Report.State.UNCONFIRMED  # a link checker's GET changes nothing
    assert api.post(path).status_code == 200
    report.refresh_from_db()
    assert report.state == Report.State.OPEN
    assert api.post("/signalements/confirmer/1:forged:xyz/").status_code == 400


def _question_required(world):
    CategoryQuestionFactory(category=world.lighting, code="hauteur", kind="number", required=True)


BAD_INPUTS = [
    ("territory", {"territory": "123456789"}),
    ("territory", {"territory": "abc"}),
    ("category", {"category": "999999"}),
    ("category", {"category": "voirie"}),  # has sub-categories
    ("category", {"category": "nid-de-poule\x00"}),
    ("location", {"longitude": 2.0, "latitude": 48.8}),  # Paris, outside
    ("longitude", {"longitude": 200}),
    ("latitude", {"latitude": "nord"}),
    ("description", {"description": ""}),
    ("description", {"description": "x" * 3001}),
    ("description", {"description": "a\x00b"}),
    ("answers", {"answers": []}),
    ("answers", {"answers": {"hauteur": "haut"}}),
    ("answers", {}),  # the required question left out
    ("email", {"email": "pas-une-adresse"}),
]


@pytest.mark.parametrize(("field", "change"), BAD_INPUTS)
def test_bad_input_names_the_field_and_writes_nothing(
    api, world, field, change, mailoutbox, eager_tasks, django_capture_on_commit_callbacks
):
    _question_required(world)
    data = body(world, email=an_address(), answers={"hauteur": 4}) | change
    if field == "answers" and change == {}:
        del data["answers"]
    with django_capture_on_commit_callbacks(execute=True):
        response = post(api, data)
    assert response.status_code == 400, response.content
    assert field in response.json(), response.json()
    assert not Report.objects.exists()
    assert mailoutbox == []


def test_anonymous_without_an_address_is_told_to_give_one(api, world):
    response = post(api, body(world))
    assert response.status_code == 400
    assert list(response.json()) == ["email"]


def test_a_multipart_filing_with_photos(api, world):
    api.force_login(UserFactory())
    data = body(world, answers=json.dumps({})) | {"photos": [png_upload(), png_upload("b.png")]}
    response = api.post(REPORTS, data)
    assert response.status_code == 201, response.content
    report = Report.objects.get()
    assert report.is_public  # a form leaves the box out: public by default
    photos = Client().get(f"{REPORTS}/{report.pk}").json()["properties"]["photos"]
    assert len(photos) == 2
    image = Client().get(photos[0]["url"])
    assert image.status_code == 200
    assert image["Content-Type"] == "image/jpeg"


def test_a_file_that_is_not_a_photo_is_refused(api, world):
    api.force_login(UserFactory())
    fake = SimpleUploadedFile("photo.jpg", b"GIF89a not really", content_type="image/jpeg")
    response = api.post(REPORTS, body(world) | {"photos": [png_upload(), fake]})
    assert response.status_code == 400
    assert list(response.json()) == ["photos"]
    assert not Report.objects.exists() and not ReportPhoto.objects.exists()


def test_a_filled_honeypot_writes_nothing_and_answers_like_a_success(
    api, world, mailoutbox, eager_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        trap = post(api, body(world, email=an_address("robot"), honeypot="http://spam"))
    resident = an_address()
    with django_capture_on_commit_callbacks(execute=True):
        real = post(api, body(world, email=resident))
    assert trap.status_code == real.status_code == 201
    assert trap.json() == real.json() == {"id": None, "state": "unconfirmed"}
    assert list(Report.objects.values_list("email", flat=True)) == [resident]
    assert [m.to for m in mailoutbox] == [[resident]]


# --- What the public reads --------------------------------------------------------------


def test_private_unconfirmed_and_hidden_reports_never_show_in_public(api, world):
    author = UserFactory()
    agent = UserFactory()
    service = ServiceFactory(territory=world.territory, members=[agent])
    public = ReportFactory(category=world.lighting, service=service)
    private = ReportFactory(
        category=world.lighting, author=author, is_public=False, service=service
    )
    unconfirmed = ReportFactory(
        category=world.lighting, author=None, email="x@example.org", state="unconfirmed"
    )
    hidden = ReportFactory(category=world.lighting, author=author, is_hidden=True, service=service)
    photo = ReportPhotoFactory(report=private)

    assert ids(api.get(REPORTS)) == [public.pk]
    for report in (private, unconfirmed, hidden):
        assert api.get(f"{REPORTS}/{report.pk}").status_code == 404
    assert api.get(f"/api/v1/signalements/photos/{photo.pk}").status_code == 404

    api.force_login(author)
    assert api.get(f"{REPORTS}/{private.pk}").status_code == 200
    assert api.get(f"{REPORTS}/{hidden.pk}").status_code == 404  # not even to its author
    photo_answer = api.get(f"/api/v1/signalements/photos/{photo.pk}")
    assert photo_answer.status_code == 200
    assert photo_answer["Cache-Control"] == "private, no-store"
    assert ids(api.get(REPORTS)) == [public.pk]  # the public list stays public

    api.force_login(agent)
    assert api.get(f"{REPORTS}/{hidden.pk}").status_code == 200


def test_a_banned_senders_report_is_hidden_everywhere(api, world):
    banned = UserFactory()
    BannedSenderFactory(territory=world.territory, user=banned, email="")
    api.force_login(banned)
    response = post(api, body(world))
    assert response.status_code == 201
    report = Report.objects.get()
    assert response.json() == {"id": report.pk, "state": "open"}
    assert report.is_hidden
    anyone = Client()
    assert ids(anyone.get(REPORTS)) == []
    assert anyone.get(f"{REPORTS}/{report.pk}").status_code == 404
    point = body(world)
    near = {
        "category": world.lighting.pk,
        "longitude": point["longitude"],
        "latitude": point["latitude"],
    }
    assert ids(anyone.get(NEARBY, near)) == []


def test_the_history_is_public_texts_and_services_never_agents(api, world):
    agent = UserFactory(pseudonym="Agent Dupont")
    report = ReportFactory(category=world.lighting)
    ReportUpdateFactory(report=report, author=agent, text="Intervention prévue mardi.")
    ReportFollowerFactory(report=report)
    ReportFollowerFactory(report=report)
    feature = api.get(f"{REPORTS}/{report.pk}").json()
    assert feature["properties"]["follower_count"] == 2
    assert feature["properties"]["history"][-1]["text"] == "Intervention prévue mardi."
    assert "Agent Dupont" not in json.dumps(feature)


def test_the_list_filters(api, world):
    other = TerritoryFactory(communes=1)
    elsewhere = ReportFactory(category=CategoryFactory(territory=other))
    pothole = ReportFactory(category=world.pothole, state="acknowledged")
    light_first = ReportFactory(category=world.lighting)
    light_second = ReportFactory(
        category=world.lighting, commune=world.second, geom=world.second.geom.centroid
    )
    fixed = ReportFactory(category=world.lighting, state="fixed")

    def listed(**query):
        return set(ids(api.get(REPORTS, query)))

    assert listed() == {elsewhere.pk, pothole.pk, light_first.pk, light_second.pk, fixed.pk}
    assert listed(territory=other.siren) == {elsewhere.pk}
    assert listed(category=str(world.voirie.pk)) == {pothole.pk}  # with its children
    assert listed(state="open,fixed", territory=world.territory.siren) == {
        light_first.pk,
        light_second.pk,
        fixed.pk,
    }
    assert listed(commune=world.second.insee) == {light_second.pk}
    centre = inside(world.second)
    box = f"{centre.x - 0.01},{centre.y - 0.01},{centre.x + 0.01},{centre.y + 0.01}"
    assert listed(bbox=box) == {light_second.pk}


@pytest.mark.parametrize(
    "query",
    [
        {"state": "unconfirmed"},
        {"category": "abc"},
        {"commune": "1\x00"},
        {"territory": "x"},
        {"bbox": "1,2,3"},
    ],
)
def test_a_bad_filter_is_a_400_naming_it(api, world, query):
    response = api.get(REPORTS, query)
    assert response.status_code == 400
    assert list(response.json()) == list(query)


def test_the_answers_are_as_the_schema_describes_them(api, world):
    """openapi-core checks real answers against the published schema."""
    schema = yaml.safe_load(api.get("/api/v1/schema/").content)
    config = Config(extra_media_type_deserializers={"application/geo+json": json.loads})
    openapi = OpenAPI.from_dict(schema, config=config)
    report = ReportFactory(
        category=world.pothole, answers={"profondeur": 12}, geom=world.first.geom.centroid
    )
    ReportPhotoFactory(report=report)
    ReportUpdateFactory(report=report)
    point = inside(world.first)
    geojson = ("application/json", "application/geo+json")
    paths = [
        (f"{CATEGORIES}?territory={world.territory.siren}", ("application/json",)),
        (REPORTS, geojson),
        (f"{REPORTS}/{report.pk}", geojson),
        (f"{NEARBY}?category={world.pothole.pk}&longitude={point.x}&latitude={point.y}", geojson),
    ]
    for path, accepted in paths:
        for accept in accepted:
            response = api.get(path, headers={"accept": accept})
            assert response.status_code == 200, (path, response.content)
            if accepted is geojson:  # the report is among what is answered
                assert f'"id":{report.pk},' in response.content.decode().replace(" ", "")
            openapi.validate_response(
                DjangoOpenAPIRequest(response.wsgi_request), DjangoOpenAPIResponse(response)
            )
    api.force_login(UserFactory())
    filed = post(api, body(world))
    assert filed.status_code == 201
    openapi.validate_response(
        DjangoOpenAPIRequest(filed.wsgi_request), DjangoOpenAPIResponse(filed)
    )


# --- Nearby, to "me too" rather than file a twin ----------------------------------------


def test_nearby_finds_the_open_public_reports_of_the_category_within_the_distance(
    api, world, settings
):
    centre = world.first.geom.centroid

    def at(dx: float, **values) -> Report:
        geom = Point(centre.x + dx, centre.y, srid=centre.srid)
        return ReportFactory(category=world.lighting, geom=geom, **values)

    near = at(20)
    nearer = at(5, state="in_progress")
    at(80)  # too far
    at(10, state="fixed")
    at(10, is_public=False)
    ReportFactory(category=world.pothole, geom=Point(centre.x, centre.y, srid=centre.srid))
    point = Point(centre.x, centre.y, srid=centre.srid).transform(4326, clone=True)
    query = {"category": world.lighting.pk, "longitude": point.x, "latitude": point.y}
    response = api.get(NEARBY, query)
    assert ids(response) == [nearer.pk, near.pk]
    assert [f["properties"]["distance_m"] for f in response.json()["features"]] == [5.0, 20.0]
    settings.SIGNALEMENTS_DUPLICATE_DISTANCE = 100
    assert len(ids(api.get(NEARBY, query))) == 3


@pytest.mark.parametrize(
    "query",
    [
        {"longitude": 2.9, "latitude": 46.8},
        {"category": "x", "longitude": 2.9, "latitude": 46.8},
        {"category": 999999, "longitude": 2.9, "latitude": 46.8},
        {"category": 1, "longitude": 500, "latitude": 46.8},
    ],
)
def test_nearby_needs_a_category_and_a_place(api, world, query):
    response = api.get(NEARBY, query)
    assert response.status_code == 400


# --- Rate limits --------------------------------------------------------------------------

BURST = 40


def _burst(make_request) -> Counter:
    """BURST filings released together from as many threads; their status codes."""
    view = ReportListApi.as_view()
    start = Barrier(BURST)

    def one(n: int) -> int:
        request = make_request(n)
        start.wait()
        return view(request).status_code

    with ThreadPoolExecutor(BURST) as pool:
        return Counter(pool.map(one, range(BURST)))


@pytest.mark.django_db(transaction=True)
def test_filing_limits_per_account_address_and_email_hold_under_a_burst():
    """The throttles run before the view: an empty filing counts, and the view answers
    400 to those let through. Account 20/hour, address 30/hour, e-mail 10/hour."""
    factory = APIRequestFactory()
    person = UserFactory()

    def by_account(n):
        request = factory.post(REPORTS, {}, format="json", REMOTE_ADDR=fresh_address())
        force_authenticate(request, user=person)
        return request

    one_address = fresh_address()

    def from_one_address(n):
        email = f"habitant-{uuid.uuid4().hex}@example.org"
        return factory.post(REPORTS, {"email": email}, format="json", REMOTE_ADDR=one_address)

    email = f"meme-{uuid.uuid4().hex}@example.org"

    def with_one_email(n):
        return factory.post(REPORTS, {"email": email}, format="json", REMOTE_ADDR=fresh_address())

    assert _burst(by_account) == {400: 20, 429: BURST - 20}
    assert _burst(from_one_address) == {400: 30, 429: BURST - 30}
    assert _burst(with_one_email) == {400: 10, 429: BURST - 10}


def test_the_list_counts_its_reports_without_grouping_or_transforming_them(api, world):
    """The page's count is a plain COUNT(*): with the followers counted by grouping the
    reports, it transformed every report's geometry in a subquery (~30 ms of the load
    bench's answers). The followers are counted all the same."""
    followed, alone = ReportFactory(category=world.lighting), ReportFactory(category=world.lighting)
    ReportFollowerFactory.create_batch(2, report=followed)
    with CaptureQueriesContext(connection) as queries:
        response = api.get(REPORTS, {"territory": world.territory.siren})
    assert response.status_code == 200
    (count,) = [q["sql"] for q in queries.captured_queries if "COUNT(*)" in q["sql"]]
    assert "ST_Transform" not in count and "GROUP BY" not in count, count
    followers = {
        feature["id"]: feature["properties"]["follower_count"]
        for feature in response.json()["features"]
    }
    assert followers == {followed.pk: 2, alone.pk: 0}
    assert response.json()["count"] == 2


def test_the_list_reads_no_boundary_and_sends_each_place_as_postgis_writes_it(api, world):
    """A list reads the reports' places as GeoJSON from PostGIS, not their stored
    geometries nor their communes' boundaries (two polygons per report, parsed by GEOS
    for an INSEE code); the place sent is the report's own, in WGS84, to 7 decimals."""
    report = ReportFactory(category=world.lighting)
    with CaptureQueriesContext(connection) as queries:
        response = api.get(REPORTS, {"territory": world.territory.siren})
    assert response.status_code == 200
    (listing,) = [q["sql"] for q in queries.captured_queries if "ST_AsGeoJSON" in q["sql"]]
    for column in ('"territories_commune"."geom', '"signalements_report"."geom_3857"'):
        assert column not in listing.split(" FROM ")[0], column
    (feature,) = response.json()["features"]
    place = report.geom.transform(4326, clone=True)
    assert feature["geometry"] == {
        "type": "Point",
        "coordinates": [round(place.x, 7), round(place.y, 7)],
    }
    assert feature["properties"]["commune"] == report.commune.insee
