# SPDX-License-Identifier: AGPL-3.0-or-later
"""The Content-Security-Policy of what cannot follow the site's own
(settings.CONTENT_SECURITY_POLICY): the bilan, a self-contained HTML report that opens
offline, its maps drawn by folium's inline scripts and styles.

It is served with a policy of its own instead: ``sandbox`` without ``allow-same-origin``
gives the document an opaque origin (its scripts cannot read the site's cookies, storage
or pages, nor call the API as the planner), nothing may be loaded from anywhere (all of
it is inline) and no form may be sent.
"""

from csp.constants import NONE, UNSAFE_INLINE
from csp.decorators import csp

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
