# SPDX-License-Identifier: AGPL-3.0-or-later
"""My account lists my contributions with the collectivité's answers, and only mine."""

import json

import pytest
from django.contrib.gis.geos import GEOSGeometry

from carto_concertation.accounts.models import User
from carto_concertation.contributions.moderation import contribution_answer
from carto_concertation.contributions.services import contribution_create
from tests.worlds import lonlat_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def concertation(small_concertation):
    """The small world's (tests/worlds.py): the account page needs no real zoning."""
    return small_concertation


def test_my_contributions_and_their_answers(client, concertation):
    author = User.objects.get(email="habitant@demo.invalid")
    planner = User.objects.get(email="urbanisme@demo.invalid")
    place = GEOSGeometry(json.dumps({"type": "Point", "coordinates": lonlat_in("UE")}))
    mine = contribution_create(
        concertation=concertation,
        author=author,
        title="Un verger partagé",
        text="Ici.",
        geometry=place,
    )
    contribution_create(
        concertation=concertation,
        author=planner,
        title="Une idée d'un autre",
        text="Là.",
        geometry=place,
    )
    contribution_answer(
        contribution=mine,
        actor=planner,
        status="retained",
        answer="Inscrit au projet d'aménagement.",
        answer_service="Service urbanisme",
    )
    client.force_login(author)

    page = client.get("/accounts/").content.decode()

    assert "Un verger partagé" in page
    assert "Inscrit au projet d&#x27;aménagement." in page and "Service urbanisme" in page
    assert "Une idée d&#x27;un autre" not in page
    assert f"/concertations/{concertation.slug}/" in page


@pytest.mark.parametrize(
    ("email", "dashboard", "workshops"),
    [
        ("habitant@demo.invalid", False, False),
        ("moderation@demo.invalid", False, False),
        ("relais@demo.invalid", False, True),
        ("urbanisme@demo.invalid", True, True),
    ],
)
def test_planners_and_relays_find_their_work_from_their_account_and_the_map(
    client,
    concertation,
    email,
    dashboard,
    workshops,
):
    client.force_login(User.objects.get(email=email))
    account = client.get("/accounts/").content.decode()
    map_page = client.get(f"/concertations/{concertation.slug}/").content.decode()

    dashboard_url = f"/concertations/{concertation.slug}/tableau-de-bord/"
    assert (dashboard_url in account) is dashboard
    assert (dashboard_url in map_page) is dashboard
    assert ('href="/workshops/"' in account) is workshops
