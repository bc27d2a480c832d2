# SPDX-License-Identifier: AGPL-3.0-or-later
"""The authenticators' secrets written in clear before encryption came, encrypted
(accounts.secrets_at_rest, with the keys of today's settings); backwards, decrypted."""

from django.db import migrations

from carto_concertation.accounts import secrets_at_rest


def _rewrite(apps, change) -> None:
    Authenticator = apps.get_model("mfa", "Authenticator")
    for authenticator in Authenticator.objects.order_by("pk"):
        data = change(authenticator.data)
        if data != authenticator.data:
            authenticator.data = data
            authenticator.save(update_fields=["data"])


def encrypt(apps, schema_editor) -> None:
    _rewrite(apps, secrets_at_rest.data_rotated)


def decrypt(apps, schema_editor) -> None:
    _rewrite(apps, secrets_at_rest.data_decrypted)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0007_user_inactivity_warned_at"),
        ("mfa", "0003_authenticator_type_uniq"),
    ]

    operations = [migrations.RunPython(encrypt, decrypt)]
