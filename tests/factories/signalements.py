# SPDX-License-Identifier: AGPL-3.0-or-later
"""Signalements: categories, services, routing, reports and their history, through the
models (a report is confirmed and open unless told otherwise, in the first commune of
its territory, routed to nobody unless a service is given)."""

import hashlib

import factory
from django.utils import timezone

from carto_concertation.signalements.models import (
    ApiClient,
    BannedSender,
    Category,
    CategoryQuestion,
    Report,
    ReportFollower,
    ReportPhoto,
    ReportUpdate,
    Route,
    Service,
)

from .accounts import UserFactory
from .geometry import spot
from .territories import TerritoryFactory


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    territory = factory.SubFactory(TerritoryFactory, communes=2)
    code = factory.Sequence(lambda n: f"categorie-{n}")
    name = factory.Sequence(lambda n: f"Catégorie {n}")


class CategoryQuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CategoryQuestion

    category = factory.SubFactory(CategoryFactory)
    code = factory.Sequence(lambda n: f"question-{n}")
    label = factory.Sequence(lambda n: f"Question {n} ?")
    kind = CategoryQuestion.Kind.TEXT


class ServiceFactory(factory.django.DjangoModelFactory):
    """A service of the EPCI (``commune=None``) unless a commune is given."""

    class Meta:
        model = Service
        skip_postgeneration_save = True

    territory = factory.SubFactory(TerritoryFactory, communes=2)
    name = factory.Sequence(lambda n: f"Service technique n° {n}")
    email = factory.Sequence(lambda n: f"service{n}@mairie.example.fr")

    @factory.post_generation
    def members(service, create, extracted, **kwargs):
        for user in extracted or ():
            service.members.add(user)


class RouteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Route

    category = factory.SubFactory(CategoryFactory)
    commune = factory.LazyAttribute(
        lambda route: route.category.territory.communes.order_by("insee").first()
    )
    service = factory.LazyAttribute(
        lambda route: ServiceFactory(territory=route.category.territory)
    )


def _first_commune(report):
    return report.territory.communes.order_by("insee").first()


class ReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Report

    category = factory.SubFactory(CategoryFactory)
    territory = factory.SelfAttribute("category.territory")
    commune = factory.LazyAttribute(_first_commune)
    geom = factory.LazyAttributeSequence(
        lambda report, n: spot(report.commune.geom if report.commune else report.territory.geom, n)
    )
    description = factory.Sequence(lambda n: f"Lampadaire éteint devant le n° {n}")
    author = factory.SubFactory(UserFactory)
    state = Report.State.OPEN
    confirmed_at = factory.LazyFunction(timezone.now)


class ReportPhotoFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportPhoto

    report = factory.SubFactory(ReportFactory)
    image = factory.django.ImageField(width=40, height=30, format="JPEG")
    width = 40
    height = 30


class ReportUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportUpdate

    report = factory.SubFactory(ReportFactory)
    kind = ReportUpdate.Kind.STATE
    state_before = Report.State.OPEN
    state_after = Report.State.ACKNOWLEDGED
    text = "Nous avons pris en compte votre signalement."


class ReportFollowerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportFollower

    report = factory.SubFactory(ReportFactory)
    user = factory.SubFactory(UserFactory)


class ApiClientFactory(factory.django.DjangoModelFactory):
    """A partner application; its key is ``f"cle-{name}"`` (the digest is what is kept)."""

    class Meta:
        model = ApiClient

    territory = factory.SubFactory(TerritoryFactory, communes=2)
    name = factory.Sequence(lambda n: f"application-{n}")
    key_digest = factory.LazyAttribute(
        lambda client: hashlib.sha256(f"cle-{client.name}".encode()).hexdigest()
    )


class BannedSenderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BannedSender

    territory = factory.SubFactory(TerritoryFactory, communes=2)
    email = factory.Sequence(lambda n: f"importun{n}@example.org")
