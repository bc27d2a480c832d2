# SPDX-License-Identifier: AGPL-3.0-or-later
"""The second factor's secrets encrypted in the database (allauth.mfa's encrypt/decrypt
hooks, second_factor.MFAAdapter): the TOTP key and the recovery codes' seed.

Fernet (``cryptography``: AES-128-CBC and HMAC-SHA256, authenticated) with the keys of
MFA_ENCRYPTION_KEYS: the first encrypts, all of them decrypt, so a key is rotated by
putting the new one first and re-encrypting (``manage.py mfa_secrets_rotate``) before the
old one is dropped. Without the setting, one key is derived from SECRET_KEY (HKDF): a copy
of the database alone then no longer gives the secrets, but changing SECRET_KEY loses them,
hence MFA_ENCRYPTION_KEYS in production (docs/operations.md).

A value that is not a Fernet token (they all begin with ``gAAAAA``, the version byte) was
written in clear before encryption came (a TOTP key is base32, a seed hexadecimal: neither
can begin so): it is read as it is, until migration 0008 or the next rotation encrypts it.
"""

import base64
import functools
import logging

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

TOKEN_PREFIX = "gAAAAA"  # noqa: S105  (Fernet's version byte, no secret)


class SecretUnreadable(PermissionDenied):
    """None of the keys opens the secret (a key removed too early, or the wrong one): the
    code is refused with a 403 that says so, never a 500, and the operators get a log."""

    def __init__(self) -> None:
        super().__init__(
            _(
                "Your two-factor authentication cannot be checked at the moment. Please "
                "contact the site's administrators."
            )
        )


def derived_key(secret_key: str) -> str:
    """A Fernet key from SECRET_KEY, for this purpose only (HKDF-SHA256 with its own label)."""
    key = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"carto-concertation mfa secrets"
    ).derive(secret_key.encode())
    return base64.urlsafe_b64encode(key).decode()


@functools.cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except ValueError as error:
        raise ImproperlyConfigured(
            "MFA_ENCRYPTION_KEYS: each key is 32 bytes in URL-safe base64 "
            "(python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')."
        ) from error


def fernet() -> MultiFernet:
    keys = tuple(settings.MFA_ENCRYPTION_KEYS) or (derived_key(settings.SECRET_KEY),)
    return _fernet(keys)


def is_encrypted(value: str) -> bool:
    return value.startswith(TOKEN_PREFIX)


def encrypt(text: str) -> str:
    return fernet().encrypt(text.encode()).decode()


def decrypt(value: str) -> str:
    if not is_encrypted(value):
        return value
    try:
        return fernet().decrypt(value.encode()).decode()
    except InvalidToken:
        logger.error("A second factor's secret is unreadable with MFA_ENCRYPTION_KEYS.")
        raise SecretUnreadable() from None


def rotated(value: str) -> str:
    """The value encrypted with the first key (whichever key, or none, it had)."""
    if not is_encrypted(value):
        return encrypt(value)
    try:
        return fernet().rotate(value.encode()).decode()
    except InvalidToken:
        raise SecretUnreadable() from None


def _data_each(data: dict, change) -> dict:
    """An Authenticator's ``data`` with ``change`` applied to its secrets: a TOTP's
    ``secret``, recovery codes' ``seed`` and the codes carried over from django-allauth-2fa
    (``migrated_codes``); the rest (``used_mask``) is no secret."""
    data = dict(data)
    for field in ("secret", "seed"):
        if isinstance(data.get(field), str):
            data[field] = change(data[field])
    if isinstance(data.get("migrated_codes"), list):
        data["migrated_codes"] = [change(code) for code in data["migrated_codes"]]
    return data


def data_rotated(data: dict) -> dict:
    """The secrets of ``data`` encrypted with the first key."""
    return _data_each(data, rotated)


def data_decrypted(data: dict) -> dict:
    """The secrets of ``data`` in clear (the migration's way back)."""
    return _data_each(data, decrypt)
