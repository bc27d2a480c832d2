# SPDX-License-Identifier: AGPL-3.0-or-later
"""Cross-origin reads of paths that also take writes (settings.CORS_READ_URLS_REGEX: the
ideas' GeoJSON list, whose path also creates an idea): django-cors-headers answers them
for GET and HEAD, and for a preflight asking GET, and never for a write. The tiles'
paths, which answer GET only, are CORS_URLS_REGEX's."""

import re

from corsheaders.signals import check_request_enabled
from django.conf import settings
from django.dispatch import receiver
from django.http import HttpRequest

READS = {"GET", "HEAD"}


@receiver(check_request_enabled)
def cors_read_only(sender, request: HttpRequest, **kwargs) -> bool:
    pattern = getattr(settings, "CORS_READ_URLS_REGEX", "")
    if not pattern or not re.match(pattern, request.path_info):
        return False
    if request.method == "OPTIONS":
        return request.headers.get("Access-Control-Request-Method", "").upper() in READS
    return request.method in READS
