# SPDX-License-Identifier: AGPL-3.0-or-later
from django.db.models import QuerySet
from django.utils import timezone

from carto_concertation.accounts.models import Role
from carto_concertation.accounts.selectors import territories_for_role
from carto_concertation.core.modules import MapSpace

from .models import Concertation, Phase


def concertation_public_list() -> QuerySet[Concertation]:
    """Concertations residents see: every one but drafts."""
    return (
        Concertation.objects.exclude(status=Concertation.Status.DRAFT)
        .select_related("territory")
        .prefetch_related("themes", "phases")
    )


def _map_space(concertation: Concertation) -> MapSpace:
    return MapSpace(
        pk=concertation.pk,
        slug=concertation.slug,
        title=concertation.title,
        territory_id=concertation.territory_id,
        perimeter=concertation.perimeter,
        zoning=concertation.plui_document_id is not None,
        themes=tuple((theme.pk, theme.colour) for theme in concertation.themes.all()),
        zoning_document_id=concertation.plui_document_id,
    )


def concertation_map_space_public(slug: str) -> MapSpace | None:
    """The map's view of a concertation residents see (core.modules.SpaceLookup)."""
    concertation = concertation_public_list().filter(slug=slug).first()
    return _map_space(concertation) if concertation else None


def concertation_map_space(pk: int) -> MapSpace | None:
    """The map's view of any concertation, by id (an offline package's job)."""
    concertation = Concertation.objects.prefetch_related("themes").filter(pk=pk).first()
    return _map_space(concertation) if concertation else None


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
