# SPDX-License-Identifier: AGPL-3.0-or-later
"""The tile path's own connections honour the transport settings as Django's and
redis-py's do: TLS to Redis (rediss://, its ssl_* options), TLS and every libpq option of
DATABASE_URL to PostgreSQL, and a Redis that stops answering has a tile made from
PostgreSQL at once instead of held. Against servers of the tests' own (tests/tiles/servers.py)."""

import asyncio
import ssl
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import environ
import pytest
import redis
from django.core.exceptions import ImproperlyConfigured
from django.db import connections
from django.db.backends.postgresql.base import DatabaseWrapper as PsycopgWrapper
from django.test import override_settings

from carto_concertation.asgi import application
from tiles import cache as tile_cache
from tiles.asgi import TileEndpoint
from tiles.connections import asyncpg_connect_kwargs
from tiles.memory import TileMemory
from tiles.redis_pipe import RedisPipe, RedisPipeError

from .servers import make_certificates, silent_server, tls_postgres, tls_redis
from .test_asgi_endpoint import call

TILE = "/tiles/zoning/14/8326/5770.mvt"
# What a connection says of itself: TLS or not, and the options it was opened with.
SESSION = (
    "s.ssl, current_user, current_setting('statement_timeout'), current_setting('application_name')"
)
OF_THIS_CONNECTION = "FROM pg_stat_ssl s WHERE s.pid = pg_backend_pid()"


def in_a_loop(scenario, timeout: float = 60):
    """A coroutine in an event loop of its own thread, given at most ``timeout`` seconds:
    a hang fails the test instead of holding the run."""
    with ThreadPoolExecutor(max_workers=1) as executor:
        return executor.submit(asyncio.run, asyncio.wait_for(scenario(), timeout)).result()


@pytest.fixture(scope="module")
def certificates(tmp_path_factory):
    return make_certificates(tmp_path_factory.mktemp("certificates"))


@pytest.fixture(scope="module")
def redis_tls(certificates, tmp_path_factory):
    with tls_redis(certificates, tmp_path_factory.mktemp("redis-tls")) as server:
        yield server


@pytest.fixture(scope="module")
def postgres_tls(certificates):
    with tls_postgres(certificates) as server:
        yield server


@contextmanager
def tile_cache_at(url: str, timeout: float = 3.0) -> Iterator[None]:
    """The tile cache on another Redis for a while (the Django view's client is made once,
    and made again after)."""
    tile_cache._client.cache_clear()
    try:
        with override_settings(
            TILE_CACHE_URL=url,
            TILE_CACHE_TIMEOUT=timeout,
            TILE_CACHE_ENABLED=True,
            ALLOWED_HOSTS=["testserver"],
        ):
            yield
    finally:
        tile_cache._client.cache_clear()


# Redis -------------------------------------------------------------------------------


def test_the_pipe_and_the_tile_memory_speak_tls_to_a_tls_only_redis(redis_tls):
    url = redis_tls.url(db=2)
    other = redis.Redis.from_url(url)  # redis-py, the reference for the same URL
    other.set("tls:epoch", "1")

    async def scenario():
        memory = TileMemory(url, 1024 * 1024)
        pipe = RedisPipe(url, on_connect=memory.on_connect)
        await pipe.set("tls:tile", b"\x00gzipped", ex=60)
        read = await pipe.mget(["tls:version", "tls:epoch", "tls:tile"])
        tile = tile_cache.CachedTile(gzipped=b"\x00gzipped", etag="0" * 32)
        keys = ["tls:version", "tls:epoch", "tls:tile"]
        memory.keep(keys, tile, memory.generation)
        held = memory.get(keys)
        other.set("tls:epoch", "2")  # Redis tells the memory, over its TLS connection
        await asyncio.sleep(0.2)
        after_change = memory.get(keys)
        usable = memory.usable
        await pipe.close()
        memory.close()
        return read, held, usable, after_change

    read, held, usable, after_change = in_a_loop(scenario)
    assert read == [None, b"1", b"\x00gzipped"]
    assert held is not None and usable
    assert after_change is None


def test_a_redis_certificate_from_another_authority_is_refused(redis_tls):
    url = redis_tls.url(ca=redis_tls.certificates.other_ca)

    async def scenario():
        pipe = RedisPipe(url)
        with pytest.raises(RedisPipeError, match="CERTIFICATE_VERIFY_FAILED"):
            await pipe.mget(["x"])

    in_a_loop(scenario)
    with pytest.raises(redis.ConnectionError, match="CERTIFICATE_VERIFY_FAILED"):
        redis.Redis.from_url(url).ping()  # redis-py refuses it the same way


@pytest.mark.django_db
def test_the_tile_endpoint_caches_tiles_in_a_tls_redis(redis_tls):
    endpoint = TileEndpoint(application.django_app)

    async def scenario():
        try:
            first = await call(endpoint, TILE, accept_encoding="gzip")
            second = await call(endpoint, TILE, accept_encoding="gzip")
            return first, second, endpoint.memory.usable
        finally:
            await endpoint.close()

    with tile_cache_at(redis_tls.url(db=3)):
        (status, headers, _body), (again, again_headers, _b), memory_usable = in_a_loop(scenario)
    assert status == again == 204  # the test database has no zones: an empty tile
    assert headers["etag"] == again_headers["etag"]
    assert memory_usable
    stored = redis.Redis.from_url(redis_tls.url(db=3)).keys("tiles:*tile:zoning:*")
    assert len(stored) == 1


# A Redis that stops answering ---------------------------------------------------------


def test_the_pipe_gives_up_on_a_redis_that_never_answers():
    with silent_server() as port:

        async def scenario():
            pipe = RedisPipe(f"redis://127.0.0.1:{port}/0", timeout=0.5)
            started = time.monotonic()
            with pytest.raises(RedisPipeError, match=r"did not answer within 0\.5 s"):
                await pipe.mget(["x"])
            return time.monotonic() - started

        assert in_a_loop(scenario, timeout=20) < 5


@pytest.mark.django_db
def test_a_tile_comes_from_postgresql_at_once_when_redis_never_answers(client):
    with silent_server() as port, tile_cache_at(f"redis://127.0.0.1:{port}/0", timeout=0.5):
        endpoint = TileEndpoint(application.django_app)

        async def scenario():
            try:
                await endpoint.start()  # its database connection: not what is timed
                started = time.monotonic()
                answer = await call(endpoint, TILE)
                return answer, time.monotonic() - started
            finally:
                await endpoint.close()

        (status, _, _), took = in_a_loop(scenario, timeout=20)
        assert status in (200, 204) and took < 5
        # The Django view (the same URL without the ASGI endpoint) as quickly.
        with ThreadPoolExecutor(max_workers=1) as executor:
            started = time.monotonic()
            view = executor.submit(client.get, TILE).result(timeout=20)
        assert view.status_code == status and time.monotonic() - started < 5


# PostgreSQL ---------------------------------------------------------------------------


def _point_django_at(monkeypatch, url: str) -> dict:
    """DATABASES['default'] as settings.py makes it from this DATABASE_URL."""
    config = environ.Env.db_url_config(url)
    for name in ("HOST", "PORT", "NAME", "USER", "PASSWORD", "OPTIONS"):
        monkeypatch.setitem(connections.settings["default"], name, config.get(name, ""))
    return connections.settings["default"]


def _as_django_sees_it(settings_dict: dict, django_db_blocker) -> tuple:
    """The SESSION of a connection Django itself opens with these settings."""
    wrapper = PsycopgWrapper({**settings_dict, "OPTIONS": dict(settings_dict["OPTIONS"])})
    with django_db_blocker.unblock():
        try:
            with wrapper.cursor() as cursor:
                cursor.execute(f"SELECT {SESSION} {OF_THIS_CONNECTION}")
                return cursor.fetchone()
        finally:
            wrapper.close()


def _as_the_tile_endpoint_sees_it() -> tuple:
    endpoint = TileEndpoint(application.django_app)

    async def scenario():
        try:
            await endpoint.start()
            # The pool runs one-value statements: the session as one row value.
            row = await endpoint.pool.fetchval(f"SELECT row({SESSION}) {OF_THIS_CONNECTION}", ())
            return tuple(row)
        finally:
            await endpoint.close()

    return in_a_loop(scenario)


def _verified_url(postgres_tls, root: Path, **options: str) -> str:
    """The cluster's DATABASE_URL checking its certificate against ``root``, with the
    client certificate its pg_hba.conf asks for."""
    certificates = postgres_tls.certificates
    return postgres_tls.url(
        sslmode="verify-full",
        sslrootcert=str(root),
        sslcert=str(certificates.client_cert),
        sslkey=str(certificates.client_key),
        **options,
    )


def test_the_tile_connections_use_tls_and_options_as_django_does(
    postgres_tls, monkeypatch, django_db_blocker
):
    url = _verified_url(
        postgres_tls,
        postgres_tls.certificates.ca,
        connect_timeout="5",
        options="-c statement_timeout=4321",
        application_name="carto-tls-test",
    )
    settings_dict = _point_django_at(monkeypatch, url)
    expected = (True, "carto", "4321ms", "carto-tls-test")
    assert _as_django_sees_it(settings_dict, django_db_blocker) == expected
    assert _as_the_tile_endpoint_sees_it() == expected


def test_the_tile_connections_refuse_a_server_certificate_django_refuses(
    postgres_tls, monkeypatch, django_db_blocker
):
    url = _verified_url(postgres_tls, postgres_tls.certificates.other_ca)
    settings_dict = _point_django_at(monkeypatch, url)
    with pytest.raises(Exception, match="certificate verify failed"):
        _as_django_sees_it(settings_dict, django_db_blocker)
    with pytest.raises(ssl.SSLCertVerificationError):
        _as_the_tile_endpoint_sees_it()


def test_a_database_option_the_tile_connections_cannot_honour_stops_them():
    params = {"dbname": "carto", "sslmode": "require", "keepalives_idle": "30"}
    with pytest.raises(ImproperlyConfigured, match="keepalives_idle"):
        asyncpg_connect_kwargs(params)
