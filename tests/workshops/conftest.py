# SPDX-License-Identifier: AGPL-3.0-or-later
"""Workshops on the demo territory: the demo relay runs Sancoins (18242) and Vereaux
(18275); a second relay runs only another commune of the territory."""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from carto_concertation.accounts.models import Role, User
from carto_concertation.accounts.services import role_grant
from carto_concertation.contributions.models import Contribution
from carto_concertation.territories.models import Commune
from carto_concertation.workshops.models import Workshop
from carto_concertation.workshops.services import workshop_create
from tests.factories import UserFactory

RELAY_COMMUNE = "18242"  # Sancoins
OTHER_COMMUNE = "18155"  # Mornay-sur-Allier


@pytest.fixture
def relay(client) -> User:
    user = User.objects.get(email="relais@demo.invalid")
    client.force_login(user)
    return user


@pytest.fixture
def other_relay(open_concertation) -> User:
    """A relay of another commune of the same territory."""
    user = UserFactory()
    role_grant(
        user=user,
        role=Role.RELAY,
        territory=open_concertation.territory,
        communes=Commune.objects.filter(insee=OTHER_COMMUNE),
    )
    return user


@pytest.fixture
def workshop(open_concertation, relay) -> Workshop:
    return workshop_create(
        user=relay,
        concertation=open_concertation,
        commune=Commune.objects.get(insee=RELAY_COMMUNE),
        starts_at=timezone.now() + timedelta(days=2),
        place="Salle des fêtes",
        facilitator="Agence d'urbanisme",
    )


@pytest.fixture
def other_workshop(open_concertation, other_relay) -> Workshop:
    return workshop_create(
        user=other_relay,
        concertation=open_concertation,
        commune=Commune.objects.get(insee=OTHER_COMMUNE),
        starts_at=timezone.now() + timedelta(days=3),
        place="Mairie",
        facilitator="Relais",
    )


def sancoins_lonlat() -> list[float]:
    """A place inside Sancoins, in WGS84."""
    point = Commune.objects.get(insee=RELAY_COMMUNE).geom.point_on_surface
    point.transform(4326)
    return [point.x, point.y]


def capture_body(**extra) -> dict:
    return {
        "key": str(uuid.uuid4()),
        "title": "Un abri vélo près de l'école",
        "text": "Les enfants viennent à vélo mais n'ont pas d'abri.",
        "geometry": {"type": "Point", "coordinates": sancoins_lonlat()},
        "themes": [],
        "channel": "workshop",
        "participant": "Lise",
        **extra,
    }


def captures_url(workshop: Workshop, suffix: str = "captures") -> str:
    return f"/api/v1/workshops/{workshop.pk}/{suffix}"


def workshop_contributions():
    return Contribution.objects.filter(channel__in=["workshop", "paper"])
