# SPDX-License-Identifier: AGPL-3.0-or-later
"""The staff's sessions: a second factor before any work, and an end after inactivity.

Staff are the people of ``second_factor.second_factor_required`` (is_staff, or a role of
MFA_REQUIRED_ROLES). A staff session that did not pass a second factor reaches only the
account pages (/accounts/: sign-out, setting up the app) while the account has no
authenticator; with one, it is a password-only sign-in (the admin's own form) and it ends
there. A staff session idle for STAFF_SESSION_IDLE_TIMEOUT seconds ends too. Residents'
sessions are left alone.

What this costs: nothing for a request without a session cookie or for the map's paths
(tiles, TileJSON, styles, static files, health check), which are answered before the
session is read; otherwise the roles, read once and kept on the user for the permission
checks of the request (selectors.user_roles_remember), and a session write at most once
a minute.
"""

import re
import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from .second_factor import has_authenticator, second_factor_passed, second_factor_required
from .selectors import user_roles_remember

# Paths no session is read for: the map's documents and the health check.
UNGUARDED = re.compile(
    rf"^/(?:tiles/|healthz$|{re.escape(settings.STATIC_URL.strip('/'))}/|ogc/collections/[^/]+/tiles)"
)
ACCOUNT_PAGES = "/accounts/"
LAST_ACTIVITY = "staff_last_activity"
# A session is written once a minute at most to record the activity.
ACTIVITY_RESOLUTION = 60


class SignedInGate:
    """A middleware that may refuse signed-in people's requests (``refused``): a request
    without a session cookie, or for the map's paths, goes through before the session is
    read (no query)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            settings.SESSION_COOKIE_NAME not in request.COOKIES
            or UNGUARDED.match(request.path_info)
            or not request.user.is_authenticated
        ):
            return self.get_response(request)
        return self.refused(request) or self.get_response(request)

    def refused(self, request: HttpRequest) -> HttpResponse | None:
        raise NotImplementedError


class StaffSessionMiddleware(SignedInGate):
    def refused(self, request: HttpRequest) -> HttpResponse | None:
        user_roles_remember(user=request.user)
        if not second_factor_required(user=request.user):
            return None
        return self._idle_ended(request) or self._second_factor_missing(request)

    def _idle_ended(self, request: HttpRequest) -> HttpResponse | None:
        now = int(time.time())
        last = request.session.get(LAST_ACTIVITY)
        if isinstance(last, int) and now - last > settings.STAFF_SESSION_IDLE_TIMEOUT:
            minutes = settings.STAFF_SESSION_IDLE_TIMEOUT // 60
            return _signed_out(
                request,
                _(
                    "Your session ended after %(minutes)d minutes without activity: "
                    "please sign in again."
                )
                % {"minutes": minutes},
            )
        if not isinstance(last, int) or now - last >= ACTIVITY_RESOLUTION:
            request.session[LAST_ACTIVITY] = now
        return None

    def _second_factor_missing(self, request: HttpRequest) -> HttpResponse | None:
        if second_factor_passed(request):
            return None
        if has_authenticator(user=request.user):
            return _signed_out(
                request,
                _("Your role requires the code of your authenticator app: please sign in here."),
            )
        if request.path_info.startswith(ACCOUNT_PAGES):
            return None
        message = _(
            "Your role requires two-factor authentication: set up an authenticator app to continue."
        )
        if request.method in ("GET", "HEAD"):
            messages.warning(request, message)
            return HttpResponseRedirect(reverse("mfa_activate_totp"))
        return JsonResponse({"detail": message}, status=403)


def _signed_out(request: HttpRequest, message: str) -> HttpResponse:
    """The session ended: a page goes to the sign-in page (and back here after), saying
    why; anything else is refused."""
    going_to = request.get_full_path()
    logout(request)
    if request.method not in ("GET", "HEAD"):
        return JsonResponse({"detail": message}, status=403)
    messages.info(request, message)
    return HttpResponseRedirect(f"{reverse('account_login')}?{urlencode({'next': going_to})}")
