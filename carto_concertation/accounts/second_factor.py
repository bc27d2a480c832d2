# SPDX-License-Identifier: AGPL-3.0-or-later
"""The second factor (allauth.mfa): who must have one, whether this session passed it, and
allauth's adapter for what it asks of us.

allauth records each step of a sign-in in the session (``account_authentication_methods``);
a session passed the second factor when one of its steps is ``mfa`` for this user. A
password-only session (the admin's own sign-in form) has none, whatever the account has.
"""

from allauth.account.internal.flows.login import get_authentication_records, record_authentication
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.http import HttpRequest
from django.utils.html import escape
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import secrets_at_rest
from .models import User
from .selectors import user_roles


def second_factor_required(*, user: User) -> bool:
    """Staff and the roles of MFA_REQUIRED_ROLES must sign in with a second factor."""
    if not user.is_authenticated:
        return False
    return user.is_staff or bool(user_roles(user=user) & set(settings.MFA_REQUIRED_ROLES))


def second_factor_passed(request: HttpRequest) -> bool:
    """Whether this session's sign-in went through a second factor (or set one up)."""
    records = get_authentication_records(request, request.user)
    return any(record.get("method") == "mfa" for record in records)


def second_factor_record(request: HttpRequest, kind: str) -> None:
    """Setting up an authenticator proves its possession (a code it gave was checked):
    the session then counts as having passed the second factor, as after a sign-in."""
    record_authentication(request, request.user, "mfa", type=kind)


def has_authenticator(*, user: User) -> bool:
    return Authenticator.objects.filter(user_id=user.pk).exists()


class MFAAdapter(DefaultMFAAdapter):
    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "cannot_delete_authenticator": _(
            "Your role requires two-factor authentication: you cannot turn it off. If you "
            "lost your authenticator, an administrator can remove it for you."
        ),
    }

    def build_totp_svg(self, url: str) -> str:
        """The QR code as an element of the page (an image named for screen readers),
        without the XML declaration of a file."""
        svg = super().build_totp_svg(url)
        svg = svg[svg.index("<svg") :]
        label = escape(gettext("QR code to scan with your authenticator app"))
        return svg.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1)

    def encrypt(self, text: str) -> str:
        """The TOTP key and the recovery codes' seed are stored encrypted (secrets_at_rest)."""
        return secrets_at_rest.encrypt(text)

    def decrypt(self, encrypted_text: str) -> str:
        """A value no key opens is refused with a 403 (secrets_at_rest.SecretUnreadable)."""
        return secrets_at_rest.decrypt(encrypted_text)

    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        """Staff keep their app: its recovery codes go with it, and without it they could
        no longer work (an administrator removes a lost one: accounts.views)."""
        if authenticator.type != Authenticator.Type.TOTP:
            return True
        return not second_factor_required(user=authenticator.user)
