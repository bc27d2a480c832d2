# SPDX-License-Identifier: AGPL-3.0-or-later
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from carto_concertation.accounts.models import User
from carto_concertation.concertations.models import Concertation, Phase
from carto_concertation.concertations.services import concertation_create
from carto_concertation.territories.models import Territory
from plui_documents.models import UrbanDocument, Zone


@pytest.fixture
def concertation(settings):
    settings.DEBUG = True
    call_command("load_demo")
    now = timezone.now()
    return concertation_create(
        territory=Territory.objects.get(siren="241800432"),
        title="Révision du PLUi des Trois Provinces",
        description='<p>Donnez votre avis</p><script>alert("x")</script>',
        accepted_geometries=["point", "area"],
        phases={Phase.Kind.CONTRIBUTIONS: (now - timedelta(days=1), now + timedelta(days=30))},
        themes=[("Mobilité", "#1f77b4"), ("Habitat", "#ff7f0e")],
        plui_document=UrbanDocument.objects.get(),
        status=Concertation.Status.OPEN,
    )


@pytest.fixture
def resident(client):
    user = User.objects.get(email="habitant@demo.invalid")
    client.force_login(user)
    return user


def lonlat_in(libelle: str) -> list[float]:
    point = (
        Zone.objects.filter(libelle=libelle).order_by("source_fid").first().geom.point_on_surface
    )
    point.transform(4326)
    return [point.x, point.y]
