# SPDX-License-Identifier: AGPL-3.0-or-later
"""Query parameters of the public report list (django-filter, in the OpenAPI schema).
A bad value is a 400 naming the parameter. Several values are separated by commas."""

import django_filters
from django.core.validators import RegexValidator
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from carto_concertation.core.filters import BBoxFilter, MultipleChoiceFilter

from ..models import Report

# What the public list may hold: every state but "not confirmed".
LISTED_STATES = [(s.value, s.label) for s in Report.State if s != Report.State.UNCONFIRMED]


def _values(value: str) -> list[str]:
    return [part for part in value.split(",") if part]


class ReportFilter(django_filters.FilterSet):
    territory = django_filters.CharFilter(
        label=_("Territory"),
        method="filter_territory",
        validators=[RegexValidator(r"^\d{9}(,\d{9})*$", _("SIRENs, comma-separated."))],
        help_text=_("SIREN of territories, comma-separated."),
    )
    category = django_filters.CharFilter(
        label=_("Category"),
        method="filter_category",
        validators=[RegexValidator(r"^\d{1,18}(,\d{1,18})*$", _("Ids, comma-separated."))],
        help_text=_("Category ids, comma-separated; a category holds its sub-categories."),
    )
    state = MultipleChoiceFilter(
        label=_("State"),
        choices=LISTED_STATES,
        help_text=_("Repeat, or separate by commas, to ask for several states."),
    )
    commune = django_filters.CharFilter(
        label=_("Commune"),
        method="filter_commune",
        validators=[
            RegexValidator(r"^[0-9AB]{5}(,[0-9AB]{5})*$", _("INSEE codes, comma-separated."))
        ],
        help_text=_("INSEE codes of communes, comma-separated."),
    )
    bbox = BBoxFilter(
        label=_("Map extent"), help_text=_("min_lon,min_lat,max_lon,max_lat (WGS84).")
    )

    class Meta:
        model = Report
        fields = ()

    def filter_territory(self, queryset, name, value):
        return queryset.filter(territory__siren__in=_values(value))

    def filter_category(self, queryset, name, value):
        ids = [int(v) for v in _values(value)]
        return queryset.filter(Q(category_id__in=ids) | Q(category__parent_id__in=ids))

    def filter_commune(self, queryset, name, value):
        return queryset.filter(commune__insee__in=_values(value))
