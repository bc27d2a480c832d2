# SPDX-License-Identifier: AGPL-3.0-or-later
"""For a WSGI server, if one is preferred; the project serves carto_concertation.asgi,
whose tile endpoint is faster (see tiles/asgi.py)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carto_concertation.settings")
application = get_wsgi_application()
