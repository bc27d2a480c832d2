# SPDX-License-Identifier: AGPL-3.0-or-later
"""A concertation with contributions in every status, committed once per module.

Committed, not inside the test's transaction: the GeoPackage is written by ogr2ogr,
which reads PostGIS on a connection of its own (and so do the ASGI requests).
"""

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.gis.geos import LineString
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from carto_concertation.accounts.models import User
from carto_concertation.concertations.models import Concertation, Phase
from carto_concertation.concertations.services import concertation_create
from carto_concertation.contributions import comments, moderation, services
from carto_concertation.contributions.models import Contribution
from carto_concertation.territories.models import Territory
from plui_documents.models import UrbanDocument
from tests.demo_snapshot import demo_load
from tests.factories import UserFactory
from tests.worlds import point_in

# The statuses an export must carry, written here apart from the code under test.
PUBLIC = ("published", "under_study", "retained", "partly_retained", "not_retained")
HIDDEN_TITLE = "Idée masquée par la modération"
WITHDRAWN_TITLE = "Idée retirée par son auteur"
PENDING_TITLE = "Idée en attente de modération"
# GDAL keeps seconds as a float32: a moment 40 µs before the next second read back as a
# million microseconds, which QGIS's reader refused (the exports write to the second).
NEAR_A_SECOND = datetime(2026, 11, 30, 22, 59, 0, 999_960, tzinfo=UTC)


def _world() -> int:
    demo_load()
    now = timezone.now()
    territory = Territory.objects.get(siren="241800432")
    concertation = concertation_create(
        territory=territory,
        title="Export : révision du PLUi",
        accepted_geometries=["point", "line", "area"],
        phases={Phase.Kind.CONTRIBUTIONS: (now - timedelta(days=1), now + timedelta(days=30))},
        themes=[("Mobilité", "#1f77b4"), ("Habitat", "#ff7f0e")],
        plui_document=UrbanDocument.objects.get(),
        status=Concertation.Status.OPEN,
    )
    concertation_create(
        territory=territory, title="Brouillon à ne pas exporter", status=Concertation.Status.DRAFT
    )
    author = UserFactory(email="camille.secret@example.org", pseudonym="Camille Introuvable")
    voter = UserFactory(email="dominique.votant@example.org", pseudonym="Dominique Votant")
    planner = User.objects.get(email="urbanisme@demo.invalid")
    moderator = User.objects.get(email="moderation@demo.invalid")
    themes = list(concertation.themes.values_list("pk", flat=True))

    def idea(title: str, geometry, **extra) -> Contribution:
        return services.contribution_create(
            concertation=concertation, author=author, title=title, geometry=geometry, **extra
        )

    ideas = [
        idea(
            f'Idée n° {number}; avec "guillemets"',
            point_in(libelle, nth),
            text="Une ligne,\nune autre ; et un point-virgule.",
            theme_ids=themes[: 1 + number % 2],
        )
        for number, (libelle, nth) in enumerate(
            [("UE", 0), ("A", 0), ("UE", 1), ("N", 0), ("A", 1)]
        )
    ]
    area = point_in("UE", 2).buffer(0.0005)
    ideas.append(idea("Un parc ici", area, text="Un espace vert.", theme_ids=themes[1:]))
    start = point_in("UE", 2)
    path = LineString((start.x, start.y), (start.x + 0.0003, start.y + 0.0002), srid=4326)
    ideas.append(idea("Une piste cyclable", path, text="Le long de la route."))
    Contribution.objects.filter(pk=ideas[2].pk).update(created_at=NEAR_A_SECOND)
    services.vote_cast(contribution=ideas[0], voter=voter, value=1)
    comments.comment_create(contribution=ideas[0], author=voter, text="D'accord avec vous.")
    moderation.contribution_answer(
        contribution=ideas[1],
        actor=planner,
        status=Contribution.Status.RETAINED,
        answer="Retenu dans le projet de zonage.",
        answer_service="Service urbanisme",
    )
    hidden = idea(HIDDEN_TITLE, point_in("UE", 3), text="Texte masqué.")
    moderation.contribution_hide(contribution=hidden, actor=moderator, reason="Propos injurieux.")
    withdrawn = idea(WITHDRAWN_TITLE, point_in("UE", 4), text="Texte retiré.")
    services.contribution_withdraw(contribution=withdrawn, user=author)
    pending = idea(PENDING_TITLE, point_in("A", 2), text="Texte en attente.")
    # Awaiting moderation as under a before-publication concertation.
    Contribution.objects.filter(pk=pending.pk).update(status=Contribution.Status.SUBMITTED)
    return concertation.pk


@pytest.fixture(scope="module")
def export_world(django_db_setup, django_db_blocker, media_root):
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media_root):
        pk = _world()
    yield pk
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def exported(export_world, db) -> Concertation:
    return Concertation.objects.select_related("territory").get(pk=export_world)


def public_count(concertation: Concertation) -> int:
    """Counted in SQL, independently of the export's own query."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM contributions_contribution"
            " WHERE concertation_id = %s AND status = ANY(%s)",
            [concertation.pk, list(PUBLIC)],
        )
        return cursor.fetchone()[0]


def personal_strings() -> list[str]:
    """Every e-mail address and pseudonym in the database."""
    return [
        value
        for email, pseudonym in User.objects.values_list("email", "pseudonym")
        for value in (email, pseudonym)
        if value
    ]
