# SPDX-License-Identifier: AGPL-3.0-or-later
"""Django's Redis cache, for a Redis that may be away.

Django's backend raises when Redis does not answer, and every page that reads the cache
would end in a 500. Here a read finds nothing and a write is dropped, so pages and the
API answer without a cache. ``add`` and ``incr`` still raise: they count and lock (the
rate limits of django-ratelimit and allauth, a job's lock), and a count that cannot be
kept must refuse the request (core.outages: 503) rather than let it through unlimited.
"""

import functools
import logging
from collections.abc import Callable
from typing import Any

import redis
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)


def _without_redis(method: Callable, fallback: Callable[..., Any]) -> Callable:
    """``method``, answering ``fallback(*its arguments)`` when Redis fails."""

    @functools.wraps(method)
    def tolerant(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except redis.RedisError as error:
            logger.warning("Cache %s skipped, Redis is not answering: %s", method.__name__, error)
            return fallback(*args, **kwargs)

    return tolerant


def _nothing(*args, **kwargs) -> None:
    return None


def _false(*args, **kwargs) -> bool:
    return False


class OutageTolerantRedisCache(RedisCache):
    get = _without_redis(RedisCache.get, lambda key, default=None, version=None: default)
    get_many = _without_redis(RedisCache.get_many, lambda *args, **kwargs: {})
    has_key = _without_redis(RedisCache.has_key, _false)
    set = _without_redis(RedisCache.set, _nothing)
    # What set_many could not write: all of it.
    set_many = _without_redis(RedisCache.set_many, lambda data, *args, **kwargs: list(data))
    touch = _without_redis(RedisCache.touch, _false)
    delete = _without_redis(RedisCache.delete, _false)
    delete_many = _without_redis(RedisCache.delete_many, _nothing)
