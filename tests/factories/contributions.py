# SPDX-License-Identifier: AGPL-3.0-or-later
"""Contributions of the ideas module and what people do with them.

Through the services, which hold the invariants a row alone would not: contributions
through ``contribution_create`` (geometry checked in the perimeter, plain texts, status
after the moderation mode, commune and PLUi zones located, tiles announced); votes
through ``vote_cast`` (the tallies on the contribution); comments through
``comment_create``, reports through ``report_create``, photos through ``photo_add``
(re-encoded JPEG), the moderation log through ``contribution_hide`` (a log line is
written with the decision it records). Zone links go through the model.
"""

import io

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from carto_concertation.accounts.models import Role
from carto_concertation.contributions.comments import comment_create
from carto_concertation.contributions.follow import follow_set
from carto_concertation.contributions.models import (
    AnswerTemplate,
    BilanPublication,
    Contribution,
    ContributionPhoto,
    ContributionZone,
    Follow,
    IdeasSettings,
    InternalNote,
)
from carto_concertation.contributions.moderation import contribution_hide, report_create
from carto_concertation.contributions.photos import photo_add
from carto_concertation.contributions.services import (
    contribution_create,
    ideas_settings_save,
    vote_cast,
)
from carto_concertation.engagement.models import Ban, Comment, ModerationAction, Report, Vote

from .accounts import UserFactory, user_with_role
from .concertations import ConcertationFactory
from .core import JobFactory
from .geometry import shape_at, spot, wgs84
from .plui_documents import ZoneFactory


def place_in(concertation, n: int = 0, within=None):
    """The n-th place (geometry.spot) in ``within`` (a geometry in the storage SRID),
    by default in the first commune of the concertation's territory; in the storage SRID.
    A place the perimeter does not cover falls back on a point of the perimeter."""
    if within is None:
        commune = concertation.territory.communes.order_by("insee").first()
        within = commune.geom if commune else concertation.perimeter
    point = spot(within, n)
    return (
        point if concertation.perimeter.covers(point) else concertation.perimeter.point_on_surface
    )


def jpeg(width: int = 32, height: int = 24) -> SimpleUploadedFile:
    """A small JPEG upload."""
    output = io.BytesIO()
    Image.new("RGB", (width, height), (90, 140, 60)).save(output, "JPEG")
    return SimpleUploadedFile("photo.jpg", output.getvalue(), content_type="image/jpeg")


class ContributionFactory(factory.django.DjangoModelFactory):
    """An online idea by a new resident, in the first commune of its concertation.

    ``shape`` ("point", "line", "area") and ``within`` (a commune's or a zone's geometry)
    choose the place unless ``geometry`` (WGS84) is given.
    """

    class Meta:
        model = Contribution

    class Params:
        shape = "point"
        within = None

    concertation = factory.SubFactory(ConcertationFactory)
    author = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Idée n° {n}")
    text = "Une idée pour le territoire."
    geometry = factory.LazyAttributeSequence(
        lambda o, n: wgs84(shape_at(place_in(o.concertation, n, o.within), o.shape))
    )
    theme_ids = ()
    channel = Contribution.Channel.ONLINE

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return contribution_create(**kwargs)


class ContributionZoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContributionZone

    contribution = factory.SubFactory(ContributionFactory)
    zone = factory.SubFactory(ZoneFactory)
    share = 1.0


class VoteFactory(factory.django.DjangoModelFactory):
    """A support (+1) by a new resident; the contribution's tallies follow."""

    class Meta:
        model = Vote

    contribution = factory.SubFactory(ContributionFactory)
    voter = factory.SubFactory(UserFactory)
    value = 1

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return vote_cast(**kwargs)


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    contribution = factory.SubFactory(ContributionFactory)
    author = factory.SubFactory(UserFactory)
    text = factory.Sequence(lambda n: f"Commentaire n° {n}")
    parent = None

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return comment_create(**kwargs)


class ReportFactory(factory.django.DjangoModelFactory):
    """A report of a new contribution; of a comment with ``comment=``."""

    class Meta:
        model = Report

    reporter = factory.SubFactory(UserFactory)
    reason = "Propos injurieux."
    comment = None
    contribution = factory.Maybe(
        "comment", yes_declaration=None, no_declaration=factory.SubFactory(ContributionFactory)
    )

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return report_create(**kwargs)


class ModerationActionFactory(factory.django.DjangoModelFactory):
    """A moderator of the territory hides a contribution: the public log line."""

    class Meta:
        model = ModerationAction

    contribution = factory.SubFactory(ContributionFactory)
    actor = factory.LazyAttribute(
        lambda o: user_with_role(Role.MODERATOR, territory=o.contribution.concertation.territory)
    )
    reason = "Propos contraires à la charte."

    @classmethod
    def _create(cls, model_class, *args, contribution, actor, reason):
        contribution_hide(contribution=contribution, actor=actor, reason=reason)
        return ModerationAction.objects.filter(contribution=contribution).latest("created_at", "id")


class ContributionPhotoFactory(factory.django.DjangoModelFactory):
    """A photo its author adds to a contribution."""

    class Meta:
        model = ContributionPhoto

    contribution = factory.SubFactory(ContributionFactory)
    user = factory.LazyAttribute(lambda o: o.contribution.author)
    upload = factory.LazyFunction(jpeg)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return photo_add(**kwargs)


class AnswerTemplateFactory(factory.django.DjangoModelFactory):
    """An "under study" answer template (the planning tools); a closing status needs
    ``text`` and ``service``. Through the model: its constraints hold the invariants."""

    class Meta:
        model = AnswerTemplate

    concertation = factory.SubFactory(ConcertationFactory)
    title = factory.Sequence(lambda n: f"Réponse type n° {n}")
    status = AnswerTemplate.Status.UNDER_STUDY
    text = "Votre idée est à l'étude par le service urbanisme."
    service = "Service urbanisme"


class IdeasSettingsFactory(factory.django.DjangoModelFactory):
    """The settings of a new concertation's ideas map (made with its ideas module), with
    the values given saved through ``ideas_settings_save``."""

    class Meta:
        model = IdeasSettings

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        settings = ConcertationFactory().modules.get(module="ideas").ideas_settings
        for name, value in kwargs.items():
            setattr(settings, name, value)
        return ideas_settings_save(settings=settings)


class InternalNoteFactory(factory.django.DjangoModelFactory):
    """A planner's internal note on an idea, through the model (no invariant beyond it)."""

    class Meta:
        model = InternalNote

    contribution = factory.SubFactory(ContributionFactory)
    author = factory.LazyAttribute(
        lambda o: user_with_role(Role.PLANNER, territory=o.contribution.concertation.territory)
    )
    text = "À voir avec le service voirie avant de répondre."


class BilanPublicationFactory(factory.django.DjangoModelFactory):
    """A published bilan: a succeeded bilan job of the concertation, made public now."""

    class Meta:
        model = BilanPublication

    concertation = factory.SubFactory(ConcertationFactory)
    job = factory.LazyAttribute(
        lambda o: JobFactory(
            kind="bilan", status="succeeded", params={"concertation": o.concertation.slug}
        )
    )
    published_at = factory.LazyFunction(timezone.now)
    published_by = factory.LazyAttribute(
        lambda o: user_with_role(Role.PLANNER, territory=o.concertation.territory)
    )


class FollowFactory(factory.django.DjangoModelFactory):
    """A resident following a public idea, through ``follow_set`` (which refuses an idea
    the person may not see)."""

    class Meta:
        model = Follow

    contribution = factory.SubFactory(ContributionFactory)
    user = factory.SubFactory(UserFactory)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return follow_set(contribution=kwargs["contribution"], user=kwargs["user"])


class BanFactory(factory.django.DjangoModelFactory):
    """An account banned from a territory by one of its moderators."""

    class Meta:
        model = Ban

    territory = factory.SubFactory("tests.factories.territories.TerritoryFactory")
    user = factory.SubFactory(UserFactory)
    reason = "Messages injurieux répétés"
    banned_by = factory.LazyAttribute(
        lambda o: user_with_role(Role.MODERATOR, territory=o.territory)
    )
