# SPDX-License-Identifier: AGPL-3.0-or-later
"""A signed-in browser without going through the sign-in pages (tested elsewhere)."""

from django.conf import settings
from django.test import Client

from carto_concertation.accounts.models import User


def signed_in(context, live_server, user: User) -> None:
    """The user's session cookie in the browser context."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
