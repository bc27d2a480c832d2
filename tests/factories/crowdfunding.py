# SPDX-License-Identifier: AGPL-3.0-or-later
"""Crowdfunding: projects, their photos, figures, imports, news of the works and
followers, through the models. A project is a donation campaign of 10,000 € on Miimosa,
under way (it started ten days ago and ends in twenty), at a place in the first commune
of a territory of two communes; ``status=`` and the dates tell otherwise."""

from datetime import timedelta

import factory
from django.utils import timezone

from carto_concertation.crowdfunding.models import (
    FundingImport,
    FundingUpdate,
    Project,
    ProjectFollower,
    ProjectPhoto,
    WorksUpdate,
)

from .accounts import UserFactory
from .geometry import spot
from .territories import TerritoryFactory


def _first_commune(project):
    return project.territory.communes.order_by("pk").first()


def _place(project):
    outline = project.commune.geom if project.commune else project.territory.geom
    return spot(outline, project.sequence_number % 100)


class CrowdfundingProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project
        exclude = ("sequence_number",)

    sequence_number = factory.Sequence(lambda n: n)
    territory = factory.SubFactory(TerritoryFactory, communes=2)
    commune = factory.LazyAttribute(_first_commune)
    slug = factory.Sequence(lambda n: f"projet-{n}")
    title = factory.Sequence(lambda n: f"Projet participatif n° {n}")
    summary = "Une toiture solaire pour l’école"
    description = "Le projet et ce que la collecte finance."
    theme = Project.Theme.ENERGY
    geom = factory.LazyAttribute(_place)
    porteur_kind = Project.PorteurKind.ASSOCIATION
    porteur_name = "Association Énergies citoyennes"
    submitter = factory.SubFactory(UserFactory)
    modality = Project.Modality.DONATION
    goal = 10_000
    campaign_starts_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=10))
    campaign_ends_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=20))
    platform = Project.Platform.MIIMOSA
    campaign_url = factory.Sequence(lambda n: f"https://www.miimosa.com/fr/projects/projet-{n}")
    status = Project.Status.CAMPAIGN


class CrowdfundingPhotoFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjectPhoto

    project = factory.SubFactory(CrowdfundingProjectFactory)
    image = factory.django.ImageField(filename="photo.jpg", format="JPEG", width=40, height=30)
    caption = "La toiture"


class FundingImportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FundingImport

    project = factory.SubFactory(CrowdfundingProjectFactory)
    file_name = "export.csv"
    layout = "generic"
    lines = 3
    counted = 3


class FundingUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FundingUpdate

    project = factory.SubFactory(CrowdfundingProjectFactory)
    raised = 2_500
    contributors = 12
    source = FundingUpdate.Source.PORTEUR


class WorksUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorksUpdate

    project = factory.SubFactory(CrowdfundingProjectFactory, status=Project.Status.FUNDED)
    date = factory.LazyFunction(timezone.localdate)
    text = "Les panneaux sont posés."


class CrowdfundingFollowerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjectFollower

    project = factory.SubFactory(CrowdfundingProjectFactory)
    user = factory.SubFactory(UserFactory)
