# SPDX-License-Identifier: AGPL-3.0-or-later
"""The filters every figure of the dashboard shares (phase, dates, theme, channel,
status): one django-filter FilterSet, so the table, the maps and the charts always
count the same contributions. A bad value is a 400 naming the parameter. ``theme``,
``status``, ``created_after`` and ``created_before`` are the house's vocabulary
(core.filters): the same names, aliases and selection as the list and the tiles."""

import django_filters
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from carto_concertation.concertations.models import Concertation, Phase
from carto_concertation.core.filters import MultipleChoiceFilter, VocabularyFilterSet

from ..models import Contribution

# What the dashboard counts when no status is asked: every contribution received but
# the merged ones (counted in the idea they joined) and those their author withdrew.
COUNTED_STATUSES = tuple(
    s
    for s in Contribution.Status
    if s not in (Contribution.Status.MERGED, Contribution.Status.WITHDRAWN)
)


class NumberInFilter(django_filters.BaseInFilter, django_filters.NumberFilter):
    pass


class StatsFilter(VocabularyFilterSet):
    phase = django_filters.ModelChoiceFilter(
        label=_("Phase"),
        queryset=Phase.objects.none(),
        method="filter_phase",
        help_text=_("Id of a phase: the contributions received during it."),
    )
    created = django_filters.DateFromToRangeFilter(
        label=_("Dates"),
        field_name="created_at",
        help_text=_(
            "created_after / created_before (YYYY-MM-DD), both included; or since / until."
        ),
    )
    theme = NumberInFilter(
        label=_("Theme"),
        method="filter_theme",
        help_text=_("Theme ids, comma-separated (any of them)."),
    )
    channel = MultipleChoiceFilter(
        label=_("Channel"),
        choices=Contribution.Channel.choices,
        help_text=_("Repeat to ask for several channels."),
    )
    status = MultipleChoiceFilter(
        label=_("Status"),
        choices=Contribution.Status.choices,
        help_text=_("Repeat, or separate by commas, to ask for several statuses."),
    )

    class Meta:
        model = Contribution
        fields = ()

    def __init__(self, data=None, queryset=None, *, concertation: Concertation, **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.concertation = concertation
        self.filters["phase"].queryset = concertation.phases.all()

    def filter_phase(self, queryset, name, phase: Phase | None):
        if phase is None:
            return queryset
        during = Q(created_at__gte=phase.starts_at)
        if phase.ends_at is not None:
            during &= Q(created_at__lt=phase.ends_at)
        return queryset.filter(during)

    def filter_theme(self, queryset, name, value):
        links = Contribution.themes.through.objects.filter(theme_id__in=value)
        return queryset.filter(pk__in=links.values("contribution_id"))

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        if not self.form.cleaned_data.get("status"):
            queryset = queryset.filter(status__in=COUNTED_STATUSES)
        return super().filter_queryset(queryset)


def contributions_filtered(*, concertation: Concertation, params) -> QuerySet[Contribution]:
    """The concertation's contributions the query parameters select, or a
    ValidationError naming each bad parameter."""
    filterset = StatsFilter(
        params,
        queryset=Contribution.objects.filter(concertation=concertation),
        concertation=concertation,
    )
    if not filterset.is_valid():
        raise ValidationError(filterset.errors)
    themes = {int(t) for t in filterset.form.cleaned_data.get("theme") or ()}
    unknown = themes - set(concertation.themes.values_list("pk", flat=True))
    if unknown:
        raise ValidationError(
            {
                "theme": _("No theme %(ids)s in this concertation.")
                % {"ids": ", ".join(str(pk) for pk in sorted(unknown))}
            }
        )
    return filterset.qs
