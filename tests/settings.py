# SPDX-License-Identifier: AGPL-3.0-or-later
"""The project's settings for the tests, with Redis on a database of the tests' own.

A server of `make run` and `make test` may share one Redis: the server's rate-limit
counters, cache keys and Celery queues must not reach the tests, nor the tests' (a
`cache.clear()` empties a whole database) reach the server. Every Redis the settings name
— cache, Celery broker and results, tile cache — becomes TEST_REDIS_URL: by default the
server of REDIS_URL, database n + 8 (mod 16) where REDIS_URL names database n.
tests/conftest.py empties it at the start of each run.
"""

from urllib.parse import urlsplit, urlunsplit

from django.core.exceptions import ImproperlyConfigured

from carto_concertation.settings import *  # noqa: F403
from carto_concertation.settings import CACHES, REDIS_URL, env


def _database_of_the_tests(url: str) -> str:
    parts = urlsplit(url)
    number = int(parts.path.strip("/") or 0)
    return urlunsplit(parts._replace(path=f"/{(number + 8) % 16}"))


TEST_REDIS_URL = env.str("TEST_REDIS_URL", default=_database_of_the_tests(REDIS_URL))
if TEST_REDIS_URL in {REDIS_URL, CACHES["default"]["LOCATION"]}:
    raise ImproperlyConfigured("TEST_REDIS_URL must name another Redis database than REDIS_URL.")
REDIS_URL = TEST_REDIS_URL
CACHES = {"default": {**CACHES["default"], "LOCATION": TEST_REDIS_URL}}
CELERY_BROKER_URL = CELERY_RESULT_BACKEND = TILE_CACHE_URL = TEST_REDIS_URL

# An action recorded under an undeclared code, or an entry that cannot be written, fails
# the test (core.audit).
AUDIT_STRICT = True

# The tests that import a plan or open a concertation would each queue a job warming its
# tiles; those of tests/tiles/test_warming.py turn it on.
TILE_WARM_ENABLED = False
