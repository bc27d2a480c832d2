# SPDX-License-Identifier: AGPL-3.0-or-later
"""The partner applications' keys: issued once (only their SHA-256 is kept) and checked
in constant time against the territory's active applications."""

import hashlib
import hmac
import secrets

from django.db import transaction

from carto_concertation.territories.models import Territory

from ..models import ApiClient


def api_key_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def api_client_issue(
    *, territory: Territory, name: str, contact: str = "", active: bool = True
) -> tuple[ApiClient, str]:
    """A new application and its key, the only time the key is seen: the row keeps its
    digest."""
    key = secrets.token_urlsafe(32)
    client = ApiClient(
        territory=territory,
        name=name,
        contact=contact,
        active=active,
        key_digest=api_key_digest(key),
    )
    client.full_clean()
    client.save()
    return client, key


@transaction.atomic
def api_client_rekey(*, client: ApiClient) -> str:
    """A new key for an application (a key lost or leaked): the old one stops working."""
    key = secrets.token_urlsafe(32)
    client.key_digest = api_key_digest(key)
    client.save(update_fields=["key_digest"])
    return key


def api_client_for_key(*, territory: Territory, key: str) -> ApiClient | None:
    """The territory's active application holding this key. Each digest is compared in
    constant time (a few applications per territory), none looked up by the key itself."""
    if not key:
        return None
    digest = api_key_digest(key)
    found = None
    for client in ApiClient.objects.filter(territory=territory, active=True):
        if hmac.compare_digest(client.key_digest, digest):
            found = client
    return found
