# SPDX-License-Identifier: AGPL-3.0-or-later
from datetime import timedelta

import pytest
from django.contrib.gis.geos import Point
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from carto_concertation.accounts.models import User
from carto_concertation.celery import app as celery_app
from carto_concertation.concertations.models import Concertation, Phase
from carto_concertation.concertations.services import concertation_create
from carto_concertation.contributions.models import Contribution
from carto_concertation.contributions.services import contribution_create
from carto_concertation.territories.models import Territory
from plui_documents.models import UrbanDocument, Zone
from tests.factories import UserFactory


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


def _open_concertation(**extra) -> Concertation:
    now = timezone.now()
    return concertation_create(
        territory=Territory.objects.get(siren="241800432"),
        title=extra.pop("title", "Concertation ouverte de test"),
        accepted_geometries=["point", "line", "area"],
        phases={Phase.Kind.CONTRIBUTIONS: (now - timedelta(days=1), now + timedelta(days=30))},
        themes=[("Mobilité", "#1f77b4"), ("Habitat", "#ff7f0e"), ("Environnement", "#2ca02c")],
        plui_document=UrbanDocument.objects.get(),
        status=Concertation.Status.OPEN,
        **extra,
    )


@pytest.fixture(scope="module")
def demo_world(django_db_setup, django_db_blocker, media_root):
    """The demo territory with its real PLUi and an open concertation, committed once
    per test module (loading the PLUi takes seconds); each test then runs in a
    transaction rolled back after it. The database is emptied again after the module."""
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media_root):
        call_command("load_demo", verbosity=0)
        concertation = _open_concertation()
    yield concertation.pk
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)
        # The flush opened this thread's connection outside any test: after the last
        # module it outlived the run and kept the test database from being dropped.
        connection.close()


@pytest.fixture
def open_concertation(demo_world, db) -> Concertation:
    return Concertation.objects.get(pk=demo_world)


@pytest.fixture
def author(client):
    """A resident of their own (fresh per test: the write rate limits count per user)."""
    user = UserFactory()
    client.force_login(user)
    return user


def demo_user(email: str) -> User:
    return User.objects.get(email=email)


@pytest.fixture
def moderator():
    return demo_user("moderation@demo.invalid")


@pytest.fixture
def planner():
    return demo_user("urbanisme@demo.invalid")


@pytest.fixture
def eager_tasks():
    """Celery tasks run in this process (mail then lands in pytest-django's mailoutbox)."""
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = False


def point_in(libelle: str, nth: int = 0) -> Point:
    """A point inside a zone of the demo PLUi, in WGS84."""
    zone = Zone.objects.filter(libelle=libelle).order_by("source_fid")[nth]
    point = zone.geom.point_on_surface
    point.transform(4326)
    return point


def make_idea(concertation, author, *, libelle="UE", nth=0, **extra) -> Contribution:
    values = {"title": "Une idée", "text": "Un texte.", **extra}
    return contribution_create(
        concertation=concertation,
        author=author,
        geometry=values.pop("geometry", None) or point_in(libelle, nth),
        **values,
    )


CONTRIBUTIONS = "/api/v1/concertations/{slug}/contributions/"


def url(concertation, suffix: str = "", pk: int | None = None) -> str:
    base = CONTRIBUTIONS.format(slug=concertation.slug)
    return f"{base}{pk}/{suffix}" if pk is not None else f"{base}{suffix}"
