# SPDX-License-Identifier: AGPL-3.0-or-later
"""The agents' forms for running an edition (plain HTML forms, no JavaScript needed).
They check the shape of the input; the services check the rules and write."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ..models import Edition, EditionPhase, Project
from ..services.analysis import REASON_MAX
from ..services.editions import MAX_EUROS, SETTINGS_FIELDS

MAX_NUMBER = 2**31 - 1

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"]


def _datetime_field(label, *, required: bool = True) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        input_formats=DATETIME_FORMATS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )


def errors_onto(form: forms.Form, error: ValidationError) -> None:
    """A service's refusal shown under the field it names (on top when not a field)."""
    for field, messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)


class EditionCreateForm(forms.Form):
    territory = forms.ModelChoiceField(
        label=pgettext_lazy("budgets editions", "Territory"), queryset=None, empty_label=None
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    year = forms.IntegerField(
        label=pgettext_lazy("budgets editions", "Year"), min_value=2000, max_value=2100
    )
    envelope = forms.IntegerField(
        label=pgettext_lazy("budgets editions", "Envelope (euros)"),
        min_value=1,
        max_value=MAX_EUROS,
    )

    def __init__(self, *args, territories, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["territory"].queryset = territories


class EditionSettingsForm(forms.ModelForm):
    class Meta:
        model = Edition
        fields = list(SETTINGS_FIELDS)
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}


class PhasesForm(forms.Form):
    """A start and an end per phase (the realisation may stay open-ended)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for kind, label in EditionPhase.Kind.choices:
            self.fields[f"{kind}_starts"] = _datetime_field(
                _("%(phase)s: start") % {"phase": label}
            )
            self.fields[f"{kind}_ends"] = _datetime_field(
                _("%(phase)s: end") % {"phase": label}, required=kind != "realisation"
            )

    @classmethod
    def initial_of(cls, edition: Edition) -> dict:
        initial = {}
        for phase in edition.phases.all():
            initial[f"{phase.kind}_starts"] = phase.starts_at
            initial[f"{phase.kind}_ends"] = phase.ends_at
        return initial

    def phases(self) -> list[dict]:
        data = self.cleaned_data
        return [
            {"kind": kind, "starts_at": data[f"{kind}_starts"], "ends_at": data.get(f"{kind}_ends")}
            for kind, _label in EditionPhase.Kind.choices
        ]


class DistrictsUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Districts file"),
        help_text=_("GeoJSON, GeoPackage or zipped Shapefile, in any coordinate system."),
    )
    name_field = forms.CharField(
        label=_("Field holding the district's name"), max_length=100, initial="nom"
    )


class EnvelopesForm(forms.Form):
    def __init__(self, *args, edition: Edition, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.districts = list(edition.districts.order_by("name"))
        for district in self.districts:
            self.fields[f"district_{district.pk}"] = forms.IntegerField(
                label=district.name, min_value=0, max_value=MAX_EUROS, initial=district.envelope
            )

    def envelopes(self) -> dict[int, int]:
        return {d.pk: self.cleaned_data[f"district_{d.pk}"] for d in self.districts}


class DecideForm(forms.Form):
    number = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=MAX_NUMBER)
    admissible = forms.TypedChoiceField(
        label=pgettext_lazy("budgets editions", "Decision"),
        choices=[
            ("yes", pgettext_lazy("budgets editions", "admissible")),
            ("no", pgettext_lazy("budgets editions", "not admissible")),
        ],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=pgettext_lazy("budgets editions", "Reason (public)"),
        required=False,
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    revised_cost = forms.IntegerField(
        label=pgettext_lazy("budgets editions", "Revised cost (euros)"),
        required=False,
        min_value=1,
        max_value=MAX_EUROS,
    )


class MergeForm(forms.Form):
    keep = forms.ModelChoiceField(label=_("Project kept"), queryset=None)
    merged = forms.ModelMultipleChoiceField(
        label=_("Projects merged into it"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    reason = forms.CharField(
        label=pgettext_lazy("budgets editions", "Reason (public)"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, edition: Edition, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        open_ones = Project.objects.filter(
            edition=edition,
            status__in=[
                Project.Status.PROPOSED,
                Project.Status.ADMISSIBLE,
                Project.Status.NOT_ADMISSIBLE,
            ],
        ).order_by("number")
        self.fields["keep"].queryset = open_ones
        self.fields["merged"].queryset = open_ones
        label = lambda project: f"{project.number}. {project.title}"  # noqa: E731
        self.fields["keep"].label_from_instance = label
        self.fields["merged"].label_from_instance = label
