# SPDX-License-Identifier: AGPL-3.0-or-later
"""Open311 GeoReport v2 at /open311/v2/ (docs/signalements.md, "Open311"): the territory's
categories as services, its public reports as requests, requests posted by the partner
applications (``ApiClient``) the administrators issue keys to."""
