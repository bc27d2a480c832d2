# SPDX-License-Identifier: AGPL-3.0-or-later
import io
from datetime import timedelta

import pytest
from django.contrib.gis.geos import LineString, Point, Polygon
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.utils import timezone
from PIL import Image

from carto_concertation.accounts.models import User
from carto_concertation.celery import app as celery_app
from carto_concertation.concertations.models import Concertation, Phase
from carto_concertation.concertations.services import concertation_create
from carto_concertation.contributions.comments import comment_create
from carto_concertation.contributions.models import Contribution
from carto_concertation.contributions.moderation import (
    comment_hide,
    contribution_answer,
    contribution_hide,
    contribution_merge,
)
from carto_concertation.contributions.photos import photo_add
from carto_concertation.contributions.services import (
    contribution_capture,
    contribution_create,
    contribution_withdraw,
    vote_cast,
)
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


LONG_REASON = (
    "Propos injurieux envers un voisin nommé & décrit <précisément>, répétés malgré la "
    "charte ; la modération a masqué l'idée et le dit ici en plus de 140 caractères."
)


def jpeg() -> SimpleUploadedFile:
    output = io.BytesIO()
    Image.new("RGB", (320, 200), (90, 140, 60)).save(output, "JPEG")
    return SimpleUploadedFile("photo.jpg", output.getvalue(), content_type="image/jpeg")


def area_around(point: Point, metres: float) -> Polygon:
    """A square of ``metres`` around a WGS84 point, in WGS84: it spans several zones."""
    lambert = point.transform(2154, clone=True)
    square = Polygon.from_bbox(
        (lambert.x - metres, lambert.y - metres, lambert.x + metres, lambert.y + metres)
    )
    square.srid = 2154
    return square.transform(4326, clone=True)


@pytest.fixture
def varied(open_concertation, moderator, planner):
    """Ideas in every listed status and shape, and some that are not listed."""
    theme = {t.name: t.pk for t in open_concertation.themes.all()}
    people = [UserFactory(pseudonym=f"Voisine & {n} <3") for n in range(4)]
    both = [theme["Mobilité"], theme["Environnement"]]
    first = make_idea(
        open_concertation,
        people[0],
        libelle="UE",
        title='Vélo & piétons <b>"ici"</b>',
        text="Deux lignes :\nune voie partagée — « enfin ».",
        theme_ids=both,
    )
    area = make_idea(
        open_concertation,
        people[1],
        title="Un quartier entier",
        geometry=area_around(point_in("UB"), 400),
        theme_ids=[theme["Habitat"]],
    )
    line = make_idea(
        open_concertation,
        people[2],
        title="Une haie le long du chemin",
        geometry=LineString(area_around(point_in("A"), 150).exterior_ring.coords[:3], srid=4326),
    )
    # On a round longitude: its coordinate is a whole number after rounding.
    round_place = make_idea(
        open_concertation, people[3], geometry=Point(3.0, 46.8, srid=4326), title="Rond"
    )
    studied = make_idea(open_concertation, people[0], libelle="A", title="À l'étude")
    contribution_answer(
        contribution=studied, actor=planner, status="under_study", answer="Nous regardons."
    )
    answers = {}
    for status in Contribution.CLOSING:
        answers[status] = make_idea(open_concertation, people[1], libelle="N", title=status)
        contribution_answer(
            contribution=answers[status],
            actor=planner,
            status=status,
            answer=f"Réponse « {status} » & suite",
            answer_service="Service urbanisme",
        )
    hidden = make_idea(open_concertation, people[2], title="Chez M. Martin", theme_ids=both)
    photo_add(contribution=hidden, user=people[2], upload=jpeg())
    contribution_hide(contribution=hidden, actor=moderator, reason=LONG_REASON)
    twin = make_idea(open_concertation, people[3], libelle="UE", title="Vélo aussi")
    contribution_merge(contribution=twin, into=first, actor=moderator, reason="Même idée")
    captured = contribution_capture(
        concertation=open_concertation,
        title="Dit en atelier",
        text="Par un participant",
        geometry=point_in("UB", 1),
        channel=Contribution.Channel.PAPER,
    )
    for _ in range(2):
        photo_add(contribution=first, user=people[0], upload=jpeg())
    for voter, value in ((people[1], 1), (people[2], 1), (people[3], 1)):
        vote_cast(contribution=area, voter=voter, value=value)
    vote_cast(contribution=line, voter=people[0], value=1)
    comments = [comment_create(contribution=line, author=people[1], text=t) for t in "abc"]
    comment_create(contribution=line, author=people[2], text="réponse", parent=comments[0])
    comment_hide(comment=comments[2], actor=moderator, reason="Hors sujet")
    comment_create(contribution=first, author=people[3], text="Oui")
    # Not listed: withdrawn by its author.
    withdrawn = make_idea(open_concertation, people[0], title="Retirée")
    contribution_withdraw(contribution=withdrawn, user=people[0])
    # No commune; a deleted account; two ideas of the same minute (the id breaks the tie).
    Contribution.objects.filter(pk=round_place.pk).update(commune=None)
    people[3].delete()
    same_minute = timezone.now() - timedelta(days=2)
    Contribution.objects.filter(pk__in=[studied.pk, line.pk]).update(created_at=same_minute)
    return {
        "theme": theme,
        "commune": first.commune.insee,
        "bbox": ",".join(str(v) for v in area_around(point_in("UB"), 900).extent),
        "count": Contribution.objects.filter(concertation=open_concertation)
        .exclude(status="withdrawn")
        .count(),
        "captured": captured,
        "first": first,
        "hidden": hidden,
    }
