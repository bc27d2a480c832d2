# SPDX-License-Identifier: AGPL-3.0-or-later
"""The web server's application (uvicorn): vector tiles on the event loop, the rest in
Django (see tiles/asgi.py)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carto_concertation.settings")
django_application = get_asgi_application()

from tiles.asgi import TileEndpoint  # noqa: E402  (needs Django set up)

application = TileEndpoint(django_application)
