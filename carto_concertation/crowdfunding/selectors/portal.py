# SPDX-License-Identifier: AGPL-3.0-or-later
"""The portal's public reads: the projects on the map and in its list twin (filtered by
modality, commune, theme and state), the figures of the portal per year and per commune,
and the facts a project's page states (days left, what a loan gives back).

Where the module is switched off in a territory, its projects are not found."""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.gis.db.models import Extent
from django.contrib.gis.db.models.functions import Transform
from django.db.models import Case, Count, IntegerField, Q, QuerySet, Sum, Value, When
from django.db.models.functions import ExtractYear
from django.utils import timezone

from carto_concertation.crowdfunding import MODULE
from carto_concertation.territories.models import Commune
from carto_concertation.territories.selectors import module_on, module_on_in

from ..models import Project
from .projects import project_public

WGS84 = 4326
Status = Project.Status
# On the map and in its list: every project the collectivité accepted (a refused one has
# its page, with the reason, but no place on the map).
MAP_STATUSES = tuple(status for status in Project.PUBLIC_STATUSES if status != Status.REFUSED)
# The portal's "projects proposed": those the collectivité put on the portal, as the
# Ardèche's portal counts its projects (neither one under review nor one refused).
PROPOSED_STATUSES = MAP_STATUSES
# Funded: the campaign reached its goal (the works may be done since).
FUNDED_STATUSES = (Status.FUNDED, Status.INAUGURATED)
# The list's order: what a resident can still fund first.
_STATUS_ORDER = Case(
    *[
        When(status=status, then=Value(rank))
        for rank, status in enumerate(
            (
                Status.CAMPAIGN,
                Status.ACCEPTED,
                Status.FUNDED,
                Status.INAUGURATED,
                Status.NOT_FUNDED,
                Status.REFUSED,
            )
        )
    ],
    default=Value(9),
    output_field=IntegerField(),
)


def projects_public() -> QuerySet[Project]:
    """Every public project (refused ones included) where the module is on, with its
    commune, territory, photos and WGS84 place; the submitter is not selected."""
    return (
        Project.objects.filter(module_on(MODULE), status__in=Project.PUBLIC_STATUSES)
        .select_related("territory", "commune")
        .prefetch_related("photos")
        .annotate(geom_wgs84=Transform("geom", WGS84))
        .defer("submitter", "decided_by")
    )


def projects_filtered(
    *,
    statuses: list[str] | None = None,
    modalities: list[str] | None = None,
    themes: list[str] | None = None,
    communes: list[str] | None = None,
) -> QuerySet[Project]:
    """The public projects these filters select (empty: no filter; no state: those on
    the map), communes by INSEE code; under way first, each ending soonest first."""
    projects = projects_public().filter(status__in=statuses or MAP_STATUSES)
    if modalities:
        projects = projects.filter(modality__in=modalities)
    if themes:
        projects = projects.filter(theme__in=themes)
    if communes:
        projects = projects.filter(commune__insee__in=communes)
    return projects.order_by(_STATUS_ORDER, "campaign_ends_on", "title", "pk")


def projects_refused() -> QuerySet[Project]:
    """The projects the collectivité refused, with their public reason: listed apart."""
    return projects_public().filter(status=Status.REFUSED).order_by("-decided_at", "title")


def status_counts(projects: QuerySet[Project]) -> dict[str, int]:
    """How many of these projects are in each state, and in all (``total``)."""
    counts = dict.fromkeys(MAP_STATUSES, 0)
    for row in projects.order_by().values("status").annotate(n=Count("pk")):
        counts[row["status"]] = row["n"]
    return {"total": sum(counts.values()), **counts}


def portal_communes() -> QuerySet[Commune]:
    """The communes holding a project on the map: the commune filter's choices."""
    return (
        Commune.objects.filter(module_on(MODULE), crowdfunding_projects__status__in=MAP_STATUSES)
        .distinct()
        .order_by("name", "insee")
    )


def _figures(projects: QuerySet[Project], *group: str) -> QuerySet:
    funded = Q(status__in=FUNDED_STATUSES)
    return projects.values(*group).annotate(
        proposed=Count("pk"),
        funded=Count("pk", filter=funded),
        raised=Sum("raised", filter=funded, default=0),
        contributors=Sum("contributors", filter=funded, default=0),
    )


def portal_figures() -> dict[str, list[dict] | dict]:
    """The portal's figures, as the Ardèche's portal publishes them: projects proposed
    (put on the portal), funded, and the amount raised and the contributors of the funded
    ones (a campaign that missed its goal gives the money back), per year — the year its
    campaign ends — and per commune, with the totals."""
    projects = Project.objects.filter(module_on(MODULE), status__in=PROPOSED_STATUSES).order_by()
    per_year = [
        {"year": row.pop("year"), **row}
        for row in _figures(
            projects.annotate(year=ExtractYear("campaign_ends_on")), "year"
        ).order_by("-year")
    ]
    per_commune = [
        {"commune": row.pop("commune__name") or "", "insee": row.pop("commune__insee") or "", **row}
        for row in _figures(projects, "commune__name", "commune__insee").order_by(
            "commune__name", "commune__insee"
        )
    ]
    total = projects.aggregate(
        proposed=Count("pk"),
        funded=Count("pk", filter=Q(status__in=FUNDED_STATUSES)),
        raised=Sum("raised", filter=Q(status__in=FUNDED_STATUSES), default=0),
        contributors=Sum("contributors", filter=Q(status__in=FUNDED_STATUSES), default=0),
    )
    return {"per_year": per_year, "per_commune": per_commune, "total": total}


def portal_extent() -> tuple[float, float, float, float] | None:
    """The WGS84 box (west, south, east, north) of the projects on the map, if any."""
    box = projects_filtered().order_by().aggregate(box=Extent("geom_wgs84"))["box"]
    return tuple(round(value, 6) for value in box) if box else None


def platform_name(project: Project) -> str:
    """The platform's name (the one typed for "another platform")."""
    if project.platform == Project.Platform.OTHER and project.platform_name:
        return project.platform_name
    return str(project.get_platform_display())


def project_visible(slug: str) -> Project | None:
    """A public project by its slug where the module is on (its page), with its photos."""
    project = project_public(slug)
    if project is None or not module_on_in(project.territory, MODULE):
        return None
    return project


@dataclass(frozen=True)
class CampaignTiming:
    """Where the campaign stands today: to come, under way (days left), or ended."""

    state: str  # "to_come", "under_way" or "ended"
    days: int  # days until it starts, days left (0: its last day), days since it ended


def campaign_timing(project: Project, today: date | None = None) -> CampaignTiming:
    today = today or timezone.localdate()
    if today < project.campaign_starts_on:
        return CampaignTiming("to_come", (project.campaign_starts_on - today).days)
    if today <= project.campaign_ends_on and project.status in (Status.ACCEPTED, Status.CAMPAIGN):
        return CampaignTiming("under_way", (project.campaign_ends_on - today).days)
    return CampaignTiming("ended", max((today - project.campaign_ends_on).days, 0))


@dataclass(frozen=True)
class LoanExample:
    """What a lent sum gives back in constant monthly payments (an example, the platform's
    contract states the real schedule)."""

    lent: int
    months: int
    monthly: Decimal
    total: Decimal


EXAMPLE_LENT = 100


def loan_example(project: Project, lent: int = EXAMPLE_LENT) -> LoanExample | None:
    """For a loan with a length: the monthly payment and the total given back for
    ``lent`` euros (interest-free: the sum split in equal payments), rounded to the cent."""
    if project.modality not in Project.LOAN_MODALITIES or not project.loan_months:
        return None
    months = project.loan_months
    rate = Decimal(project.interest_rate or 0) / 100 / 12
    if rate:
        monthly = Decimal(lent) * rate / (1 - (1 + rate) ** -months)
    else:
        monthly = Decimal(lent) / months
    cent = Decimal("0.01")
    return LoanExample(
        lent=lent,
        months=months,
        monthly=monthly.quantize(cent, ROUND_HALF_UP),
        total=(monthly * months).quantize(cent, ROUND_HALF_UP),
    )
