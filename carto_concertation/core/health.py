# SPDX-License-Identifier: AGPL-3.0-or-later
"""Checks of the services the platform needs, for /healthz and the start-up script.

Each check answers within a few seconds even when its service is gone, so that a
load balancer or `make run` never hangs on a dead dependency.
"""

from dataclasses import dataclass, field

import redis
from django.conf import settings
from django.db import connection

from carto_concertation.celery import app as celery_app

TIMEOUT_SECONDS = 2.0


@dataclass
class Check:
    ok: bool
    details: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {"ok": self.ok, **self.details}


def check_database() -> tuple[Check, Check]:
    """PostgreSQL, then PostGIS."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('server_version')")
            server_version = cursor.fetchone()[0]
    except Exception as exc:
        failure = {"error": _describe(exc)}
        return Check(False, failure), Check(False, failure)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT postgis_lib_version()")
            postgis_version = cursor.fetchone()[0]
    except Exception as exc:
        return Check(True, {"version": server_version}), Check(False, {"error": _describe(exc)})
    return Check(True, {"version": server_version}), Check(True, {"version": postgis_version})


def check_redis() -> Check:
    client = redis.Redis.from_url(
        settings.REDIS_URL, socket_connect_timeout=TIMEOUT_SECONDS, socket_timeout=TIMEOUT_SECONDS
    )
    try:
        client.ping()
        return Check(True, {"version": client.info("server").get("redis_version")})
    except redis.RedisError as exc:
        return Check(False, {"error": _describe(exc)})
    finally:
        client.close()


def check_celery() -> Check:
    """At least one worker answers a ping through the broker."""
    try:
        with celery_app.connection_for_write(settings.CELERY_BROKER_URL) as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, timeout=TIMEOUT_SECONDS)
            replies = celery_app.control.ping(timeout=TIMEOUT_SECONDS / 2, connection=conn)
    except Exception as exc:
        return Check(False, {"error": _describe(exc)})
    workers = sorted(name for reply in replies for name in reply)
    if not workers:
        return Check(False, {"error": "no Celery worker answered"})
    return Check(True, {"workers": workers})


def platform_health() -> dict:
    database, postgis = check_database()
    checks = {
        "database": database,
        "postgis": postgis,
        "redis": check_redis(),
        "celery": check_celery(),
    }
    failing = [name for name, check in checks.items() if not check.ok]
    return {
        "status": "ok" if not failing else "unavailable",
        "failing": failing,
        "checks": {name: check.as_dict() for name, check in checks.items()},
    }


def _describe(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}".strip()[:300]
