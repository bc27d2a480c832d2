# SPDX-License-Identifier: AGPL-3.0-or-later
from django import forms
from django.utils.translation import gettext_lazy as _

from carto_concertation.concertations.models import Concertation
from carto_concertation.territories.models import Commune


class WorkshopForm(forms.Form):
    """The relay's form on /workshops/: the choices are what they may use."""

    concertation = forms.ModelChoiceField(
        label=_("Concertation"), queryset=Concertation.objects.none()
    )
    commune = forms.ModelChoiceField(label=_("Commune"), queryset=Commune.objects.none())
    starts_at = forms.DateTimeField(
        label=_("Date and time"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    place = forms.CharField(label=_("Place"), max_length=200)
    facilitator = forms.CharField(label=_("Facilitator"), max_length=120)
    notes = forms.CharField(
        label=_("Notes"), max_length=5000, required=False, widget=forms.Textarea
    )

    def __init__(self, *args, concertations, communes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["concertation"].queryset = concertations
        self.fields["commune"].queryset = communes


class PaperImportForm(forms.Form):
    """The paper-map file a relay typed in (the API's paper-import, from a page)."""

    file = forms.FileField(
        label=_("Paper-map file (CSV or GeoJSON)"),
        help_text=_(
            "CSV with the columns title, text, theme and either lon and lat or wkt (';' or ','"
            " separated, UTF-8 or Windows-1252), or a GeoJSON FeatureCollection."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.geojson,.json,text/csv"}),
    )


class PrintForm(forms.Form):
    format = forms.ChoiceField(
        label=_("Format"),
        choices=[("pdf", _("PDF (to print)")), ("png", _("PNG image"))],
        initial="pdf",
    )
