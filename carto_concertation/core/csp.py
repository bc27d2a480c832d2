# SPDX-License-Identifier: AGPL-3.0-or-later
"""The Content-Security-Policy: the site's middleware (settings.CONTENT_SECURITY_POLICY,
plus the outside servers an administrator turned on), the framable embed page, and the
policy of what cannot follow the site's own: the bilan, a self-contained HTML report that opens
offline, its maps drawn by folium's inline scripts and styles.

It is served with a policy of its own instead: ``sandbox`` without ``allow-same-origin``
gives the document an opaque origin (its scripts cannot read the site's cookies, storage
or pages, nor call the API as the planner), nothing may be loaded from anywhere (all of
it is inline) and no form may be sent.
"""

from csp.constants import NONE, UNSAFE_INLINE
from csp.decorators import csp, csp_replace
from csp.middleware import CSPMiddleware, PolicyParts

from .basemaps import outside_origins, sends_referrer

SELF_CONTAINED_REPORT_POLICY = {
    "default-src": [NONE],
    "script-src": [UNSAFE_INLINE],
    "style-src": [UNSAFE_INLINE],
    "img-src": ["data:"],
    "base-uri": [NONE],
    "form-action": [NONE],
    "frame-ancestors": [NONE],
    # Scripts run (the maps); printing and links opening a new tab still work.
    "sandbox": ["allow-scripts", "allow-modals", "allow-popups"],
}

self_contained_report = csp(SELF_CONTAINED_REPORT_POLICY)

# A page a commune's own website shows in an <iframe> (the light map of a concertation):
# any site may frame it. Every other page keeps "frame-ancestors 'none'" and
# X-Frame-Options DENY.
framable = csp_replace({"frame-ancestors": ["*"]})


class SiteCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, plus the servers of the basemaps and the address search
    the administrator turned on (core.basemaps), read at each response: none by
    default, so the policy then names this server only. And, when OpenStreetMap's tiles
    are on, a Referrer-Policy that sends them our origin (their policy asks for a
    Referer), instead of the site's "same-origin"."""

    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        outside = outside_origins()
        if outside and not report_only:
            update = dict(parts.update or {})
            for directive, origins in outside.items():
                update[directive] = [*update.get(directive, []), *origins]
            parts.update = update
        return parts

    def process_response(self, request, response):
        if sends_referrer() and response.get("Content-Type", "").startswith("text/html"):
            response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        return super().process_response(request, response)
