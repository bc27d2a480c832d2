# SPDX-License-Identifier: AGPL-3.0-or-later
"""The ideas' demo (the ``demo`` slot of their manifest): an open concertation on the demo
territory's real PLUi, with sample ideas spread over the zoning, comments, votes and a few
answers, all written through the services (so they are checked, located and tiled like
real ones). The space is created here, with the ideas' settings (PLUi, themes), as the
ideas module needs it."""

from datetime import timedelta

from django.conf import settings
from django.contrib.gis.geos import LineString, Point, Polygon
from django.utils import timezone
from django.utils.translation import gettext as _

from carto_concertation.accounts.models import Role, User
from carto_concertation.accounts.services import user_create
from carto_concertation.concertations.models import Concertation, Phase
from carto_concertation.concertations.services import concertation_create
from carto_concertation.core.modules import DemoBackbone
from carto_concertation.territories.models import Territory
from plui_documents.models import UrbanDocument, Zone

from ..comments import comment_create
from ..moderation import contribution_answer
from ..services import contribution_create, vote_cast
from .content import (
    ANSWERS,
    COMMENTS,
    DEMO_ANSWER_SERVICE,
    DEMO_CONCERTATION_SLUG,
    DEMO_CONCERTATION_TITLE,
    DEMO_RESIDENTS,
    IDEAS,
    REPLY,
    THEMES,
)


def ideas_demo_load(backbone: DemoBackbone) -> str | None:
    """The demo concertation, once, on the demo territory only."""
    if backbone.territory is None:
        return None
    concertation = demo_concertation_load(
        territory=backbone.territory,
        planner=backbone.accounts[Role.PLANNER],
        password=backbone.password,
    )
    if concertation is None:
        return None
    return _("Demo concertation loaded: /concertations/%(slug)s/") % {"slug": concertation.slug}


def demo_concertation_load(
    *, territory: Territory, planner: User, password: str | None
) -> Concertation | None:
    """Create the demo concertation once (None when it exists or the PLUi is missing).
    Call it inside a transaction: all of it is written, or nothing."""
    document = UrbanDocument.objects.filter(territory=territory).first()
    if document is None or Concertation.objects.filter(slug=DEMO_CONCERTATION_SLUG).exists():
        return None
    now = timezone.now()
    concertation = concertation_create(
        territory=territory,
        title=DEMO_CONCERTATION_TITLE,
        description=(
            "<p>La communauté de communes révise son PLUi. Placez vos idées sur la carte,"
            " commentez celles des autres et soutenez celles qui vous parlent.</p>"
        ),
        charter="<p>Restez courtois ; pas de données personnelles ; une idée par contribution.</p>",
        phases={
            Phase.Kind.INFORMATION: (now - timedelta(days=45), now - timedelta(days=30)),
            Phase.Kind.CONTRIBUTIONS: (now - timedelta(days=30), None),
        },
        themes=THEMES,
        plui_document=document,
        status=Concertation.Status.OPEN,
    )
    residents = [_resident(email, pseudonym, password) for email, pseudonym in DEMO_RESIDENTS]
    themes = {theme.name: theme.pk for theme in concertation.themes.all()}
    zones = _zones_by_type(document)
    ideas = []
    for index, sample in enumerate(IDEAS):
        candidates = zones[sample.typezone]
        zone = candidates[(index * 7) % len(candidates)]
        ideas.append(
            contribution_create(
                concertation=concertation,
                author=residents[index % len(residents)],
                title=sample.title,
                text=sample.text,
                geometry=_place(zone, sample.shape, concertation),
                theme_ids=[themes[sample.theme]],
            )
        )
    for index, idea in enumerate(ideas):
        for voter in residents[: (index * 3) % (len(residents) + 1)]:
            if voter != idea.author:
                vote_cast(contribution=idea, voter=voter, value=1)
        if index % 3 == 0:
            first = comment_create(
                contribution=idea,
                author=residents[(index + 1) % len(residents)],
                text=COMMENTS[index % len(COMMENTS)],
            )
            if index % 2 == 0:
                comment_create(
                    contribution=idea,
                    author=residents[(index + 2) % len(residents)],
                    text=REPLY,
                    parent=first,
                )
    for index, status, answer in ANSWERS:
        contribution_answer(
            contribution=ideas[index],
            actor=planner,
            status=status,
            answer=answer,
            answer_service=DEMO_ANSWER_SERVICE if answer else "",
        )
    return concertation


def _resident(email: str, pseudonym: str, password: str | None) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = user_create(
            email=email,
            pseudonym=pseudonym,
            password=password,
            consent_version=settings.CONSENT_VERSION,
        )
    return user


def _zones_by_type(document: UrbanDocument) -> dict[str, list[Zone]]:
    zones: dict[str, list[Zone]] = {}
    for zone in Zone.objects.filter(version=document.current_version).order_by("source_fid"):
        zones.setdefault(zone.typezone, []).append(zone)
    return zones


def _place(zone: Zone, shape: str, concertation: Concertation):
    """A point inside the zone, or a short line or small area around it when that stays
    inside the concertation's perimeter (WGS84, as the API receives places)."""
    centre = zone.geom.point_on_surface
    x, y = centre.x, centre.y
    candidates = {
        "line": LineString((x - 120, y - 30), (x, y), (x + 120, y + 40), srid=settings.SRID),
        "area": Polygon(
            (
                (x - 50, y - 40),
                (x + 50, y - 40),
                (x + 50, y + 40),
                (x - 50, y + 40),
                (x - 50, y - 40),
            ),
            srid=settings.SRID,
        ),
    }
    place = candidates.get(shape)
    if place is None or not concertation.perimeter.covers(place):
        place = Point(x, y, srid=settings.SRID)
    return place.transform(4326, clone=True)
