# SPDX-License-Identifier: AGPL-3.0-or-later
"""Query parameters of the contribution list (django-filter; described in the OpenAPI
schema by drf-spectacular). A bad value is a 400 naming the parameter. ``theme``,
``status``, ``created_after`` and ``created_before`` are the house's vocabulary
(core.filters): the same names, aliases and selection as the tiles and the dashboard."""

import django_filters
from django.contrib.postgres.search import SearchQuery
from django.utils.translation import gettext_lazy as _

from carto_concertation.core.filters import BBoxFilter, MultipleChoiceFilter, VocabularyFilterSet
from plui_documents.cnig import typezone_domain
from plui_documents.models import CnigVersion

from .models import Contribution, ContributionZone
from .selectors import LISTED_STATUSES


class NumberInFilter(django_filters.BaseInFilter, django_filters.NumberFilter):
    pass


class CharInFilter(django_filters.BaseInFilter, django_filters.CharFilter):
    pass


def typezone_choices() -> list[tuple[str, str]]:
    """Every TYPEZONE of the CNIG standards (2014, 2017, 2024), in the standard's order."""
    codes = dict.fromkeys(code for version in CnigVersion for code in typezone_domain(version))
    return [(code, code) for code in codes]


ORDERINGS = {
    "recent": ("-created_at", "-id"),
    "supported": ("-votes_for", "-rating_sum", "-created_at", "-id"),
    "debated": ("-comment_count", "-created_at", "-id"),
}


class ContributionFilter(VocabularyFilterSet):
    theme = NumberInFilter(
        label=_("Theme"),
        method="filter_theme",
        help_text=_("Theme ids, comma-separated (any of them)."),
    )
    status = MultipleChoiceFilter(
        label=_("Status"),
        choices=[(s.value, s.label) for s in LISTED_STATUSES],
        help_text=_("Repeat, or separate by commas, to ask for several statuses."),
    )
    commune = CharInFilter(
        label=_("Commune"),
        field_name="commune__insee",
        help_text=_("INSEE codes of communes, comma-separated."),
    )
    typezone = MultipleChoiceFilter(
        label=_("PLUi zone type"),
        choices=typezone_choices,
        method="filter_typezone",
        help_text=_("TYPEZONE of the PLUi zones touched (U, AUc, AUs, A, N); repeatable."),
    )
    bbox = BBoxFilter(
        label=_("Map extent"), help_text=_("min_lon,min_lat,max_lon,max_lat (WGS84).")
    )
    created = django_filters.DateFromToRangeFilter(
        label=_("Dates"),
        field_name="created_at",
        help_text=_("created_after / created_before (YYYY-MM-DD), or since / until."),
    )
    search = django_filters.CharFilter(
        label=_("Search"),
        method="filter_search",
        help_text=_("Full-text search in French on titles and texts."),
    )
    ordering = django_filters.ChoiceFilter(
        label=_("Sort"),
        choices=[
            ("recent", _("most recent first")),
            ("supported", _("most supported first")),
            ("debated", _("most debated first")),
        ],
        method="filter_ordering",
        help_text=_("recent (default), supported or debated."),
    )

    # What a hidden idea said, where and under which themes stays unknown: a filter on
    # any of these never finds it (its placeholder is listed without them).
    CONTENT = ("theme", "commune", "typezone", "bbox", "search")

    class Meta:
        model = Contribution
        fields = ()

    def filter_queryset(self, queryset):
        if any(self.form.cleaned_data.get(name) for name in self.CONTENT):
            queryset = queryset.exclude(status=Contribution.Status.HIDDEN)
        return super().filter_queryset(queryset)

    def filter_theme(self, queryset, name, value):
        links = Contribution.themes.through.objects.filter(theme_id__in=value)
        return queryset.filter(pk__in=links.values("contribution_id"))

    def filter_typezone(self, queryset, name, value: list[str]):
        if not value:
            return queryset
        links = ContributionZone.objects.filter(zone__typezone__in=value)
        return queryset.filter(pk__in=links.values("contribution_id"))

    def filter_search(self, queryset, name, value):
        query = SearchQuery(value, config="french", search_type="websearch")
        return queryset.filter(search=query)

    def filter_ordering(self, queryset, name, value):
        return queryset.order_by(*ORDERINGS.get(value, ORDERINGS["recent"]))
