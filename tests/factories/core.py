# SPDX-License-Identifier: AGPL-3.0-or-later
"""Background jobs, through the model (core.jobs.job_create also enqueues a task)."""

import factory

from carto_concertation.core.models import AuditEntry, Job

from .accounts import UserFactory


class JobFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Job

    kind = "bilan"
    title = factory.Sequence(lambda n: f"Tâche n° {n}")
    params = factory.LazyFunction(lambda: {"format": "pdf"})
    created_by = factory.SubFactory(UserFactory)


class AuditEntryFactory(factory.django.DjangoModelFactory):
    """A staff action in the audit journal, as core.audit.audit_record writes it."""

    class Meta:
        model = AuditEntry

    actor = factory.SubFactory(UserFactory)
    actor_email = factory.LazyAttribute(lambda o: o.actor.email)
    action = "accounts.staff_signed_in"
    target_type = "accounts.user"
    target_id = factory.LazyAttribute(lambda o: str(o.actor.pk))
    ip = "192.0.2.10"
    user_agent = "Mozilla/5.0 (X11; Linux x86_64)"
