# SPDX-License-Identifier: AGPL-3.0-or-later
"""Reads of the services' dashboard: which reports an agent works on (their services'
ones; every one for an administrator), the queue's filters, and the SLA's deadline.

The SLA of a category (``Category.sla_hours``) runs from the report's confirmation (its
filing when it needed none) to its being taken into account (``acknowledged_at``): a
report still "ouvert" past its deadline is overdue; one taken into account after it was
late."""

import django_filters
from django.contrib.gis.db.models.functions import Transform
from django.db.models import (
    BooleanField,
    Case,
    DateTimeField,
    ExpressionWrapper,
    F,
    Func,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Now
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from carto_concertation.accounts.selectors import user_is_administrator
from carto_concertation.core.filters import MultipleChoiceFilter, VocabularyFilterSet
from carto_concertation.territories.models import Commune, Territory
from carto_concertation.territories.selectors import module_on

from ..manifest import SIGNALEMENTS
from ..models import Category, Report, Service

# What the queue lists when no state is asked: what is still to be dealt with.
TO_DEAL_WITH = tuple(str(state) for state in Report.OPEN_STATES)


def desk_services(user) -> QuerySet[Service]:
    """The services whose reports the person works on: theirs, or every one for an
    administrator; in the territories where the module is on."""
    services = Service.objects.filter(module_on(SIGNALEMENTS.name)).select_related(
        "commune", "territory"
    )
    if user_is_administrator(user=user):
        return services
    return services.filter(members=user)


def desk_territories(user) -> QuerySet[Territory]:
    """The territories of those services (where their categories and communes come from)."""
    territories = Territory.objects.filter(module_on(SIGNALEMENTS.name, ""))
    if user_is_administrator(user=user):
        return territories
    return territories.filter(report_services__members=user).distinct()


def desk_reports(user) -> QuerySet[Report]:
    """Every report the person's services have (private and hidden ones included), but
    those still waiting for their reporter's confirmation and those of a territory where
    the module is off, with their SLA deadline."""
    reports = Report.objects.filter(module_on(SIGNALEMENTS.name)).exclude(
        state=Report.State.UNCONFIRMED
    )
    if not user_is_administrator(user=user):
        reports = reports.filter(service__in=Service.objects.filter(members=user))
    return with_deadline(reports)


def with_deadline(reports: QuerySet[Report]) -> QuerySet[Report]:
    """``deadline`` (None without an SLA), ``overdue`` (still "ouvert" past it) and
    ``acknowledged_late`` (taken into account after it)."""
    start = Coalesce("confirmed_at", "created_at")
    hours = Func(
        F("category__sla_hours"),
        function="make_interval",
        template="make_interval(hours => %(expressions)s)",
    )
    return reports.annotate(
        deadline=ExpressionWrapper(start + hours, output_field=DateTimeField())
    ).annotate(
        overdue=Case(
            When(
                state=Report.State.OPEN,
                acknowledged_at__isnull=True,
                deadline__lt=Now(),
                then=Value(True),
            ),
            default=Value(False),
            output_field=BooleanField(),
        ),
        acknowledged_late=Case(
            When(acknowledged_at__gt=F("deadline"), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
    )


def with_lonlat(reports: QuerySet[Report]) -> QuerySet[Report]:
    """``lonlat``: the place in WGS84, for the map and the exports."""
    return reports.annotate(lonlat=Transform("geom", 4326))


def point_feature(report: Report, properties: dict) -> dict:
    """A report (read ``with_lonlat``) as a GeoJSON feature, to the metre."""
    return {
        "type": "Feature",
        "id": report.pk,
        "geometry": {
            "type": "Point",
            "coordinates": [round(report.lonlat.x, 6), round(report.lonlat.y, 6)],
        },
        "properties": properties,
    }


class DeskFilter(VocabularyFilterSet):
    """The queue's filters; the same ones select the map, the exports and the figures.
    ``status`` is the house's name of the filter (core.filters), a report's state."""

    status = MultipleChoiceFilter(
        label=_("State"),
        field_name="state",
        choices=[c for c in Report.State.choices if c[0] != Report.State.UNCONFIRMED],
        help_text=_("Repeat, or separate by commas; none: the reports still to deal with."),
    )
    category = django_filters.ModelChoiceFilter(
        label=_("Category"), queryset=Category.objects.none(), method="filter_category"
    )
    commune = django_filters.ModelChoiceFilter(label=_("Commune"), queryset=Commune.objects.none())
    service = django_filters.ModelChoiceFilter(label=_("Service"), queryset=Service.objects.none())
    older_than = django_filters.NumberFilter(
        label=_("Older than (days)"), method="filter_older_than", min_value=0, max_value=3650
    )
    overdue = django_filters.BooleanFilter(
        label=_("Overdue only"),
        method="filter_overdue",
        widget=django_filters.widgets.forms.CheckboxInput,
    )

    class Meta:
        model = Report
        fields = ()

    def __init__(self, data=None, queryset=None, *, user, every_state: bool = False, **kwargs):
        super().__init__(data, queryset, **kwargs)
        territories = desk_territories(user)
        self.every_state = every_state
        self.filters["category"].queryset = Category.objects.filter(
            territory__in=territories
        ).select_related("parent")
        self.filters["commune"].queryset = Commune.objects.filter(
            territory__in=territories
        ).order_by("name")
        self.filters["service"].queryset = desk_services(user)

    def filter_category(self, queryset, name, category: Category | None):
        """A category and its sub-categories."""
        if category is None:
            return queryset
        return queryset.filter(Q(category=category) | Q(category__parent=category))

    def filter_older_than(self, queryset, name, days):
        if days is None:
            return queryset
        return queryset.filter(created_at__lt=timezone.now() - timezone.timedelta(days=int(days)))

    def filter_overdue(self, queryset, name, value):
        return queryset.filter(overdue=True) if value else queryset

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        if not self.every_state and not self.form.cleaned_data.get("status"):
            queryset = queryset.filter(state__in=TO_DEAL_WITH)
        return super().filter_queryset(queryset)


def desk_filter(*, user, params, every_state: bool = False) -> DeskFilter:
    """The filter set of the person's reports: ``.qs`` is what the query selects once
    ``.is_valid()``; ``.errors`` name each bad parameter. ``every_state``: no state asked
    is every state (the figures), not only those still to deal with (the queue)."""
    return DeskFilter(params, queryset=desk_reports(user), user=user, every_state=every_state)
