# SPDX-License-Identifier: AGPL-3.0-or-later
"""The reads that cost the server most have a rate of their own (``heavy_read``,
HEAVY_READ_RATE), on top of the API's, per person signed in and per address otherwise:
the public contribution list and its near-duplicates search, the heat map, the planners'
figures and choropleths, the territories' and communes' boundaries. Before it, one
anonymous client allowed 600 requests a minute on the list took two cores' worth of CPU
and cached tiles fell by 98 % for everyone."""

from rest_framework.settings import api_settings
from rest_framework.throttling import UserRateThrottle


class HeavyReadThrottle(UserRateThrottle):
    scope = "heavy_read"


HEAVY_READ_THROTTLES = [*api_settings.DEFAULT_THROTTLE_CLASSES, HeavyReadThrottle]
