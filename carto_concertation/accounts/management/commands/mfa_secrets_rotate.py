# SPDX-License-Identifier: AGPL-3.0-or-later
from django.core.management.base import BaseCommand

from carto_concertation.accounts.services import mfa_secrets_rotate


class Command(BaseCommand):
    help = (
        "Encrypt every authenticator's secrets again with the first key of "
        "MFA_ENCRYPTION_KEYS (the old keys still listed after it): run it after putting a "
        "new key first, before removing the old one."
    )

    def handle(self, *args, **options) -> None:
        self.stdout.write(f"authenticators re-encrypted: {mfa_secrets_rotate()}")
