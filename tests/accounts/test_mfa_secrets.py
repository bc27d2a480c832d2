# SPDX-License-Identifier: AGPL-3.0-or-later
"""The second factor's secrets are encrypted in the database (accounts.secrets_at_rest):
no row holds a TOTP key or a recovery seed in clear, a sign-in still takes the code, the
keys rotate, the secrets written in clear before are read and then encrypted (migration
0008), and a key that opens nothing refuses the code with a 403, not a 500."""

import importlib
import io

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from cryptography.fernet import Fernet
from django.apps import apps
from django.core.management import call_command

from carto_concertation.accounts import secrets_at_rest
from carto_concertation.accounts.checks import mfa_encryption_keys_check
from carto_concertation.accounts.models import Role
from tests.accounts.authenticator_app import code_of
from tests.accounts.test_mfa import SECRET, person, sign_in, signed_in_as, with_app

pytestmark = pytest.mark.django_db

migration = importlib.import_module(
    "carto_concertation.accounts.migrations.0008_mfa_secrets_encrypted"
)

OLD, NEW = Fernet.generate_key().decode(), Fernet.generate_key().decode()


def rows(user) -> dict[str, dict]:
    return {a.type: a.data for a in Authenticator.objects.filter(user=user)}


def signs_in_with_the_app(client, user, period: int = 0) -> bool:
    sign_in(client, user)
    entered = client.post("/accounts/2fa/authenticate/", {"code": code_of(SECRET, period)})
    return entered.status_code == 302 and signed_in_as(client) == user.pseudonym


def test_no_row_holds_a_secret_in_clear_and_the_code_still_signs_in(client):
    planner = person(Role.PLANNER)
    codes = with_app(planner)
    stored = rows(planner)
    seed = RecoveryCodes(Authenticator.objects.get(user=planner, type="recovery_codes"))
    for data in stored.values():
        text = str(data)
        assert SECRET not in text and SECRET.lower() not in text
        assert all(code not in text for code in codes)
    assert stored["totp"]["secret"].startswith("gAAAAA")
    assert stored["recovery_codes"]["seed"].startswith("gAAAAA")
    assert seed.generate_codes() == codes

    assert signs_in_with_the_app(client, planner)


def test_the_keys_rotate_the_first_encrypting_all_decrypting(client, settings):
    settings.MFA_ENCRYPTION_KEYS = [OLD]
    moderator = person(Role.MODERATOR)
    with_app(moderator)
    written_with_old = rows(moderator)["totp"]["secret"]

    # The new key first, the old one still listed: the old secrets are read...
    settings.MFA_ENCRYPTION_KEYS = [NEW, OLD]
    assert secrets_at_rest.decrypt(written_with_old) == SECRET
    # ... and the command writes them again with the new key.
    call_command("mfa_secrets_rotate", stdout=io.StringIO())
    rotated = rows(moderator)["totp"]["secret"]
    assert rotated != written_with_old
    assert Fernet(NEW).decrypt(rotated.encode()).decode() == SECRET

    # The old key gone: the sign-in with the code works as before.
    settings.MFA_ENCRYPTION_KEYS = [NEW]
    assert signs_in_with_the_app(client, moderator)


def test_a_key_that_opens_nothing_refuses_the_code_with_a_403(client, settings):
    settings.MFA_ENCRYPTION_KEYS = [OLD]
    moderator = person(Role.MODERATOR)
    codes = with_app(moderator)
    settings.MFA_ENCRYPTION_KEYS = [NEW]  # the old key removed before the rotation

    sign_in(client, moderator)
    refused = client.post("/accounts/2fa/authenticate/", {"code": code_of(SECRET)})
    assert refused.status_code == 403
    assert "cannot be checked" in refused.content.decode()
    assert client.post("/accounts/2fa/authenticate/", {"code": codes[0]}).status_code == 403
    assert signed_in_as(client) is None


def test_a_malformed_key_stops_the_start_naming_the_setting(settings):
    assert mfa_encryption_keys_check(None) == []
    settings.MFA_ENCRYPTION_KEYS = [NEW, "change-me-to-a-generated-fernet-key"]
    (error,) = mfa_encryption_keys_check(None)
    assert error.id == "accounts.E001" and "MFA_ENCRYPTION_KEYS" in error.msg


def test_the_secrets_written_in_clear_before_are_read_then_encrypted_by_the_migration(client):
    """Rows as allauth wrote them before the encrypt hook (clear TOTP key and seed)."""
    moderator = person(Role.MODERATOR)
    Authenticator.objects.create(user=moderator, type="totp", data={"secret": SECRET})
    seed = RecoveryCodes.generate_seed()
    Authenticator.objects.create(
        user=moderator, type="recovery_codes", data={"seed": seed, "used_mask": 0}
    )
    codes = RecoveryCodes(Authenticator.objects.get(user=moderator, type="recovery_codes"))
    clear_codes = codes.generate_codes()
    assert TOTP(Authenticator.objects.get(user=moderator, type="totp")).validate_code(
        code_of(SECRET)
    )

    migration.encrypt(apps, None)
    stored = rows(moderator)
    assert stored["totp"]["secret"].startswith("gAAAAA") and SECRET not in str(stored)
    assert stored["recovery_codes"]["seed"].startswith("gAAAAA") and seed not in str(stored)
    assert stored["recovery_codes"]["used_mask"] == 0
    codes = RecoveryCodes(Authenticator.objects.get(user=moderator, type="recovery_codes"))
    assert codes.generate_codes() == clear_codes

    assert signs_in_with_the_app(client, moderator, 1)

    migration.decrypt(apps, None)  # the way back
    assert rows(moderator)["totp"]["secret"] == SECRET
    assert rows(moderator)["recovery_codes"]["seed"] == seed
