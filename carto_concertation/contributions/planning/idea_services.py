# SPDX-License-Identifier: AGPL-3.0-or-later
"""The planners' writes on an idea and on the bilan, one transaction each, checked with
the ideas' permissions first: the service an idea is assigned to, internal notes, the
bilan made public (its answer goes through moderation.contribution_answer)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from carto_concertation.concertations.models import Concertation
from carto_concertation.core.text import plain_text

from ..models import BilanPublication, Contribution, InternalNote
from . import bilan
from .permissions import planner_check


@transaction.atomic
def service_assign(*, contribution: Contribution, user, service: str) -> Contribution:
    """Give the idea to a service to study (empty: to none). Internal: not published."""
    planner_check(concertation=contribution.concertation, user=user)
    # Nothing the map shows changes: no footprint to announce (changes.py), one UPDATE.
    contribution.assigned_service = plain_text(service or "")[:120]
    Contribution.objects.filter(pk=contribution.pk).update(
        assigned_service=contribution.assigned_service
    )
    return contribution


@transaction.atomic
def internal_note_add(*, contribution: Contribution, user, text: str) -> InternalNote:
    """A note for the planners alone, signed and dated."""
    planner_check(concertation=contribution.concertation, user=user)
    text = plain_text(text or "")[:5000]
    if not text:
        raise ValidationError({"text": _("Write the note.")})
    return InternalNote.objects.create(contribution=contribution, author=user, text=text)


@transaction.atomic
def bilan_publish(*, concertation: Concertation, user, job_id) -> BilanPublication:
    """Make a generated bilan the public one (replacing any published before)."""
    planner_check(concertation=concertation, user=user)
    job = bilan.bilan_job(concertation=concertation, job_id=job_id)
    if job is None:
        raise ValidationError({"job": _("This bilan is not ready.")})
    publication, _created = BilanPublication.objects.update_or_create(
        concertation=concertation,
        defaults={"job": job, "published_at": timezone.now(), "published_by": user},
    )
    return publication


@transaction.atomic
def bilan_unpublish(*, concertation: Concertation, user) -> None:
    planner_check(concertation=concertation, user=user)
    BilanPublication.objects.filter(concertation=concertation).delete()
