# SPDX-License-Identifier: AGPL-3.0-or-later
from django.db.models import QuerySet
from django.utils import timezone

from carto_concertation.accounts.models import Role
from carto_concertation.accounts.selectors import territories_for_role

from .models import Concertation, Phase


def concertation_public_list() -> QuerySet[Concertation]:
    """Concertations residents see: every one but drafts."""
    return (
        Concertation.objects.exclude(status=Concertation.Status.DRAFT)
        .select_related("territory")
        .prefetch_related("themes", "phases")
    )


def contributions_are_open(*, concertation: Concertation, at=None) -> bool:
    """Open status and inside the "contributions" phase."""
    if concertation.status != Concertation.Status.OPEN:
        return False
    at = at or timezone.now()
    return any(
        phase.kind == Phase.Kind.CONTRIBUTIONS and phase.is_current(at)
        for phase in concertation.phases.all()
    )


def concertations_planned_by(*, user) -> QuerySet[Concertation]:
    """The concertations whose dashboard a user opens: those of the territories where they
    are a planner (every one for an administrator)."""
    return Concertation.objects.filter(
        territory__in=territories_for_role(user=user, role=Role.PLANNER)
    ).order_by("title")
