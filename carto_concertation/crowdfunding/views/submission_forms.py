# SPDX-License-Identifier: AGPL-3.0-or-later
"""The forms of the submission and review pages. They read the values' types only; what
a project may hold is the services' to say (services/project_fields.py), and their
refusals land under the field they name (``errors_onto``)."""

from django import forms
from django.contrib.gis.geos import Point
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from carto_concertation.territories.models import Commune

from ..models import Project
from ..services.project_fields import PORTEUR_FIELDS, SUPPORT_FIELDS

WGS84 = 4326


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several files; whether each is a photo, and how many, is project_submit's to say."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list) else [data]
        return [super(PhotosField, self).clean(file, initial) for file in files if file]


def _date_field(label, *, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class ProjectForm(forms.Form):
    """A project as its porteur gives it, placed by longitude and latitude (the map fills
    them, or the porteur types them) or, without them, in the chosen commune."""

    title = forms.CharField(label=gettext_lazy("Title of the project"), strip=False)
    summary = forms.CharField(
        label=gettext_lazy("In one sentence"),
        strip=False,
        help_text=gettext_lazy("Shown on the map and in the list of projects."),
    )
    description = forms.CharField(
        label=gettext_lazy("Description"), strip=False, widget=forms.Textarea(attrs={"rows": 8})
    )
    theme = forms.ChoiceField(label=gettext_lazy("Theme"), choices=Project.Theme.choices)
    porteur_kind = forms.ChoiceField(
        label=gettext_lazy("Who carries the project"), choices=Project.PorteurKind.choices
    )
    porteur_name = forms.CharField(
        label=gettext_lazy("Name of the porteur"),
        strip=False,
        help_text=gettext_lazy(
            "The name of the association, business or group, shown in public; "
            "your own account never is."
        ),
    )
    longitude = forms.FloatField(label=gettext_lazy("Longitude"), required=False)
    latitude = forms.FloatField(label=gettext_lazy("Latitude"), required=False)
    commune = forms.TypedChoiceField(
        label=gettext_lazy("Or, without a map: the commune"),
        coerce=int,
        required=False,
        empty_value=None,
    )
    modality = forms.ChoiceField(
        label=gettext_lazy("How the public takes part"), choices=Project.Modality.choices
    )
    interest_rate = forms.DecimalField(
        label=gettext_lazy("Interest rate (% a year)"),
        required=False,
        max_digits=4,
        decimal_places=2,
        help_text=gettext_lazy("Only for a loan with interest."),
    )
    loan_months = forms.IntegerField(
        label=gettext_lazy("Length of the loan (months)"),
        required=False,
        help_text=gettext_lazy("Only for a loan, with or without interest."),
    )
    goal = forms.IntegerField(label=gettext_lazy("Goal of the campaign (euros)"))
    total_budget = forms.IntegerField(
        label=gettext_lazy("Whole budget of the project (euros, optional)"),
        required=False,
        help_text=gettext_lazy("The portal shows the share of it the campaign covers."),
    )
    campaign_starts_on = _date_field(gettext_lazy("The campaign starts on"))
    campaign_ends_on = _date_field(gettext_lazy("The campaign ends on"))
    platform = forms.ChoiceField(label=gettext_lazy("Platform"), choices=Project.Platform.choices)
    platform_name = forms.CharField(
        label=gettext_lazy("Name of the platform (another platform)"), required=False
    )
    campaign_url = forms.CharField(
        label=gettext_lazy("Link to the campaign on the platform"),
        help_text=gettext_lazy("Its address, beginning with https://"),
    )

    def __init__(self, *args, communes, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.communes = {commune.pk: commune for commune in communes}
        self.fields["commune"].choices = [("", _("Choose a commune"))] + [
            (pk, commune.name) for pk, commune in self.communes.items()
        ]

    def clean(self):
        data = super().clean()
        typed = data.get("longitude") is not None and data.get("latitude") is not None
        if not typed and not data.get("commune") and not self.errors:
            raise ValidationError(
                _("Place the project on the map, or give its coordinates or its commune.")
            )
        return data

    def place(self) -> Point | None:
        data = self.cleaned_data
        if data.get("longitude") is not None and data.get("latitude") is not None:
            return Point(data["longitude"], data["latitude"], srid=WGS84)
        commune: Commune | None = self.communes.get(data.get("commune"))
        return commune.geom.point_on_surface if commune else None

    def project_data(self) -> dict:
        """The porteur's fields for the services, the place made of its inputs."""
        data = {name: self.cleaned_data.get(name) for name in PORTEUR_FIELDS if name != "geom"}
        place = self.place()
        if place is not None:
            data["geom"] = place
        return data


class SubmitForm(ProjectForm):
    territory = forms.TypedChoiceField(
        label=gettext_lazy("Territory"), coerce=int, required=False, empty_value=None
    )
    photos = PhotosField(
        label=gettext_lazy("Photos (up to five)"),
        required=False,
        help_text=gettext_lazy("JPEG, PNG or WebP; they are re-encoded without their metadata."),
    )
    field_order = ["territory"]

    def __init__(self, *args, territories, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.territories = {territory.pk: territory for territory in territories}
        if len(self.territories) > 1:
            self.fields["territory"].required = True
            self.fields["territory"].choices = [("", _("Choose a territory"))] + [
                (pk, territory.name) for pk, territory in self.territories.items()
            ]
        else:
            del self.fields["territory"]

    def territory_chosen(self):
        if len(self.territories) == 1:
            return next(iter(self.territories.values()))
        return self.territories.get(self.cleaned_data.get("territory"))


class EditForm(ProjectForm):
    """The same fields, for a project already placed: its place changes only when new
    coordinates or a commune are given."""

    def clean(self):
        return forms.Form.clean(self)

    @classmethod
    def initial_of(cls, project: Project) -> dict:
        initial = {name: getattr(project, name) for name in PORTEUR_FIELDS if name != "geom"}
        return {name: ("" if value is None else value) for name, value in initial.items()}


class SupportForm(forms.Form):
    """The collectivité's support: the agents' own fields."""

    supported = forms.BooleanField(
        label=gettext_lazy("Show the “supported by” label of the local authority"),
        required=False,
    )
    cofunding = forms.IntegerField(
        label=gettext_lazy("Co-funding by the local authority (euros)"), required=False
    )
    public_meeting_on = _date_field(gettext_lazy("Public meeting on"), required=False)
    public_meeting_place = forms.CharField(
        label=gettext_lazy("Place of the public meeting"), required=False
    )

    @classmethod
    def initial_of(cls, project: Project) -> dict:
        return {name: getattr(project, name) for name in SUPPORT_FIELDS}


class RefuseForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason of the refusal"),
        strip=False,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("It is shown in public with the project."),
    )


def errors_onto(form: forms.Form, error: ValidationError) -> None:
    """A service's ValidationError under the field it names (the place under the
    coordinates, the refusal's reason under its box), else above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, messages in error.message_dict.items():
        name = "longitude" if field == "geom" else field
        form.add_error(name if name in form.fields else None, messages)
