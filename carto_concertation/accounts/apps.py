# SPDX-License-Identifier: AGPL-3.0-or-later
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _warning_clear(sender, request, user, **kwargs) -> None:
    from .retention import inactivity_warning_clear

    inactivity_warning_clear(user=user)


class AccountsConfig(AppConfig):
    name = "carto_concertation.accounts"
    label = "accounts"
    verbose_name = _("Accounts and roles")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from . import (
            audit,  # noqa: F401  (its audit actions, the staff sign-in receiver)
            checks,  # noqa: F401  (registers the keys' check)
        )

        # Signing in cancels a warning of inactivity (accounts.retention).
        user_logged_in.connect(_warning_clear, dispatch_uid="accounts-inactivity-warning-clear")
