# SPDX-License-Identifier: AGPL-3.0-or-later
"""The services' figures (/signalements/services/chiffres/): reports per category and
per commune, and per service the median time to "pris en compte" and to "résolu"
(PostgreSQL's ``percentile_cont``, the true median, not an average) with the count of
overdue reports. All of it on the reports the dashboard's filters select."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Aggregate, Count, F, FloatField, Func, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from ..models import Category, Report, Service


class Median(Aggregate):
    """The median of a number (PostgreSQL's ``percentile_cont(0.5)``); nulls left out."""

    function = "percentile_cont"
    name = "Median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def _seconds_to(moment: str) -> Func:
    """Seconds from the report's confirmation (its filing without one) to ``moment``."""
    return Func(
        F(moment) - Coalesce("confirmed_at", "created_at"),
        template="EXTRACT(EPOCH FROM %(expressions)s)",
        output_field=FloatField(),
    )


@dataclass(frozen=True)
class ServiceFigures:
    service: Service | None
    total: int
    to_acknowledge: timedelta | None  # median time to "pris en compte"
    to_fix: timedelta | None  # median time to "résolu"
    overdue: int  # still "ouvert" past the SLA's deadline
    acknowledged_late: int

    @property
    def to_acknowledge_text(self) -> str:
        return duration_text(self.to_acknowledge)

    @property
    def to_fix_text(self) -> str:
        return duration_text(self.to_fix)


def duration_text(duration: timedelta | None) -> str:
    """ "2 j 4 h", "3 h 12 min", "25 min"; a dash for no value."""
    if duration is None:
        return "—"
    minutes = int(duration.total_seconds() // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return _("%(days)s d %(hours)s h") % {"days": days, "hours": hours}
    if hours:
        return _("%(hours)s h %(minutes)s min") % {"hours": hours, "minutes": minutes}
    return _("%(minutes)s min") % {"minutes": minutes}


def per_category(reports: QuerySet[Report]) -> list[tuple[Category, int]]:
    counts = dict(
        reports.order_by()
        .values_list("category")
        .annotate(n=Count("pk"))
        .values_list("category", "n")
    )
    categories = Category.objects.filter(pk__in=counts).select_related("parent")
    return sorted(
        ((category, counts[category.pk]) for category in categories),
        key=lambda row: (-row[1], str(row[0])),
    )


def per_commune(reports: QuerySet[Report]) -> list[dict]:
    """``{"name", "insee", "n"}``, the most reported first; a report out of every commune
    (the commune was removed since) under a name of None."""
    return list(
        reports.order_by()
        .values(name=F("commune__name"), insee=F("commune__insee"))
        .annotate(n=Count("pk"))
        .order_by("-n", "name")
    )


def per_service(reports: QuerySet[Report]) -> list[ServiceFigures]:
    """One row per service the reports are routed to, the most reported first. Only
    reports "résolu" count for the time to fix (a "non résolu" one was never fixed)."""
    rows = (
        reports.order_by()
        .values("service")
        .annotate(
            total=Count("pk"),
            to_acknowledge=Median(_seconds_to("acknowledged_at")),
            to_fix=Median(_seconds_to("fixed_at"), filter=Q(state=Report.State.FIXED)),
            overdue_count=Count("pk", filter=Q(overdue=True)),
            late_count=Count("pk", filter=Q(acknowledged_late=True)),
        )
    )
    services = Service.objects.select_related("commune").in_bulk(
        [row["service"] for row in rows if row["service"]]
    )

    def duration(seconds: float | None) -> timedelta | None:
        return None if seconds is None else timedelta(seconds=round(seconds))

    figures = [
        ServiceFigures(
            service=services.get(row["service"]),
            total=row["total"],
            to_acknowledge=duration(row["to_acknowledge"]),
            to_fix=duration(row["to_fix"]),
            overdue=row["overdue_count"],
            acknowledged_late=row["late_count"],
        )
        for row in rows
    ]
    return sorted(figures, key=lambda row: (-row.total, str(row.service or "")))
