# SPDX-License-Identifier: AGPL-3.0-or-later
"""A new version of the charter and privacy notice (settings.CONSENT_VERSION) is accepted
before one posts again.

An account whose last accepted version (``User.consent_version``) is another, or none, is
sent to the consent page (/accounts/consent/) by the first page it opens in a session:
there it reads the notice and accepts it (a ConsentRecord, with the version and the date),
or closes its account. Until then it reads the site as before, but every write is refused:
a page's form goes back to the consent page with a message, the API (and a script's write
elsewhere) answers 403 naming the reason (``"code": "consent_required"``). Reading the notice, accepting it, signing out,
closing the account, downloading one's data and choosing the language stay open.

What this costs: nothing for a request without a session cookie or for the map's paths
(tiles, static files: middleware.UNGUARDED), which are answered before the session is read;
for a signed-in request, a comparison on the user the session already loaded; a session
write once per session for an account that has not accepted yet.
"""

from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from .middleware import SignedInGate

# Open before accepting: the notice, accepting it, leaving, closing the account, one's data
# (a right whatever the version), the language of the pages.
OPEN_PATHS = (
    "/accounts/privacy/",
    "/accounts/consent/",
    "/accounts/logout/",
    "/accounts/delete/",
    "/accounts/data/",
    "/i18n/",
)
API = "/api/"
READING = ("GET", "HEAD", "OPTIONS")
# What a page's form sends (what a browser without JavaScript posts).
FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")
# The version the consent page was shown for in this session (asked once, then reading).
ASKED = "consent_asked"


def consent_outdated(user) -> bool:
    """Whether a signed-in person has yet to accept the current version."""
    return user.is_authenticated and user.consent_version != settings.CONSENT_VERSION


def safe_next(request: HttpRequest, going_to: str | None) -> str:
    """Where to go after the consent page: a path of this site, or the home page."""
    if going_to and url_has_allowed_host_and_scheme(
        going_to, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return going_to
    return "/"


def consent_url(going_to: str) -> str:
    return f"{reverse('account_consent')}?{urlencode({'next': going_to})}"


class ConsentMiddleware(SignedInGate):
    def refused(self, request: HttpRequest) -> HttpResponse | None:
        if request.path_info.startswith(OPEN_PATHS) or not consent_outdated(request.user):
            return None
        api = request.path_info.startswith(API)
        if request.method in READING:
            return None if api else self._asked_once(request)
        message = _(
            "The privacy notice changed (version %(version)s): accept it to post again, "
            "or close your account."
        ) % {"version": settings.CONSENT_VERSION}
        if api or request.content_type not in FORMS:
            # The API, or a script's write elsewhere (JSON, no body): an answer it can
            # read, not a redirect it would follow to a page.
            return JsonResponse({"detail": message, "code": "consent_required"}, status=403)
        # A form posted: back, after accepting, to the page it came from.
        messages.warning(request, message)
        came_from = urlsplit(safe_next(request, request.headers.get("referer")))
        response = HttpResponseRedirect(
            consent_url(came_from.path + (f"?{came_from.query}" if came_from.query else ""))
        )
        response.status_code = 303
        return response

    def _asked_once(self, request: HttpRequest) -> HttpResponse | None:
        """The first page of the session goes to the consent page; the next ones read."""
        if request.session.get(ASKED) == settings.CONSENT_VERSION:
            return None
        request.session[ASKED] = settings.CONSENT_VERSION
        return HttpResponseRedirect(consent_url(request.get_full_path()))
