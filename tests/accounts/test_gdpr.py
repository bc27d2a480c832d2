# SPDX-License-Identifier: AGPL-3.0-or-later
"""GDPR: download my data (a zip of JSON and GeoJSON), delete my account (anonymised)."""

import json
from itertools import pairwise

import pytest
from allauth.account.models import EmailAddress
from django.contrib.gis.geos import Point, Polygon
from django.db import connection

from carto_concertation.accounts.models import ConsentRecord, User
from carto_concertation.accounts.services import consent_record
from carto_concertation.contributions.comments import comment_create
from carto_concertation.contributions.models import Contribution
from carto_concertation.contributions.moderation import report_create
from carto_concertation.contributions.services import contribution_create, vote_cast
from carto_concertation.engagement.models import Vote
from tests.factories import UserFactory

from .conftest import lonlat_in
from .my_data import my_data_archive

# Committed, as they were on the demo; the archive is built by the real worker.
pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "correct horse battery"  # UserFactory's
CONTRIBUTIONS = "/api/v1/concertations/{slug}/contributions/"


def square_around(lon: float, lat: float, d: float = 0.002) -> Polygon:
    # Clockwise on purpose: the export must turn exterior rings counter-clockwise.
    ring = [(lon - d, lat - d), (lon - d, lat + d), (lon + d, lat + d), (lon + d, lat - d)]
    return Polygon([*ring, ring[0]], srid=4326)


@pytest.fixture
def concertation(small_concertation):
    """The small world's (tests/worlds.py): "download my data" needs no real zoning."""
    return small_concertation


@pytest.fixture
def people(concertation):
    """Camille wrote a point and an area and voted for Dominique's idea; Dominique
    wrote one idea and voted for Camille's point."""
    camille = UserFactory(email="camille@example.org", pseudonym="Camille")
    dominique = UserFactory(email="dominique@example.org", pseudonym="Dominique")
    consent_record(user=camille, version="2026-11")
    lon, lat = lonlat_in("UE")

    def idea(author, title, geometry):
        return contribution_create(
            concertation=concertation, author=author, title=title, text="…", geometry=geometry
        )

    point = idea(camille, "Un banc", Point(lon, lat, srid=4326))
    area = idea(camille, "Un jardin partagé", square_around(lon, lat))
    theirs = idea(dominique, "Une piste cyclable", Point(lon + 0.001, lat, srid=4326))
    vote_cast(contribution=theirs, voter=camille, value=1)
    vote_cast(contribution=point, voter=dominique, value=1)
    their_comment = comment_create(
        contribution=theirs, author=dominique, text="Dominique ajoute un arceau."
    )
    my_reply = comment_create(
        contribution=theirs, author=camille, text="Et un banc.", parent=their_comment
    )
    report_create(reporter=camille, reason="Hors sujet", contribution=theirs)
    report_create(reporter=dominique, reason="Dominique signale", contribution=point)
    return {
        "my_reply": my_reply,
        "their_comment": their_comment,
        "camille": camille,
        "dominique": dominique,
        "point": point,
        "area": area,
        "theirs": theirs,
    }


def ring_area(ring) -> float:
    """Shoelace: positive for a counter-clockwise ring."""
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in pairwise(ring)) / 2


def test_my_data_zip_holds_my_data_in_json_and_geojson(client, people, celery_worker):
    camille, point, area = people["camille"], people["point"], people["area"]
    client.force_login(camille)
    archive = my_data_archive(client)
    assert sorted(archive.namelist()) == [
        "account.json",
        "budget_projects.geojson",
        "budget_projects.json",
        "budget_supports.geojson",
        "budget_supports.json",
        "comments.geojson",
        "comments.json",
        "contributions.geojson",
        "contributions.json",
        "crowdfunding_figures.json",
        "crowdfunding_follows.geojson",
        "crowdfunding_follows.json",
        "crowdfunding_news.json",
        "crowdfunding_projects.geojson",
        "crowdfunding_projects.json",
        "follows.json",
        "reports.json",
        "signalements.geojson",
        "signalements.json",
        "signalements_followed.geojson",
        "signalements_followed.json",
        "survey_responses.geojson",
        "survey_responses.json",
        "votes.geojson",
        "votes.json",
        "workshops.geojson",
        "workshops.json",
    ]
    files = {name: json.loads(archive.read(name)) for name in archive.namelist()}

    account = files["account.json"]["account"][0]
    assert account["email"] == "camille@example.org"
    assert account["pseudonym"] == "Camille"
    assert account["notifications"] == {
        "answer": True,
        "reply": True,
        "moderation": True,
        "follow": True,
        "report_updates": True,
        "report_fixed_check": True,
        "budget_project_news": True,
        "crowdfunding_project_news": True,
    }
    assert [c["version"] for c in account["consents"]] == ["2026-11"]

    collection = files["contributions.geojson"]
    assert collection["type"] == "FeatureCollection"
    assert "crs" not in collection
    features = {f["id"]: f for f in collection["features"]}
    assert set(features) == {point.pk, area.pk}
    assert [r["id"] for r in files["contributions.json"]["contributions"]] == [point.pk, area.pk]

    stored = Contribution.objects.get(pk=point.pk).geom.transform(4326, clone=True)
    lon, lat = features[point.pk]["geometry"]["coordinates"]
    assert (lon, lat) == pytest.approx((stored.x, stored.y), abs=1e-7)
    assert 2.5 < lon < 3.5 and 46.5 < lat < 47.5, "WGS84 lon/lat in the Cher, not Lambert-93"
    polygon = features[area.pk]["geometry"]
    assert polygon["type"] == "Polygon"
    assert ring_area(polygon["coordinates"][0]) > 0, "RFC 7946: exterior ring counter-clockwise"
    assert all(len(str(c).split(".")[1]) <= 7 for pos in polygon["coordinates"][0] for c in pos), (
        "at most 7 decimals"
    )
    assert features[area.pk]["properties"]["title"] == "Un jardin partagé"
    assert features[point.pk]["properties"]["votes_for"] == 1

    votes = files["votes.json"]["votes"]
    assert [(v["contribution"], v["value"]) for v in votes] == [(people["theirs"].pk, 1)]
    [voted] = files["votes.geojson"]["features"]
    assert voted["geometry"]["type"] == "Point"
    assert voted["properties"]["contribution_title"] == "Une piste cyclable"

    [comment] = files["comments.json"]["comments"]
    assert comment["text"] == "Et un banc."
    assert comment["contribution"] == people["theirs"].pk
    assert comment["in_reply_to"] == people["their_comment"].pk  # by number, not by author
    [commented] = files["comments.geojson"]["features"]
    assert commented["geometry"] == voted["geometry"]  # the place of the idea commented on
    assert [(r["contribution"], r["reason"]) for r in files["reports.json"]["reports"]] == [
        (people["theirs"].pk, "Hors sujet")
    ]
    assert files["workshops.json"]["workshops"] == [{"planned": [], "captured": []}]


def test_my_data_zip_holds_nothing_of_anyone_else(client, people, celery_worker):
    client.force_login(people["camille"])
    archive = my_data_archive(client)
    everything = b"".join(archive.read(name) for name in archive.namelist()).decode()
    assert "dominique" not in everything.lower()
    assert "@example.org" in everything  # my own address, and no other
    assert everything.count("@") == everything.count("camille@example.org")


def test_my_data_needs_a_session_and_a_post(client, people):
    response = client.post("/accounts/data/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")
    client.force_login(people["camille"])
    page = client.get("/accounts/data/")
    assert page.status_code == 200
    assert page["Content-Type"].startswith("text/html")


def test_my_data_is_rate_limited(client, people, settings, celery_worker):
    settings.DATA_EXPORT_RATE = "2/h"
    client.force_login(people["camille"])
    statuses = [client.post("/accounts/data/").status_code for _ in range(3)]
    assert statuses == [302, 302, 429]


def test_deleting_my_account_anonymises_what_i_published(client, other_client, people):
    camille, point = people["camille"], people["point"]
    slug = point.concertation.slug
    client.force_login(camille)
    other_client.force_login(camille)  # another device of mine
    assert client.get("/accounts/delete/").status_code == 200

    response = client.post("/accounts/delete/", {"password": PASSWORD})
    assert response.status_code == 302
    assert response.url == "/"

    # The person is gone: account, addresses, consents; both sessions are over.
    assert not User.objects.filter(pk=camille.pk).exists()
    assert not EmailAddress.objects.filter(email="camille@example.org").exists()
    assert not ConsentRecord.objects.filter(user_id=camille.pk).exists()
    for device in (client, other_client):
        assert device.get("/api/v1/me/").status_code == 403
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM accounts_user WHERE lower(email) = %s OR lower(pseudonym) = %s",
            ["camille@example.org", "camille"],
        )
        assert cursor.fetchone() == (0,)

    # What they published stays, signed "Anonymous participant"; their votes still count.
    listed = client.get(CONTRIBUTIONS.format(slug=slug)).json()["features"]
    authors = {f["id"]: f["properties"]["author"] for f in listed}
    assert authors == {
        point.pk: "Anonymous participant",
        people["area"].pk: "Anonymous participant",
        people["theirs"].pk: "Dominique",
    }
    assert "camille" not in json.dumps(listed).lower()
    theirs = Contribution.objects.get(pk=people["theirs"].pk)
    assert theirs.votes_for == 1
    assert Vote.objects.filter(contribution=theirs, voter__isnull=True).count() == 1
    assert Contribution.objects.get(pk=point.pk).votes_for == 1

    # Nobody signs in with the old address any more.
    response = client.post(
        "/accounts/login/", {"login": "camille@example.org", "password": PASSWORD}
    )
    assert response.status_code == 400
    assert client.get("/api/v1/me/").status_code == 403


@pytest.mark.french
def test_the_anonymous_label_is_french_by_default(client, people):
    client.force_login(people["camille"])
    client.post("/accounts/delete/", {"password": PASSWORD})
    slug = people["point"].concertation.slug
    listed = client.get(CONTRIBUTIONS.format(slug=slug), HTTP_ACCEPT_LANGUAGE="fr").json()
    point = next(f for f in listed["features"] if f["id"] == people["point"].pk)
    assert point["properties"]["author"] == "Participant anonyme"


def test_deleting_needs_my_password(client, people):
    camille = people["camille"]
    client.force_login(camille)
    response = client.post("/accounts/delete/", {"password": "not my password"})
    assert response.status_code == 400
    assert response.context["form"].errors["password"] == ["This is not your password."]
    assert client.post("/accounts/delete/", {}).status_code == 400
    assert User.objects.filter(pk=camille.pk).exists()
    assert client.get("/api/v1/me/").status_code == 200


def test_an_administration_account_is_not_deleted_from_here(client):
    admin = UserFactory(is_staff=True)
    client.force_login(admin)
    response = client.post("/accounts/delete/", {"password": PASSWORD})
    assert response.status_code == 400
    assert "closed by another administrator" in str(response.context["form"].non_field_errors())
    assert User.objects.filter(pk=admin.pk).exists()


def test_password_guesses_on_the_delete_form_are_rate_limited(client, people, settings):
    settings.ACCOUNT_WRITE_RATE = "3/h"
    client.force_login(people["camille"])
    statuses = [
        client.post("/accounts/delete/", {"password": f"guess {i}"}).status_code for i in range(4)
    ]
    assert statuses == [400, 400, 400, 429]
