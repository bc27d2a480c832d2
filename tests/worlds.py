# SPDX-License-Identifier: AGPL-3.0-or-later
"""The worlds the tests stand on, shared by every directory (tests/conftest.py registers
the fixtures): the small world, built with the factories in a fraction of a second, and
the demo (``load_demo``: the real territory, its real PLUi), which costs seconds and
stays for the end-to-end tests and for the tests that need real data (zoning lookup on
real zones, règlement, figures per zone, relocation, workshops in the demo's communes).

The small world holds what most module tests ask of the demo: a territory under the
demo's SIREN with eight communes, a current PLUi cutting each commune in strips of
500 m, zones UE, UB, A, N in turn (``point_in`` finds them), and one account per role
under the demo's addresses and pseudonyms, so that a test reads the same on either world.
"""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.contrib.gis.geos import Point
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from carto_concertation.accounts.models import Role
from carto_concertation.accounts.services import role_grant
from carto_concertation.celery import app as celery_app
from carto_concertation.concertations.models import Concertation, Phase
from carto_concertation.concertations.services import concertation_create
from carto_concertation.contributions.models import Contribution
from carto_concertation.contributions.services import contribution_create
from carto_concertation.territories.models import Territory
from plui_documents.models import UrbanDocument, Zone
from tests.demo_snapshot import demo_load, demo_user
from tests.factories import (
    ConcertationFactory,
    DocumentVersionFactory,
    TerritoryFactory,
    UserFactory,
    ZoneFactory,
)
from tests.factories.geometry import block_square, box

DEMO_SIREN = "241800432"
# The small world's zoning: each commune cut in strips of STRIP metres from the south,
# these (LIBELLE, TYPEZONE) in turn. Narrow, so that an area of a few hundred metres
# spans several zones, as on a real PLUi.
ZONING = (("UE", "U"), ("UB", "U"), ("A", "A"), ("N", "N"))
STRIP = 500


@dataclass(frozen=True)
class Account:
    role: str
    email: str
    pseudonym: str


# The demo's role accounts (carto_concertation.core.demo), written here apart from it.
ACCOUNTS = (
    Account(Role.RESIDENT, "habitant@demo.invalid", "Habitant démo"),
    Account(Role.MODERATOR, "moderation@demo.invalid", "Modération démo"),
    Account(Role.PLANNER, "urbanisme@demo.invalid", "Urbanisme démo"),
    Account(Role.RELAY, "relais@demo.invalid", "Relais démo"),
    Account(Role.ADMINISTRATOR, "admin@demo.invalid", "Administration démo"),
)


def small_territory() -> Territory:
    """The small world's territory, its zoned PLUi and its role accounts.

    Its block is the grid's first (south-west corner near Sancoins), its communes the
    block's two southern rows: the places some tests name, (3.0, 46.8) (in the 2nd commune)
    and (2.9, 46.85) (in the 5th), lie inside.
    """
    territory = TerritoryFactory(
        siren=DEMO_SIREN,
        name="Communauté de communes du petit monde",
        geom=block_square(0),
        communes=8,
    )
    version = DocumentVersionFactory(document__territory=territory)
    Zone.objects.bulk_create(
        ZoneFactory.build(
            version=version,
            libelle=libelle,
            typezone=typezone,
            insee=commune.insee,
            idurba=version.document.idurba,
            geom=box(xmin, ymin + n * STRIP, xmax, ymin + (n + 1) * STRIP),
        )
        for commune in territory.communes.order_by("insee")
        for xmin, ymin, xmax, ymax in [commune.geom.extent]
        for n in range(round((ymax - ymin) / STRIP))
        for libelle, typezone in [ZONING[n % len(ZONING)]]
    )
    relay_communes = territory.communes.order_by("insee")[:2]
    for account in ACCOUNTS:
        user = UserFactory(email=account.email, pseudonym=account.pseudonym)
        user.is_superuser = user.is_staff = account.role == Role.ADMINISTRATOR
        user.save(update_fields=["is_superuser", "is_staff"])
        if account.role == Role.ADMINISTRATOR:
            role_grant(user=user, role=account.role)
        elif account.role == Role.RELAY:
            role_grant(user=user, role=account.role, territory=territory, communes=relay_communes)
        elif account.role != Role.RESIDENT:
            role_grant(user=user, role=account.role, territory=territory)
    return territory


def small_world(**concertation) -> Concertation:
    """An open concertation (ConcertationFactory's defaults, overridden by
    ``concertation``) on the small world's territory, over its PLUi."""
    territory = small_territory()
    return ConcertationFactory(
        territory=territory, plui_document=territory.urban_documents.get(), **concertation
    )


@pytest.fixture
def small_concertation(db) -> Concertation:
    """The small world's counterpart of ``concertation``: points and areas, two themes."""
    return small_world(
        title="Révision du PLUi des Trois Provinces",
        description='<p>Donnez votre avis</p><script>alert("x")</script>',
        accepted_geometries=["point", "area"],
        themes=[("Mobilité", "#1f77b4"), ("Habitat", "#ff7f0e")],
    )


@pytest.fixture
def small_open_concertation(db) -> Concertation:
    """The small world's counterpart of ``demo_concertation``: every geometry, three themes."""
    return small_world(title="Concertation ouverte de test")


# --- Helpers on either world --------------------------------------------------------


def point_in(libelle: str, nth: int = 0) -> Point:
    """A point inside the nth zone of this label (by source FID), in WGS84."""
    zone = Zone.objects.filter(libelle=libelle).order_by("source_fid")[nth]
    point = zone.geom.point_on_surface
    point.transform(4326)
    return point


def lonlat_in(libelle: str) -> list[float]:
    point = point_in(libelle)
    return [point.x, point.y]


def make_idea(concertation, author, *, libelle="UE", nth=0, **extra) -> Contribution:
    values = {"title": "Une idée", "text": "Un texte.", **extra}
    return contribution_create(
        concertation=concertation,
        author=author,
        geometry=values.pop("geometry", None) or point_in(libelle, nth),
        **values,
    )


# --- The demo -------------------------------------------------------------------------


def _open_concertation(**extra) -> Concertation:
    """An open concertation on the demo territory, over its real PLUi."""
    now = timezone.now()
    return concertation_create(
        territory=Territory.objects.get(siren=DEMO_SIREN),
        title=extra.pop("title", "Concertation ouverte de test"),
        accepted_geometries=["point", "line", "area"],
        phases={Phase.Kind.CONTRIBUTIONS: (now - timedelta(days=1), now + timedelta(days=30))},
        themes=[("Mobilité", "#1f77b4"), ("Habitat", "#ff7f0e"), ("Environnement", "#2ca02c")],
        plui_document=UrbanDocument.objects.get(),
        status=Concertation.Status.OPEN,
        **extra,
    )


@pytest.fixture
def concertation(settings):
    """The demo, loaded for this test alone (tests.demo_snapshot), and an open concertation
    over its real PLUi: for the tests that need the real zoning or commit their writes."""
    settings.DEBUG = True
    demo_load()
    now = timezone.now()
    return concertation_create(
        territory=Territory.objects.get(siren=DEMO_SIREN),
        title="Révision du PLUi des Trois Provinces",
        description='<p>Donnez votre avis</p><script>alert("x")</script>',
        accepted_geometries=["point", "area"],
        phases={Phase.Kind.CONTRIBUTIONS: (now - timedelta(days=1), now + timedelta(days=30))},
        themes=[("Mobilité", "#1f77b4"), ("Habitat", "#ff7f0e")],
        plui_document=UrbanDocument.objects.get(),
        status=Concertation.Status.OPEN,
    )


@pytest.fixture(scope="module")
def demo_world(request, django_db_setup, django_db_blocker, media_root):
    """The demo territory with its real PLUi and an open concertation, committed once
    per test module; each test then runs in a transaction rolled back after it. The
    database is emptied again after the module. A module marked ``real_demo`` (the tests
    about the demo) has it from the real ``load_demo``."""
    real = request.node.get_closest_marker("real_demo") is not None
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media_root):
        demo_load(real=real)
        concertation = _open_concertation()
    yield concertation.pk
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)
        # The flush opened this thread's connection outside any test: after the last
        # module it outlived the run and kept the test database from being dropped.
        connection.close()


@pytest.fixture
def demo_concertation(demo_world, db) -> Concertation:
    return Concertation.objects.get(pk=demo_world)


@pytest.fixture
def open_concertation(demo_concertation) -> Concertation:
    """The demo's open concertation; tests/contributions/ stand on the small world's."""
    return demo_concertation


# --- People and tasks, on either world -----------------------------------------------


@pytest.fixture
def resident(client):
    user = demo_user("habitant@demo.invalid")
    client.force_login(user)
    return user


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
