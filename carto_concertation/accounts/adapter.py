# SPDX-License-Identifier: AGPL-3.0-or-later
"""How django-allauth fits our accounts: no username, a pseudonym, a recorded consent."""

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from carto_concertation.core.throttles import client_address

from . import services
from .models import User


def user_display(user: User) -> str:
    """How allauth names a person on its pages and in its e-mails: by their pseudonym."""
    return user.pseudonym


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request: HttpRequest, user: User, form, commit: bool = True) -> User:
        """Sign-up goes through our service (pseudonym rules, consent in one transaction)."""
        data = form.cleaned_data
        return services.user_signup(
            user=user,
            email=data["email"],
            pseudonym=data["pseudonym"],
            password=data["password1"],
            consent_version=settings.CONSENT_VERSION if data.get("consent") else "",
        )

    def get_client_ip(self, request: HttpRequest) -> str:
        """The address every rate limit of the site counts (core.throttles)."""
        ip = client_address(request)
        if not ip:
            raise PermissionDenied("Unable to determine the client's address.")
        return ip

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials) -> str:
        """Failed sign-ins count per account *from one address* (the "key" of
        ACCOUNT_RATE_LIMITS["login_failed"]): a flood from one address locks that
        address out, not the account for everyone else. allauth clears the same key when
        the password is reset from that address."""
        account = super()._get_login_attempts_cache_key(request, **credentials)
        return f"{account}|{self.get_client_ip(request)}"
