# SPDX-License-Identifier: AGPL-3.0-or-later
"""The forms of the moderators' back office and of the report page: a reason chosen
among the pre-written ones (reasons.py) or typed."""

from datetime import datetime, time, timedelta

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .reasons import HIDE_REASONS, OTHER, REPORT_REASONS, reason_text
from .services import REASON_MAX


class ReasonForm(forms.Form):
    """A pre-written reason or "other", and free words (required with "other")."""

    choices: tuple = ()
    required_message = _("Choose a reason or write one.")

    choice = forms.ChoiceField(label=_("Reason"), widget=forms.RadioSelect, required=False)
    reason = forms.CharField(
        label=_("In your own words"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=REASON_MAX,
        required=False,
        strip=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["choice"].choices = [*self.choices, (OTHER, _("Other reason"))]

    def clean(self):
        data = super().clean()
        text = reason_text(self.choices, data.get("choice") or "", data.get("reason") or "")
        if not text:
            self.add_error("reason", self.required_message)
        data["text"] = text
        return data


class HideForm(ReasonForm):
    choices = HIDE_REASONS
    required_message = _("Give the public reason of this decision.")


class ReportForm(ReasonForm):
    choices = REPORT_REASONS
    required_message = _("Say why you report this.")


class ActionForm(forms.Form):
    """Approve or restore: an optional public reason."""

    reason = forms.CharField(
        label=_("Public reason (optional)"), max_length=REASON_MAX, required=False, strip=False
    )


class MergeForm(forms.Form):
    into = forms.IntegerField(label=_("Merge into"), widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Public reason (optional)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=REASON_MAX,
        required=False,
        strip=False,
    )


class BanForm(forms.Form):
    """Ban an account from one of the moderator's territories: who (pseudonym or
    e-mail address), why, until when (the end of that day; empty: until lifted)."""

    territory = forms.ModelChoiceField(label=_("Territory"), queryset=None, empty_label=None)
    account = forms.CharField(
        label=_("Account (pseudonym or e-mail address)"), max_length=254, strip=True
    )
    reason = forms.CharField(
        label=_("Reason (kept for the moderators, never shown to the person)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=REASON_MAX,
    )
    ends_on = forms.DateField(
        label=_("Until (included; empty: until lifted)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, territories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["territory"].queryset = territories

    def clean_account(self):
        wanted = self.cleaned_data["account"]
        found = get_user_model().objects.filter(
            Q(pseudonym__iexact=wanted) | Q(email__iexact=wanted)
        )
        if len(found[:2]) != 1:
            raise forms.ValidationError(_("No account has this pseudonym or e-mail address."))
        return found.get()

    def ends_at(self) -> datetime | None:
        """The end of the day chosen, in the site's time zone."""
        day = self.cleaned_data.get("ends_on")
        if day is None:
            return None
        return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))
