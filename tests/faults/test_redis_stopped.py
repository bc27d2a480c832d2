# SPDX-License-Identifier: AGPL-3.0-or-later
"""Redis stopped under a running server, then started again (issue 23, faults).

While it is away, pages, the API's reads and the tiles answer (no cache; tiles from
PostgreSQL), a signed-in person stays signed in (sessions live in the database), and
every rate-limited write is refused with a 503 in French with Retry-After rather than
let through uncounted; a job whose queue is away is recorded as failed with the reason.
When Redis returns, everything works again without restarting the server."""

import time
import uuid

import pytest
from django.test import Client

from carto_concertation.accounts.models import Role
from carto_concertation.accounts.services import role_grant
from carto_concertation.core.models import Job
from carto_concertation.engagement.models import Vote
from tests.core.servers import web_server
from tests.factories import UserFactory
from tests.worlds import make_idea

from .services import fetch, private_redis

TILE = "/tiles/zoning/14/8326/5770.mvt"
CSRF = "a" * 32  # a token as Django's cookie holds it; the header repeats it
CONTRIBUTIONS = "/api/v1/concertations/nulle-part/contributions/"


def signed_in(user) -> dict[str, str]:
    client = Client()
    client.force_login(user)
    return {
        "Cookie": f"sessionid={client.cookies['sessionid'].value}; csrftoken={CSRF}",
        "X-CSRFToken": CSRF,
    }


def form_post(server, path: str, fields: str, headers: dict | None = None):
    return fetch(
        server,
        "POST",
        path,
        headers={
            "Cookie": f"csrftoken={CSRF}",
            **(headers or {}),
            "Content-Type": "application/x-www-form-urlencoded",
        },
        body=f"csrfmiddlewaretoken={CSRF}&{fields}".encode(),
    )


def api_post(server, headers: dict):
    return fetch(
        server,
        "POST",
        CONTRIBUTIONS,
        headers={**headers, "Content-Type": "application/json"},
        body=b"{}",
    )


def assert_refused_in_french(answer, kind: str) -> None:
    assert answer.status == 503, (kind, answer.status, answer.body[:300])
    assert int(answer.headers["retry-after"]) > 0, kind
    assert "réessayez" in answer.body.lower() or "réessayer" in answer.body.lower(), kind
    assert "Traceback" not in answer.body, kind


@pytest.mark.django_db(transaction=True)
def test_redis_stopped_then_back(small_open_concertation):
    concertation = small_open_concertation
    resident, planner = UserFactory(), UserFactory()
    role_grant(user=planner, role=Role.PLANNER, territory=concertation.territory)
    as_resident, as_planner = signed_in(resident), signed_in(planner)
    bilan = f"/concertations/{concertation.slug}/tableau-de-bord/bilan/"
    idea = make_idea(concertation, UserFactory())
    support = f"/concertations/{concertation.slug}/idees/{idea.pk}/soutien/"
    votes = Vote.objects.of(idea)

    with private_redis() as redis_server:
        urls = {"REDIS_URL": redis_server.url(0), "TEST_REDIS_URL": redis_server.url(8)}
        with web_server(urls) as server:
            tile = fetch(server, "GET", TILE)
            assert tile.status in (200, 204)
            assert api_post(server, as_resident).status == 400  # counted, then refused empty

            redis_server.stop()
            # Reads: pages, the API, a tile (made from PostgreSQL, the same one).
            assert fetch(server, "GET", "/").status == 200
            assert fetch(server, "GET", "/api/v1/layers/").status == 200
            away = fetch(server, "GET", TILE)
            assert (away.status, away.body) == (tile.status, tile.body)
            # Still signed in: the session is in the database.
            account = fetch(server, "GET", "/accounts/preferences/", headers=as_resident)
            assert account.status == 200 and resident.pseudonym in account.body
            # Rate-limited writes: the API's (DRF), a page's form counted as the API's
            # (core.throttles.page_throttled), a page's (django-ratelimit), sign-in
            # (allauth's own limit).
            assert_refused_in_french(api_post(server, as_resident), "API write")
            assert_refused_in_french(form_post(server, support, "value=1", as_resident), "vote")
            assert not votes.exists()
            login = f"username={uuid.uuid4().hex}&password=x"
            assert_refused_in_french(form_post(server, "/admin/login/", login), "admin sign-in")
            account_login = f"login={uuid.uuid4().hex}%40example.org&password=x"
            assert_refused_in_french(
                form_post(server, "/accounts/login/", account_login), "sign-in"
            )
            # A job whose queue is away: failed with the reason, the planner told.
            assert_refused_in_french(form_post(server, bilan, "", as_planner), "job")
            job = Job.objects.get()
            assert job.status == Job.Status.FAILED and "file" in job.message

            redis_server.start()
            deadline = time.monotonic() + 30
            while api_post(server, as_resident).status != 400:
                assert time.monotonic() < deadline, "writes still refused after Redis returned"
                time.sleep(0.5)
            assert fetch(server, "GET", TILE).body == tile.body
            assert form_post(server, bilan, "", as_planner).status == 302
            assert form_post(server, support, "value=1", as_resident).status == 302
            assert votes.count() == 1
            assert Job.objects.filter(status=Job.Status.PENDING).count() == 1
