# SPDX-License-Identifier: AGPL-3.0-or-later
"""What the filter sets of the lists and the dashboard share."""

import django_filters
from django_filters.fields import MultipleChoiceField


class BlankIgnoringMultipleChoiceField(MultipleChoiceField):
    """A form's "Tous…" option sends ``?status=``: an empty value is no choice, so no
    filter, rather than a choice that does not exist."""

    def to_python(self, value) -> list[str]:
        return [choice for choice in super().to_python(value) if choice != ""]


class MultipleChoiceFilter(django_filters.MultipleChoiceFilter):
    field_class = BlankIgnoringMultipleChoiceField
