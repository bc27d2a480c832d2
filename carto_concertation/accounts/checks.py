# SPDX-License-Identifier: AGPL-3.0-or-later
"""System checks of the accounts, run by manage.py at start-up."""

from django.conf import settings
from django.core.checks import Error, register
from django.core.exceptions import ImproperlyConfigured

from . import secrets_at_rest


@register()
def mfa_encryption_keys_check(app_configs, **kwargs) -> list[Error]:
    """A malformed key of MFA_ENCRYPTION_KEYS stops the start, not a staff sign-in later."""
    try:
        secrets_at_rest.fernet()
    except ImproperlyConfigured as error:
        return [
            Error(
                str(error),
                hint=f"{len(settings.MFA_ENCRYPTION_KEYS)} key(s) read from the environment.",
                id="accounts.E001",
            )
        ]
    return []
