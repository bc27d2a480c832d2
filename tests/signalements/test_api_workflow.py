# SPDX-License-Identifier: AGPL-3.0-or-later
"""The workflow through the API: the lifecycle walked by the service's agent, refusals
(403 for who may not, 400 naming the field, 404 for what one may not see) that write
nothing, re-routing, duplicates, "me too" and the reporter's "est-ce réparé ?"."""

from datetime import timedelta

import pytest
from django.utils import timezone

from carto_concertation.signalements.models import Report, ReportFollower, ReportUpdate
from carto_concertation.signalements.notifications import fixed_answer_token
from tests.factories import UserFactory
from tests.factories.signalements import ReportFactory, ServiceFactory

from .workflow_world import world_fixture  # noqa: F401

pytestmark = pytest.mark.django_db
State = Report.State


def url(report_id: int, action: str) -> str:
    return f"/api/v1/signalements/reports/{report_id}/{action}"


def post(client, path: str, data: dict):
    return client.post(path, data, content_type="application/json")


def test_the_lifecycle_through_the_api(client, world):
    client.force_login(world.agent)
    steps = [
        ({"state": "acknowledged", "text": "Vu."}, "open"),
        ({"state": "in_progress", "text": "Équipe lundi."}, "acknowledged"),
        ({"state": "fixed", "text": "Lampe changée."}, "in_progress"),
    ]
    for data, before in steps:
        response = post(client, url(world.report.pk, "state"), data)
        assert response.status_code == 200, response.content
        body = response.json()
        assert (body["state_before"], body["state_after"], body["text"]) == (
            before,
            data["state"],
            data["text"],
        )
        assert body["service_after"] == "Services techniques de la commune"
        assert "author" not in body
    world.report.refresh_from_db()
    assert world.report.state == State.FIXED
    assert world.report.acknowledged_at and world.report.fixed_at
    assert world.report.updates.count() == 3


@pytest.mark.parametrize("who", ["resident", "other_agent", "anonymous"])
@pytest.mark.parametrize("action", ["state", "reroute", "duplicate"])
def test_who_may_not_act_gets_a_403_and_nothing_is_written(client, world, who, action):
    if who != "anonymous":
        client.force_login(getattr(world, who))
    other = ReportFactory(category=world.category, service=world.commune_service)
    data = {
        "state": {"state": "fixed", "text": "Fait."},
        "reroute": {"service": world.epci_service.pk},
        "duplicate": {"original": other.pk},
    }[action]
    response = post(client, url(world.report.pk, action), data)
    assert response.status_code == 403
    world.report.refresh_from_db()
    assert (world.report.state, world.report.service) == (State.OPEN, world.commune_service)
    assert not ReportUpdate.objects.exists()


def test_a_private_report_is_not_found_by_a_stranger(client, world):
    world.report.is_public = False
    world.report.save()
    client.force_login(world.other_agent)
    response = post(client, url(world.report.pk, "state"), {"state": "fixed", "text": "Fait."})
    assert response.status_code == 404
    response = post(client, url(world.report.pk, "follow"), {})
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"state": "fixed"}, "text"),
        ({"state": "volé", "text": "Fait."}, "state"),
        ({"state": "not_fixed", "text": "Non."}, "reason"),
        ({"state": "not_responsible", "text": "Pas nous.", "reason": ""}, "reason"),
        ({"state": "duplicate", "text": "Doublon."}, "state"),
        ({"state": "fixed", "text": "x" * 3001}, "text"),
        ({"state": "fixed", "text": "   "}, "text"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(client, world, data, field):
    client.force_login(world.agent)
    response = post(client, url(world.report.pk, "state"), data)
    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert not ReportUpdate.objects.exists()


def test_rerouting_through_the_api(
    client, world, eager_tasks, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(world.agent)
    elsewhere = ServiceFactory()
    for service, status in ((elsewhere.pk, 400), (world.commune_service.pk, 400), (0, 400)):
        response = post(client, url(world.report.pk, "reroute"), {"service": service})
        assert response.status_code == status
        assert list(response.json()) == ["service"]
    with django_capture_on_commit_callbacks(execute=True):
        response = post(
            client,
            url(world.report.pk, "reroute"),
            {"service": world.epci_service.pk, "text": "Voirie intercommunale."},
        )
    assert response.status_code == 200
    assert (response.json()["service_before"], response.json()["service_after"]) == (
        "Services techniques de la commune",
        "Voirie intercommunale",
    )
    assert [mail.to for mail in mailoutbox] == [[world.epci_service.email]]
    # The commune's agent has handed it on: no longer theirs to act on.
    response = post(client, url(world.report.pk, "state"), {"state": "fixed", "text": "Fait."})
    assert response.status_code == 403


def test_marking_a_duplicate_through_the_api(client, world):
    twin = ReportFactory(category=world.category, service=world.commune_service)
    follower = UserFactory()
    ReportFollower.objects.create(report=twin, user=follower)
    client.force_login(world.agent)
    for original, field in ((twin.pk, "original"), (999_999, "original")):
        response = post(client, url(twin.pk, "duplicate"), {"original": original})
        assert response.status_code == 400 and list(response.json()) == [field]
    response = post(
        client, url(twin.pk, "duplicate"), {"original": world.report.pk, "text": "Déjà vu."}
    )
    assert response.status_code == 200
    twin.refresh_from_db()
    assert (twin.state, twin.duplicate_of_id) == (State.DUPLICATE, world.report.pk)
    assert set(world.report.followers.values_list("user_id", flat=True)) == {
        follower.pk,
        twin.author_id,
    }


def test_bulk_state_change_all_or_none(client, world):
    mine = ReportFactory(category=world.category, service=world.commune_service)
    theirs = ReportFactory(category=world.category, service=world.epci_service)
    client.force_login(world.agent)
    bulk = "/api/v1/signalements/reports/state"
    response = post(
        client,
        bulk,
        {"reports": [world.report.pk, mine.pk, theirs.pk], "state": "acknowledged", "text": "Vu."},
    )
    assert response.status_code == 403
    response = post(
        client,
        bulk,
        {"reports": [world.report.pk, 999_999], "state": "acknowledged", "text": "Vu."},
    )
    assert response.status_code == 400 and list(response.json()) == ["reports"]
    assert not ReportUpdate.objects.exists()
    response = post(
        client,
        bulk,
        {"reports": [world.report.pk, mine.pk], "state": "acknowledged", "text": "Vu."},
    )
    assert response.status_code == 200 and len(response.json()) == 2
    assert ReportUpdate.objects.count() == 2


def test_me_too_and_back_through_the_api(
    client, world, eager_tasks, mailoutbox, django_capture_on_commit_callbacks
):
    neighbour = UserFactory()
    client.force_login(neighbour)
    response = post(client, url(world.report.pk, "follow"), {})
    assert response.json() == {"following": True, "confirmation_sent": False, "followers": 1}
    response = client.delete(url(world.report.pk, "follow"))
    assert response.json() == {"following": False, "confirmation_sent": False, "followers": 0}
    client.logout()
    assert client.delete(url(world.report.pk, "follow")).status_code == 403
    response = post(client, url(world.report.pk, "follow"), {"email": "pas-une-adresse"})
    assert response.status_code == 400 and list(response.json()) == ["email"]
    assert post(client, url(world.report.pk, "follow"), {}).status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, url(world.report.pk, "follow"), {"email": "voisine@example.org"})
    assert response.json() == {"following": False, "confirmation_sent": True, "followers": 0}
    assert [mail.to for mail in mailoutbox] == [["voisine@example.org"]]


def test_the_reporter_answers_not_fixed_and_it_reopens(
    client, world, eager_tasks, mailoutbox, django_capture_on_commit_callbacks
):
    Report.objects.filter(pk=world.report.pk).update(
        state=State.FIXED, fixed_at=timezone.now() - timedelta(weeks=5)
    )
    client.force_login(UserFactory())
    assert post(client, url(world.report.pk, "fixed"), {"fixed": False}).status_code == 403
    client.force_login(world.resident)
    with django_capture_on_commit_callbacks(execute=True):
        response = post(
            client, url(world.report.pk, "fixed"), {"fixed": False, "text": "Toujours éteint."}
        )
    assert response.status_code == 200
    assert (response.json()["kind"], response.json()["state_after"]) == ("reopened", "open")
    world.report.refresh_from_db()
    assert world.report.state == State.OPEN
    assert [mail.to for mail in mailoutbox] == [[world.commune_service.email]]
    response = post(client, url(world.report.pk, "fixed"), {"fixed": True})
    assert response.status_code == 400 and list(response.json()) == ["fixed"]


def test_a_private_report_s_reporter_answers_with_the_token(client, world):
    Report.objects.filter(pk=world.report.pk).update(
        state=State.FIXED, fixed_at=timezone.now(), is_public=False
    )
    token = fixed_answer_token(report_id=world.report.pk)
    assert post(client, url(world.report.pk, "fixed"), {"fixed": True}).status_code == 404
    response = post(client, url(world.report.pk, "fixed"), {"fixed": True, "token": token})
    assert response.status_code == 200 and response.json()["state_after"] == "fixed"
    other = ReportFactory(category=world.category)
    response = post(client, url(other.pk, "fixed"), {"fixed": False, "token": token})
    assert response.status_code == 403
