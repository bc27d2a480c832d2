# SPDX-License-Identifier: AGPL-3.0-or-later
"""The one way the platform writes to a person: an e-mail of a kind they accept.

Sent by a Celery task after the transaction that caused it commits, so a rolled-back
write never sends anything and a slow mail server never slows a request. Every e-mail
carries a signed link that stops that kind of e-mail in one click (unsubscribe_url).

The kinds are those the participation modules declare in their manifest
(``notification_kinds``); each person's choices are NotificationPreference rows, so a
module adds a kind without touching accounts.
"""

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse

from .selectors import notification_accepted, notification_kind_map

_UNSUBSCRIBE_SALT = "carto_concertation.accounts.unsubscribe"


def notify(*, user, kind: str, subject: str, body: str) -> None:
    """Queue an e-mail of ``kind`` to ``user`` (nothing when they refused that kind).
    A kind no module declares is a KeyError: a typo must not fail silently."""
    if kind not in notification_kind_map():
        raise KeyError(kind)
    if user is None or not user.is_active or not notification_accepted(user=user, kind=kind):
        return
    from .tasks import notification_send

    user_id = user.pk
    transaction.on_commit(lambda: notification_send.delay(user_id, kind, str(subject), str(body)))


def unsubscribe_token(*, user_id: int, kind: str) -> str:
    """A token naming one person and one kind, signed with SECRET_KEY (no expiry: an old
    e-mail's link keeps working; it can only switch that kind of e-mail off)."""
    return signing.dumps([user_id, kind], salt=_UNSUBSCRIBE_SALT)


def unsubscribe_read(token: str) -> tuple[int, str] | None:
    """(user id, kind) from a token, or None when it was altered or is not one of ours."""
    try:
        user_id, kind = signing.loads(token, salt=_UNSUBSCRIBE_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(user_id, int) or kind not in notification_kind_map():
        return None
    return user_id, kind


def unsubscribe_url(*, user_id: int, kind: str) -> str:
    token = unsubscribe_token(user_id=user_id, kind=kind)
    return settings.SITE_URL + reverse("account_unsubscribe", args=[token])
