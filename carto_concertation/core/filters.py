# SPDX-License-Identifier: AGPL-3.0-or-later
"""The house's filter vocabulary, and what the filter sets of the lists and the dashboard
share.

One name per filter everywhere a module's objects are selected — its list in the API, its
vector tiles, its statistics — so that ``?theme=3&status=retained`` selects the same
objects in each (ADR and docs/filters.md). ``VOCABULARY`` is that list: a module picks its
filters from it (and adds a name here, once, if it needs a new one); the FilterSets of the
lists and the dashboard take its aliases through ``VocabularyFilterSet``, the tile service
parses a tile URL with it (tiles.filters), and a module's tile layers name the filters they
take by these names (``LayerDefinition.filters``).

Several values are separated by commas everywhere (the lists and the dashboard also take
the parameter repeated). The dates are days in the local time zone, both ends included.
"""

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import django_filters
from django import forms
from django.contrib.gis.geos import Polygon
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from django_filters.fields import MultipleChoiceField


@dataclass(frozen=True)
class FilterParam:
    """One query parameter of the vocabulary.

    ``kind`` says what its value is: "ids" (numbers), "codes" (short codes such as
    statuses), "date_from" / "date_to" (a YYYY-MM-DD day, included). ``aliases`` are
    other names taken for it, kept because a part of the API answered to them first.
    """

    name: str
    kind: Literal["ids", "codes", "date_from", "date_to"]
    aliases: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


THEME = FilterParam("theme", "ids")
STATUS = FilterParam("status", "codes")
# The tiles took since/until before the list's names were shared.
CREATED_AFTER = FilterParam("created_after", "date_from", aliases=("since",))
CREATED_BEFORE = FilterParam("created_before", "date_to", aliases=("until",))

# The signalements' categories (a parent's id selects its children too).
CATEGORY = FilterParam("category", "ids")

VOCABULARY: tuple[FilterParam, ...] = (THEME, STATUS, CREATED_AFTER, CREATED_BEFORE, CATEGORY)


def vocabulary_query(data: Mapping | None) -> Mapping | None:
    """The query with each alias's values under the parameter's own name (the own name
    wins when both are given), for a FilterSet that knows the own names only."""
    if not data or not any(alias in data for p in VOCABULARY for alias in p.aliases):
        return data
    query = data.copy() if isinstance(data, QueryDict) else QueryDict(mutable=True)
    if not isinstance(data, QueryDict):
        for name, value in data.items():
            query.setlist(name, value if isinstance(value, list | tuple) else [value])
    for param in VOCABULARY:
        for alias in param.aliases:
            values = query.pop(alias, None)
            if values is not None and param.name not in query:
                query.setlist(param.name, values)
    return query


class VocabularyFilterSet(django_filters.FilterSet):
    """A FilterSet whose parameters are named by the vocabulary: it takes their aliases."""

    def __init__(self, data=None, *args, **kwargs) -> None:
        super().__init__(vocabulary_query(data), *args, **kwargs)


class BlankIgnoringMultipleChoiceField(MultipleChoiceField):
    """A form's "Tous…" option sends ``?status=``: an empty value is no choice, so no
    filter, rather than a choice that does not exist. Values separated by commas are
    several choices, as in the tile URLs (``?status=retained,under_study``)."""

    def to_python(self, value) -> list[str]:
        return [
            choice.strip()
            for given in super().to_python(value)
            for choice in given.split(",")
            if choice.strip()
        ]


class MultipleChoiceFilter(django_filters.MultipleChoiceFilter):
    field_class = BlankIgnoringMultipleChoiceField


class BBoxField(forms.CharField):
    """``min_lon,min_lat,max_lon,max_lat`` in WGS84."""

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        try:
            numbers = [float(part) for part in value.split(",")]
        except ValueError:
            numbers = []
        if len(numbers) != 4 or not all(math.isfinite(n) for n in numbers):
            raise ValidationError(_("Four numbers: min_lon,min_lat,max_lon,max_lat."))
        west, south, east, north = numbers
        if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
            raise ValidationError(_("The box is out of range or upside down."))
        return Polygon.from_bbox((west, south, east, north))


class BBoxFilter(django_filters.CharFilter):
    field_class = BBoxField

    def filter(self, queryset, value):
        if value is None:
            return queryset
        value.srid = 4326
        return queryset.filter(geom__intersects=value)
