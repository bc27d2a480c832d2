# SPDX-License-Identifier: AGPL-3.0-or-later
"""Public reads of the participatory budget: the published editions, their phases and
districts, their projects with public fields only. Other parts import
``edition_public(slug)`` and ``projects_public(edition)``."""

from django.contrib.gis.db.models.functions import PointOnSurface, Transform
from django.contrib.gis.geos import GEOSGeometry
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from ..models import District, Edition, EditionPhase, Project

WGS84 = 4326
# The statuses residents may support (a project still under discussion).
SUPPORTABLE = (Project.Status.PROPOSED, Project.Status.ADMISSIBLE)


def supporter_count(viewer=None) -> Count:
    """A project's supporters as published: not a banned account's (ProjectSupporter.counted),
    but for ``viewer`` their own support counts, banned or not (a ban is not told)."""
    counted = Q(supporters__counted=True)
    if getattr(viewer, "is_authenticated", False):
        counted |= Q(supporters__user=viewer)
    return Count("supporters", filter=counted, distinct=True)


def _open_now() -> Q:
    now = timezone.now()
    return Q(starts_at__lte=now) & (Q(ends_at__isnull=True) | Q(ends_at__gte=now))


def editions_public() -> QuerySet[Edition]:
    """The published editions, current first (one with a phase open now), then the most
    recent year."""
    now = timezone.now()
    opened = Q(phases__starts_at__lte=now) & (
        Q(phases__ends_at__isnull=True) | Q(phases__ends_at__gte=now)
    )
    return (
        Edition.objects.filter(is_published=True)
        .select_related("territory")
        .annotate(open_phases=Count("phases", filter=opened))
        .order_by("-open_phases", "-year", "title", "pk")
    )


def edition_public(slug: str) -> Edition | None:
    """A published edition by its slug, None otherwise."""
    if not isinstance(slug, str) or "\x00" in slug:
        return None
    return Edition.objects.filter(is_published=True, slug=slug).select_related("territory").first()


def edition_current(territory_id: int) -> Edition | None:
    """The territory's current edition: the first of ``editions_public`` there."""
    return editions_public().filter(territory_id=territory_id).first()


def phases_of(edition: Edition) -> list[EditionPhase]:
    """Its phases in order, each with ``is_open`` set."""
    now = timezone.now()
    phases = list(edition.phases.order_by("starts_at"))
    for phase in phases:
        phase.is_open = phase.starts_at <= now and (phase.ends_at is None or phase.ends_at >= now)
    return phases


def phase_open(edition: Edition, kind: str) -> bool:
    return edition.phases.filter(_open_now(), kind=kind).exists()


def districts_of(edition: Edition) -> QuerySet[District]:
    return edition.districts.order_by("name", "pk")


def district_at(edition: Edition, geom: GEOSGeometry) -> District | None:
    """The district of a place (stored SRID): the one holding the point, or an area's
    point on surface (a point inside it, unlike a centroid)."""
    point = geom if geom.geom_type == "Point" else geom.point_on_surface
    return edition.districts.filter(geom__covers=point).order_by("pk").first()


def shown_to(viewer) -> Q:
    """The projects ``viewer`` reads: all but those held (a banned account's, until the
    analysis), and their own held ones, which they see as any other of theirs."""
    if getattr(viewer, "is_authenticated", False):
        return Q(held=False) | Q(submitter=viewer)
    return Q(held=False)


def projects_public(edition: Edition, viewer=None) -> QuerySet[Project]:
    """Every project of a published edition (all of them are public once submitted, but
    a banned account's held ones: ``shown_to``), with its supporters count and WGS84
    place; the submitter is not selected."""
    return (
        Project.objects.filter(shown_to(viewer), edition=edition, edition__is_published=True)
        .select_related("district", "merged_into")
        .annotate(
            supporter_count=supporter_count(viewer),
            geom_wgs84=Transform("geom", WGS84),
            spot_wgs84=Transform(PointOnSurface("geom"), WGS84),
        )
        .order_by("number")
    )


def project_public(edition: Edition, number: int, viewer=None) -> Project | None:
    return projects_public(edition, viewer).prefetch_related("photos").filter(number=number).first()


def projects_filtered(
    edition: Edition,
    *,
    statuses: list[str] | None = None,
    district: int | None = None,
    viewer=None,
) -> QuerySet[Project]:
    projects = projects_public(edition, viewer)
    if statuses:
        projects = projects.filter(status__in=statuses)
    if district:
        projects = projects.filter(district_id=district)
    return projects


def supports_of(user) -> QuerySet[Project]:
    """The projects a person supports (their account page, their data)."""
    if not getattr(user, "is_authenticated", False):
        return Project.objects.none()
    return (
        Project.objects.filter(supporters__user=user, edition__is_published=True)
        .select_related("edition", "district")
        .order_by("-edition__year", "edition__title", "number")
    )


def submitted_by(user) -> QuerySet[Project]:
    """The projects a person submitted, whatever their edition's state."""
    if not getattr(user, "is_authenticated", False):
        return Project.objects.none()
    return (
        Project.objects.filter(submitter=user)
        .select_related("edition", "district")
        .order_by("-created_at", "-pk")
    )


def is_supporter(project: Project, user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return project.supporters.filter(user=user).exists()
