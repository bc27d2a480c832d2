# SPDX-License-Identifier: AGPL-3.0-or-later
"""Map workshops and their captures, through the services: ``workshop_create`` checks
the person runs workshops in the commune, ``workshop_capture_record`` the capture
window and the key, and writes the anonymous contribution with the capture."""

import uuid
from datetime import timedelta

import factory
from django.utils import timezone

from carto_concertation.accounts.models import Role
from carto_concertation.workshops.models import Workshop, WorkshopCapture
from carto_concertation.workshops.services import (
    CapturePayload,
    workshop_capture_record,
    workshop_create,
)

from .accounts import user_with_role
from .concertations import ConcertationFactory
from .contributions import place_in
from .geometry import wgs84


class WorkshopFactory(factory.django.DjangoModelFactory):
    """A workshop in two days in the first commune of the territory, held by a new
    planner of the territory (``created_by`` may be a relay of the commune)."""

    class Meta:
        model = Workshop

    concertation = factory.SubFactory(ConcertationFactory)
    commune = factory.LazyAttribute(
        lambda o: o.concertation.territory.communes.order_by("insee").first()
    )
    created_by = factory.LazyAttribute(
        lambda o: user_with_role(Role.PLANNER, territory=o.concertation.territory)
    )
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=2))
    place = "Salle des fêtes"
    facilitator = "Agence d'urbanisme"

    @classmethod
    def _create(cls, model_class, *args, created_by, **kwargs):
        return workshop_create(user=created_by, **kwargs)


class WorkshopCaptureFactory(factory.django.DjangoModelFactory):
    """An idea captured on the tablet in the workshop's commune."""

    class Meta:
        model = WorkshopCapture

    workshop = factory.SubFactory(WorkshopFactory)
    captured_by = factory.LazyAttribute(lambda o: o.workshop.created_by)
    key = factory.Sequence(lambda n: uuid.UUID(int=0xFAC7 << 64 | n))
    channel = WorkshopCapture.Channel.WORKSHOP
    # The captured idea (CapturePayload).
    title = factory.Sequence(lambda n: f"Idée d'atelier n° {n}")
    text = "Dite par une participante."
    geometry = factory.LazyAttributeSequence(
        lambda o, n: wgs84(place_in(o.workshop.concertation, n, o.workshop.commune.geom))
    )
    participant = "Lise"

    @classmethod
    def _create(cls, model_class, *args, workshop, captured_by, key, channel, **payload):
        capture, _created = workshop_capture_record(
            workshop=workshop,
            user=captured_by,
            key=key,
            payload=CapturePayload(channel=channel, **payload),
        )
        return capture
