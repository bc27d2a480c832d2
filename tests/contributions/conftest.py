# SPDX-License-Identifier: AGPL-3.0-or-later
import io
from datetime import timedelta

import pytest
from django.contrib.gis.geos import LineString, Point, Polygon
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from carto_concertation.concertations.models import Concertation
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
    contribution_withdraw,
    vote_cast,
)
from tests.factories import UserFactory
from tests.worlds import demo_user, lonlat_in, make_idea, point_in

# Helpers of tests/worlds.py, imported from here by the tests of this directory.
__all__ = ["demo_user", "lonlat_in", "make_idea", "point_in"]


@pytest.fixture
def open_concertation(small_open_concertation) -> Concertation:
    """The contributions' tests stand on the small world (tests/worlds.py), not the demo."""
    return small_open_concertation


@pytest.fixture
def author(client):
    """A resident of their own (fresh per test: the write rate limits count per user)."""
    user = UserFactory()
    client.force_login(user)
    return user


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
