# SPDX-License-Identifier: AGPL-3.0-or-later
"""Participatory budget: editions, districts, phases, projects, ballots and follow-up,
through the models. An edition is published, approval, greedy, of 100,000 €, on a territory
of two communes; ``EditionFactory(districts=2)`` gives it its communes' squares as districts
(``phases="vote"`` opens that phase now, the earlier ones before it). A project lies in its
edition's first district (or the territory) and is put to the vote unless told otherwise."""

from datetime import timedelta

import factory
from django.utils import timezone

from carto_concertation.budgets.models import (
    Ballot,
    BallotChoice,
    District,
    Edition,
    EditionPhase,
    PaperBallotEntry,
    Participation,
    Project,
    ProjectFollower,
    ProjectPhoto,
    ProjectSupporter,
    ProjectUpdate,
    ResultRun,
)

from .accounts import UserFactory
from .geometry import spot
from .territories import TerritoryFactory

PHASE_ORDER = [kind for kind, _label in EditionPhase.Kind.choices]


class EditionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Edition
        skip_postgeneration_save = True

    territory = factory.SubFactory(TerritoryFactory, communes=2)
    title = factory.Sequence(lambda n: f"Budget participatif n° {n}")
    slug = factory.Sequence(lambda n: f"budget-{n}")
    year = 2026
    envelope = 100_000
    is_published = True

    @factory.post_generation
    def districts(edition, create, count, **kwargs):
        """Districts on the first ``count`` communes of the territory, with their envelopes
        when the edition is split per district."""
        for commune in edition.territory.communes.order_by("pk")[: count or 0]:
            DistrictFactory(
                edition=edition,
                name=commune.name,
                code=commune.insee,
                geom=commune.geom,
                envelope=edition.envelope // count if edition.split_by_district else None,
            )

    @factory.post_generation
    def phases(edition, create, current, **kwargs):
        """``phases="vote"``: every phase up to that one, the named one open now."""
        if not current:
            return
        now = timezone.now()
        kinds = PHASE_ORDER[: PHASE_ORDER.index(current) + 1]
        for index, kind in enumerate(reversed(kinds)):
            starts = now - timedelta(days=1 + 10 * index)
            EditionPhaseFactory(
                edition=edition,
                kind=kind,
                starts_at=starts,
                ends_at=now + timedelta(days=7) if index == 0 else starts + timedelta(days=9),
            )


class EditionPhaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EditionPhase

    edition = factory.SubFactory(EditionFactory)
    kind = EditionPhase.Kind.VOTE
    starts_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    ends_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District

    edition = factory.SubFactory(EditionFactory)
    name = factory.Sequence(lambda n: f"Quartier {n}")
    geom = factory.LazyAttribute(lambda d: d.edition.territory.geom)


def _place(project) -> object:
    district = project.district
    outline = district.geom if district is not None else project.edition.territory.geom
    return spot(outline, project.number % 100)


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    edition = factory.SubFactory(EditionFactory)
    number = factory.Sequence(lambda n: n + 1)
    district = factory.LazyAttribute(lambda p: p.edition.districts.order_by("pk").first())
    title = factory.Sequence(lambda n: f"Projet n° {n}")
    description = "Des bancs et des arbres sur la place."
    estimated_cost = 20_000
    geom = factory.LazyAttribute(_place)
    status = Project.Status.ON_BALLOT


class ProjectPhotoFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjectPhoto

    project = factory.SubFactory(ProjectFactory)
    image = factory.django.ImageField(format="JPEG", width=64, height=48)


class ProjectSupporterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjectSupporter

    project = factory.SubFactory(ProjectFactory, status=Project.Status.PROPOSED)
    user = factory.SubFactory(UserFactory)


class ParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participation

    edition = factory.SubFactory(EditionFactory)
    user = factory.SubFactory(UserFactory)


class BallotFactory(factory.django.DjangoModelFactory):
    """A ballot, with ``projects=[...]`` approved (or given ``points=[...]``)."""

    class Meta:
        model = Ballot
        skip_postgeneration_save = True

    edition = factory.SubFactory(EditionFactory)

    @factory.post_generation
    def projects(ballot, create, projects, points=None, **kwargs):
        for index, project in enumerate(projects or ()):
            BallotChoice.objects.create(
                ballot=ballot, project=project, points=points[index] if points else 1
            )


class BallotChoiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BallotChoice

    ballot = factory.SubFactory(BallotFactory)
    project = factory.SubFactory(ProjectFactory, edition=factory.SelfAttribute("..ballot.edition"))


class PaperBallotEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PaperBallotEntry

    edition = factory.SubFactory(EditionFactory)
    station = "Mairie"
    sheet = factory.Sequence(lambda n: f"{n + 1}")
    first_entry = factory.LazyFunction(lambda: {"choices": []})
    first_agent = factory.SubFactory(UserFactory)


class ResultRunFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ResultRun

    edition = factory.SubFactory(EditionFactory)
    rule = Edition.Rule.GREEDY
    satisfaction = Edition.Satisfaction.COST
    budget = factory.LazyAttribute(lambda r: r.edition.envelope)


class ProjectUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjectUpdate

    project = factory.SubFactory(ProjectFactory, status=Project.Status.WINNER)
    date = factory.LazyFunction(lambda: timezone.localdate())
    text = "Les travaux commencent lundi."


class ProjectFollowerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjectFollower

    project = factory.SubFactory(ProjectFactory, status=Project.Status.WINNER)
    user = factory.SubFactory(UserFactory)
