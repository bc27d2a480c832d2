# SPDX-License-Identifier: AGPL-3.0-or-later
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carto_concertation.settings")
django_application = get_wsgi_application()

from tiles.wsgi import TileFastPath  # noqa: E402  (needs Django set up)

application = TileFastPath(django_application)
