# SPDX-License-Identifier: AGPL-3.0-or-later
"""Settings come from the environment; docker-compose.yml sets the same variables."""

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent.parent
SETTINGS = ROOT / "carto_concertation" / "settings.py"
REQUIRED_IN_PRODUCTION = {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "ALLOWED_HOSTS", "DEBUG"}
# Read by the web server (uvicorn) itself: the proxy whose X-Forwarded-* it believes.
READ_BY_THE_SERVER = {"FORWARDED_ALLOW_IPS"}

PRINT_SETTINGS = """
import json, django
from django.conf import settings
django.setup()
db = settings.DATABASES["default"]
print(json.dumps({
    "debug": settings.DEBUG, "secret": settings.SECRET_KEY, "hosts": settings.ALLOWED_HOSTS,
    "db": [db["ENGINE"], db["HOST"], db["PORT"], db["NAME"], db["USER"], db["CONN_MAX_AGE"]],
    "redis": settings.REDIS_URL, "broker": settings.CELERY_BROKER_URL,
    "media": str(settings.MEDIA_ROOT), "email": settings.EMAIL_BACKEND, "srid": settings.SRID,
    "language": settings.LANGUAGE_CODE, "secure_cookies": settings.SESSION_COOKIE_SECURE,
}))
"""


def settings_with(**variables: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in variables and k != "DEBUG"}
    env.update(variables, DJANGO_SETTINGS_MODULE="carto_concertation.settings")
    return subprocess.run(
        [sys.executable, "-c", PRINT_SETTINGS], env=env, cwd=ROOT, capture_output=True, text=True
    )


def variables_read_by_settings() -> set[str]:
    """Names passed to env(...) / env.<cast>(...) in settings.py."""
    names = set()
    for node in ast.walk(ast.parse(SETTINGS.read_text())):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        func = node.func
        is_env = (isinstance(func, ast.Name) and func.id == "env") or (
            isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Name)
            and func.value.id == "env"
        )
        if is_env and isinstance(node.args[0], ast.Constant):
            names.add(node.args[0].value)
    return names


def test_settings_are_read_from_the_environment(tmp_path):
    result = settings_with(
        DEBUG="0",
        SECRET_KEY="from-the-environment",
        ALLOWED_HOSTS="concertation.example.fr,www.concertation.example.fr",
        DATABASE_URL="postgis://planner:secret@db.example:6543/plui",
        REDIS_URL="redis://cache.example:6380/2",
        MEDIA_ROOT=str(tmp_path),
        EMAIL_URL="smtp://mailer.example:587",
        SRID="2975",
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["debug"] is False
    assert values["secret"] == "from-the-environment"
    assert values["hosts"] == ["concertation.example.fr", "www.concertation.example.fr"]
    assert values["db"][:5] == [
        "django.contrib.gis.db.backends.postgis",
        "db.example",
        6543,
        "plui",
        "planner",
    ]
    assert values["db"][5] > 0, "persistent connections: a connection per request kills the tiles"
    assert values["redis"] == values["broker"] == "redis://cache.example:6380/2"
    assert values["media"] == str(tmp_path)
    assert values["email"] == "django.core.mail.backends.smtp.EmailBackend"
    assert values["srid"] == 2975
    assert values["secure_cookies"] is True


def test_local_defaults_are_safe():
    result = settings_with(DEBUG="1")
    values = json.loads(result.stdout)
    assert values["hosts"] == ["localhost", "127.0.0.1", "[::1]"]
    assert values["email"] == "django.core.mail.backends.console.EmailBackend"
    assert values["language"] == "fr"
    assert values["srid"] == 2154


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"DEBUG": "0"}, "SECRET_KEY must be set"),
        ({"DEBUG": "1", "DATABASE_URL": "mysql://user:pw@127.0.0.1/plui"}, "postgis://"),
    ],
)
def test_unsafe_or_unsupported_configuration_is_refused(variables, message):
    env = {"SECRET_KEY": ""} | variables
    result = settings_with(**env)
    assert result.returncode != 0
    assert message in result.stderr


def test_docker_compose_matches_the_settings():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert {"web", "worker", "beat", "db", "redis"} <= set(services)
    read = variables_read_by_settings()
    assert read >= REQUIRED_IN_PRODUCTION
    for name in ("web", "worker", "beat"):
        environment = services[name]["environment"]
        assert set(environment) >= REQUIRED_IN_PRODUCTION, name
        unknown = set(environment) - read - READ_BY_THE_SERVER
        assert not unknown, f"{name} sets variables the settings never read: {unknown}"
        assert services[name]["environment"]["DATABASE_URL"].startswith("postgis://")
    for name, service in services.items():
        assert "healthcheck" in service, f"{name} has no health check"
    named_volumes = set(compose["volumes"])
    mounted = {v.split(":")[0] for s in services.values() for v in s.get("volumes", [])}
    assert {"postgis-data", "media"} <= named_volumes
    assert named_volumes <= mounted
    assert "postgis" in services["db"]["image"]
