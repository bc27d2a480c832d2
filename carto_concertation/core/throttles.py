# SPDX-License-Identifier: AGPL-3.0-or-later
"""The API's rate limits, counted atomically in Redis, and the client address they count.

DRF's SimpleRateThrottle reads a client's history from the cache and writes it back: the
requests of a burst all read the same history, and 60 simultaneous posts went 33 through
a limit of 30. Here one Lua script trims, counts and records a request in a single step,
on the Redis of the default cache, under its key prefix and DRF's key: the scopes, the
rates (DEFAULT_THROTTLE_RATES) and the sliding window stay DRF's. Every throttle of the
house is one of the three classes below (tests/core/test_throttles.py walks the URLs).
"""

import ipaddress
import re
import uuid
from functools import cache

import redis
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import throttling
from rest_framework.exceptions import APIException

from .outages import RETRY_AFTER_SECONDS, service_unavailable

# KEYS[1]: the times (µs, Redis's clock) of one client's requests in one scope.
# ARGV: requests allowed, window in µs, a member of its own for this request.
# Answers {1, 0} when the request is recorded, {0, µs until one slot frees} when not.
_SLIDING_WINDOW = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local allowed, window = tonumber(ARGV[1]), tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) < allowed then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], math.ceil(window / 1000))
  return {1, 0}
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #oldest == 0 then return {0, window} end
return {0, tonumber(oldest[2]) + window - now}
"""


def client_address(request: HttpRequest) -> str:
    """The address every rate limit counts: where django-ratelimit reads it
    (RATELIMIT_IP_META_KEY, REMOTE_ADDR: the ASGI server has already replaced it by the
    proxy's X-Forwarded-For when the request came from FORWARDED_ALLOW_IPS). An IPv6
    client counts by its /64, as in allauth and django-ratelimit: one host holds a /64."""
    raw = request.META.get(settings.RATELIMIT_IP_META_KEY, "").split(",")[0].strip()
    try:
        address = ipaddress.ip_address(raw)
    except ValueError:
        return raw
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False).network_address)
    return str(address)


@cache
def _sliding_window(location: str):
    timeout = settings.CACHE_SOCKET_TIMEOUT
    client = redis.Redis.from_url(location, socket_timeout=timeout, socket_connect_timeout=timeout)
    return client.register_script(_SLIDING_WINDOW)


class RateLimitUnavailable(APIException):
    """The count of a write's rate limit cannot be kept (Redis is away): the write is
    refused rather than let through unlimited."""

    status_code = 503
    default_detail = gettext_lazy(
        "Writing is briefly unavailable (the rate limits cannot be counted); "
        "please try again in a moment."
    )
    default_code = "rate_limit_unavailable"
    wait = RETRY_AFTER_SECONDS  # DRF's exception handler sends it as Retry-After


def _cache_server() -> str:
    """The (first, writable) Redis of the default cache, as Django's backend picks it."""
    location = settings.CACHES["default"]["LOCATION"]
    servers = re.split("[;,]", location) if isinstance(location, str) else location
    return servers[0]


class AtomicRateThrottle(throttling.SimpleRateThrottle):
    """SimpleRateThrottle's sliding window, trimmed, counted and recorded in one step."""

    def allow_request(self, request, view) -> bool:
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        try:
            allowed, wait_us = _sliding_window(_cache_server())(
                keys=[self.cache.make_key(self.key)],
                args=[self.num_requests, round(self.duration * 1_000_000), uuid.uuid4().hex],
            )
        except redis.RedisError as error:
            # Reads cost no one else's data: they pass; a write waits for its count.
            if request.method in ("GET", "HEAD", "OPTIONS"):
                return True
            raise RateLimitUnavailable() from error
        self.wait_seconds = max(wait_us, 0) / 1_000_000
        return bool(allowed)

    def wait(self) -> float | None:
        return getattr(self, "wait_seconds", None)

    def get_ident(self, request) -> str:
        # DRF's own reads X-Forwarded-For as the client sends it: anyone could pick an
        # address per request and never be limited.
        return client_address(request)


# DRF's classes with the atomic window: each one's own allow_request (the scoped one sets
# its rate from the view's throttle_scope) calls AtomicRateThrottle's through super().
class AnonRateThrottle(throttling.AnonRateThrottle, AtomicRateThrottle):
    """Anonymous requests, per client address (API_RATE_ANON)."""


class UserRateThrottle(throttling.UserRateThrottle, AtomicRateThrottle):
    """Signed-in requests, per person (API_RATE_USER)."""


class ScopedRateThrottle(throttling.ScopedRateThrottle, AtomicRateThrottle):
    """Per person (or address) in the view's ``throttle_scope``."""


class HeavyReadThrottle(UserRateThrottle):
    """The reads that cost the server most have a rate of their own (``heavy_read``,
    HEAVY_READ_RATE), on top of the API's, per person signed in and per address otherwise:
    the public contribution list and its near-duplicates search, the heat map, the
    planners' figures and choropleths, the territories' and communes' boundaries. Before
    it, one anonymous client allowed 600 requests a minute on the list took two cores'
    worth of CPU and cached tiles fell by 98 % for everyone."""

    scope = "heavy_read"


HEAVY_READ_THROTTLES = [AnonRateThrottle, UserRateThrottle, HeavyReadThrottle]


class WriteThrottleMixin:
    """The scoped rate limit (``throttle_scope``) on writes; reads keep the defaults."""

    def get_throttles(self):
        if self.request.method not in ("GET", "HEAD", "OPTIONS"):
            return [ScopedRateThrottle()]
        return super().get_throttles()


def api_scope_rate(scope: str):
    """django-ratelimit's ``rate`` for a page's form: the API's rate of the same scope
    (REST_FRAMEWORK's DEFAULT_THROTTLE_RATES), read at each request so that a setting
    changed (a test's override) is the one applied."""

    def rate(group: str, request: HttpRequest) -> str:
        return settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"][scope]

    return rate


class _Scope:
    """What DRF's scoped throttle reads of a view: its scope."""

    def __init__(self, scope: str) -> None:
        self.throttle_scope = scope


def too_many(wait: float | None) -> HttpResponse:
    """A page's 429, with when to try again."""
    response = HttpResponse(
        _("Too many requests; try again in a moment."), status=429, content_type="text/plain"
    )
    if wait:
        response["Retry-After"] = str(int(wait) + 1)
    return response


def page_throttled(request: HttpRequest, scope: str) -> HttpResponse | None:
    """The API's rate limit of ``scope`` on a page's form: the same count whichever way a
    person writes (page or API), a 429 when it is spent."""
    throttle = ScopedRateThrottle()
    try:
        if throttle.allow_request(request, _Scope(scope)):
            return None
    except RateLimitUnavailable as error:
        return service_unavailable(request, error)
    return too_many(throttle.wait())
