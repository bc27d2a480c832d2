# SPDX-License-Identifier: AGPL-3.0-or-later
from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import User
from .selectors import notification_choices, notification_kind_map
from .validators import PSEUDONYM_MAX_LENGTH, pseudonym_clean


class PseudonymField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Pseudonym"))
        kwargs.setdefault(
            "help_text",
            _(
                "The only name shown next to what you write. Not your e-mail address; "
                "you may use your real name or not."
            ),
        )
        super().__init__(max_length=PSEUDONYM_MAX_LENGTH, strip=True, **kwargs)
        self.widget.attrs.update({"autocomplete": "nickname"})

    def clean(self, value):
        return pseudonym_clean(super().clean(value))


class ConsentForm(forms.Form):
    """The current version of the charter and privacy notice accepted again."""

    accept = forms.BooleanField(
        label=_("I have read the participation charter and the privacy notice and I accept them."),
        error_messages={"required": _("Tick the box to accept the notice, or close your account.")},
    )


class SignupForm(AllauthSignupForm):
    """allauth's sign-up (e-mail, password twice) plus a pseudonym and the consent."""

    field_order = ["email", "pseudonym", "password1", "password2", "consent"]

    pseudonym = PseudonymField()
    consent = forms.BooleanField(
        label=_("I accept the participation charter and the privacy notice."),
        error_messages={
            "required": _(
                "Accept the participation charter and the privacy notice to create an account."
            )
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consent"].help_text = format_html(
            '<a href="{}">{}</a>',
            reverse("account_privacy"),
            _("Read the charter and the privacy notice (version %(version)s).")
            % {"version": settings.CONSENT_VERSION},
        )

    def clean_pseudonym(self) -> str:
        pseudonym = self.cleaned_data["pseudonym"]
        if User.objects.filter(pseudonym__iexact=pseudonym).exists():
            raise ValidationError(_("This pseudonym is already taken."), code="taken")
        return pseudonym


class PreferencesForm(forms.Form):
    """The pseudonym, and one box per kind of e-mail the modules declare, named by its key."""

    pseudonym = PseudonymField()

    def __init__(self, *args, user: User, **kwargs):
        kwargs.setdefault(
            "initial", {"pseudonym": user.pseudonym} | notification_choices(user=user)
        )
        super().__init__(*args, **kwargs)
        self.kinds = notification_kind_map()
        for key, kind in self.kinds.items():
            self.fields[key] = forms.BooleanField(required=False, label=kind.label)

    @property
    def notification_fields(self) -> list[forms.BoundField]:
        return [self[key] for key in self.kinds]

    def notifications_chosen(self) -> dict[str, bool]:
        return {key: self.cleaned_data[key] for key in self.kinds}


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class AuthenticatorsRemoveForm(forms.Form):
    """Which account loses its authenticator app and recovery codes (an administrator's
    page, accounts.views.second_factor_reset)."""

    user = forms.ModelChoiceField(
        queryset=User.objects.filter(authenticator__isnull=False).distinct(),
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("This account has no authenticator app.")},
    )
