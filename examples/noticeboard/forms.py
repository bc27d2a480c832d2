# SPDX-License-Identifier: AGPL-3.0-or-later
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Notice


class NoticeForm(forms.Form):
    """A notice and its place, typed as WGS 84 coordinates: the page works without
    JavaScript (a map picker may fill the two fields)."""

    text = forms.CharField(
        label=_("Notice"), max_length=Notice._meta.get_field("text").max_length, strip=False
    )
    longitude = forms.FloatField(label=_("Longitude"), min_value=-180, max_value=180)
    latitude = forms.FloatField(label=_("Latitude"), min_value=-90, max_value=90)
