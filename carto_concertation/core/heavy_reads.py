# SPDX-License-Identifier: AGPL-3.0-or-later
"""The reads that cost the server most have a rate of their own (``heavy_read``,
HEAVY_READ_RATE), on top of the API's: the public contribution list, the near-duplicates
search and the heat map, per person signed in and per address otherwise. Before it, an
anonymous client allowed 600 requests a minute on the list took two cores' worth of
CPU and the tiles of everyone else fell by 98 %."""

from rest_framework.settings import api_settings
from rest_framework.throttling import UserRateThrottle


class HeavyReadThrottle(UserRateThrottle):
    scope = "heavy_read"


HEAVY_READ_THROTTLES = [*api_settings.DEFAULT_THROTTLE_CLASSES, HeavyReadThrottle]
