# SPDX-License-Identifier: AGPL-3.0-or-later
"""How django-allauth fits our accounts: no username, a pseudonym, a recorded consent."""

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

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
        """The client address where django-ratelimit reads it (RATELIMIT_IP_META_KEY), so
        that both rate limiters count the same person behind a proxy."""
        ip = request.META.get(settings.RATELIMIT_IP_META_KEY, "").split(",")[0].strip()
        if not ip:
            raise PermissionDenied("Unable to determine the client's address.")
        return ip
