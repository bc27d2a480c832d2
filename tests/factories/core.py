# SPDX-License-Identifier: AGPL-3.0-or-later
"""Background jobs, through the model (core.jobs.job_create also enqueues a task)."""

import factory

from carto_concertation.core.models import Job

from .accounts import UserFactory


class JobFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Job

    kind = "bilan"
    title = factory.Sequence(lambda n: f"Tâche n° {n}")
    params = factory.LazyFunction(lambda: {"format": "pdf"})
    created_by = factory.SubFactory(UserFactory)
