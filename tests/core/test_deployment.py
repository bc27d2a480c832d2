# SPDX-License-Identifier: AGPL-3.0-or-later
"""Production as docker-compose.yml and the Dockerfile make it: the checks Django runs
for a deployment, the headers, the image's dependencies, the proxy, beat's schedule."""

import json
import os
import re
import secrets
import subprocess
import sys
import tomllib
from datetime import timedelta
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from carto_concertation.celery import app as celery_app
from tiles.asgi import TILE_PATH

from .servers import web_server

ROOT = Path(__file__).resolve().parent.parent.parent
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
DEV_TOOLS = {"pytest", "pytest-django", "playwright", "ruff", "factory-boy", "gunicorn"}

PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "carto_concertation.settings",
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "concertation.example.fr,testserver",
    "SITE_URL": "https://concertation.example.fr",
}


# Set by the browser tests for Playwright's event loop (tests/e2e/conftest.py), never in
# production: check --deploy rightly refuses it (async.E001).
TEST_ONLY = {"DJANGO_ALLOW_ASYNC_UNSAFE"}


def production_env() -> dict[str, str]:
    kept = {k: v for k, v in os.environ.items() if k not in PRODUCTION and k not in TEST_ONLY}
    return kept | PRODUCTION


def test_check_deploy_warns_only_of_what_docs_security_explains():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        env=production_env(),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    warnings = set(re.findall(r"\((security\.W\d+)\)", result.stdout + result.stderr))
    explained = set(re.findall(r"`(security\.W\d+)`", (ROOT / "docs/security.md").read_text()))
    assert warnings <= explained, f"unexplained: {warnings - explained}"
    assert "security.W005" not in warnings and "security.W008" not in warnings


def test_production_sends_hsts_for_the_subdomains_too():
    code = (
        "import django; django.setup(); from django.test import Client; "
        "r = Client().get('/healthz', secure=True); print(r['Strict-Transport-Security']); "
        "print(Client().get('/healthz').status_code, Client().get('/').status_code)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env=production_env(), cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    hsts, statuses = result.stdout.splitlines()
    assert hsts == "max-age=31536000; includeSubDomains"
    # Plain HTTP is redirected to HTTPS, except the health check inside the network.
    health, home = statuses.split()
    assert (health != "301", home) == (True, "301")


def _requirements(path: Path) -> dict[str, str]:
    """Name → version of a lock (`name==version \\` lines)."""
    pins = re.findall(r"^([A-Za-z0-9_.\-]+)==([^\s;\\]+)", path.read_text(), re.MULTILINE)
    return {canonicalize_name(name): version for name, version in pins}


def test_the_image_installs_the_runtime_dependencies_only():
    dockerfile = (ROOT / "Dockerfile").read_text()
    installed = re.findall(r"pip install [^\n]*-r (\S+)", dockerfile)
    assert len(installed) == 1, installed
    image = _requirements(ROOT / installed[0])
    assert not DEV_TOOLS & set(image), DEV_TOOLS & set(image)
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    runtime = {canonicalize_name(Requirement(r).name) for r in project["dependencies"]}
    assert "uvicorn" in runtime and "gunicorn" not in runtime
    assert runtime <= set(image), runtime - set(image)
    # The same versions as the .venv the tests ran in.
    tested = _requirements(ROOT / "requirements.lock")
    assert {name: tested.get(name) for name in image} == image
    assert ".env" in (ROOT / ".dockerignore").read_text().split()


def test_only_the_proxy_is_published_and_web_trusts_only_it():
    services = COMPOSE["services"]
    published = {name for name, service in services.items() if service.get("ports")}
    assert published == {"proxy"}
    proxy_address = services["proxy"]["networks"]["edge"]["ipv4_address"]
    for name in ("web", "tiles"):
        server = services[name]
        assert server["environment"]["FORWARDED_ALLOW_IPS"] == proxy_address, name
        assert "forwarded-allow-ips" not in server["command"], name
        assert "edge" in server["networks"], name


def caddy_config(caddyfile: str, **variables: str) -> dict:
    """A Caddyfile as Caddy reads it (its JSON), with these environment variables."""
    adapted = subprocess.run(
        ["caddy", "adapt", "--adapter", "caddyfile", "--config", str(ROOT / caddyfile)],
        env=os.environ | variables, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return json.loads(adapted.stdout)


def routes_of(config: dict) -> list[tuple[str | None, str]]:
    """(the path's regular expression or None, where it goes) of each proxy, in order."""
    (server,) = config["apps"]["http"]["servers"].values()
    found = []

    def walk(routes: list[dict], regexp: str | None) -> None:
        for route in routes:
            matched = route.get("match", [{}])[0].get("path_regexp", {}).get("pattern", regexp)
            for handler in route["handle"]:
                if handler["handler"] == "subroute":
                    walk(handler["routes"], matched)
                elif handler["handler"] == "reverse_proxy":
                    # The answers' headers as they are (no gzip asked, then unpacked).
                    assert handler["transport"]["compression"] is False
                    found.append((matched, handler["upstreams"][0]["dial"]))

    walk(server["routes"], None)
    return found


@pytest.mark.parametrize(
    ("caddyfile", "variables", "tiles", "web"),
    [
        ("caddy/Caddyfile", {"SITE_DOMAIN": "concertation.example.fr"}, "tiles:8000", "web:8000"),
        (
            "caddy/run.Caddyfile",
            {"HOST": "127.0.0.1", "PORT": "8000", "SOCKETS": "/s"},
            "unix//s/tiles.sock",
            "unix//s/web.sock",
        ),
    ],
)
def test_the_proxy_sends_the_vector_tiles_alone_to_their_own_processes(
    caddyfile, variables, tiles, web
):
    """The tiles' path of tiles/asgi.py, and no other (the TileJSON and styles are
    Django's), to the tiles' processes; the rest to Django's."""
    assert routes_of(caddy_config(caddyfile, **variables)) == [
        (TILE_PATH.pattern, tiles),
        (None, web),
    ]


# uvicorn closes a connection idle for this long unless told (--timeout-keep-alive).
UVICORN_KEEP_ALIVE_S = 5


def keep_alive_s(command: str) -> int:
    found = re.search(r"--timeout-keep-alive\s+(\d+)", command)
    return int(found.group(1)) if found else UVICORN_KEEP_ALIVE_S


@pytest.mark.parametrize(
    ("caddyfile", "variables", "commands"),
    [
        (
            "caddy/Caddyfile",
            {"SITE_DOMAIN": "concertation.example.fr"},
            [COMPOSE["services"][name]["command"] for name in ("web", "tiles")],
        ),
        (
            "caddy/run.Caddyfile",
            {"HOST": "127.0.0.1", "PORT": "8000", "SOCKETS": "/s"},
            [(ROOT / "scripts/serve.sh").read_text()],
        ),
    ],
)
def test_the_proxy_drops_an_idle_connection_before_its_server_does(caddyfile, variables, commands):
    """Otherwise a POST can leave on a connection the server is closing: Caddy does not
    retry it and answers 502 (3 writes in 7,500 under the load bench)."""
    proxies = []

    def walk(node) -> None:
        if isinstance(node, dict):
            if node.get("handler") == "reverse_proxy":
                proxies.append(node)
            node = list(node.values())
        if isinstance(node, list):
            for child in node:
                walk(child)

    walk(caddy_config(caddyfile, **variables))
    idle_s = {p["transport"]["keep_alive"]["idle_timeout"] / 1e9 for p in proxies}
    assert len(proxies) == 2 and idle_s, proxies
    for command in commands:
        assert max(idle_s) < keep_alive_s(command), (idle_s, command)


def test_the_proxy_keeps_its_access_log_no_longer_than_the_addresses_retention():
    config = caddy_config("caddy/Caddyfile", SITE_DOMAIN="concertation.example.fr")
    writer = config["logging"]["logs"]["log0"]["writer"]
    assert writer["output"] == "file"
    assert writer["roll_keep_days"] <= settings.RETENTION_IP_DAYS


@pytest.mark.django_db(transaction=True)
def test_the_web_health_check_passes_on_a_production_server(celery_worker):
    """The health check of docker-compose.yml, run as docker runs it, against the server
    configured as compose configures it (DEBUG off, HTTPS, a public host name)."""
    environment = COMPOSE["services"]["web"]["environment"]
    env = {
        **PRODUCTION,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "ALLOWED_HOSTS": "concertation.example.fr",
        "SECURE_HTTPS": "1",
        "FORWARDED_ALLOW_IPS": environment["FORWARDED_ALLOW_IPS"],
    }
    with web_server(env) as server:
        check = COMPOSE["services"]["web"]["healthcheck"]["test"]
        assert check[:2] == ["CMD", "python"]
        command = [sys.executable, *(a.replace(":8000/", f":{server.port}/") for a in check[2:])]
        result = subprocess.run(
            command, env=os.environ | env, capture_output=True, text=True, timeout=60
        )
    assert result.returncode == 0, result.stderr[-2000:]


def test_beat_runs_a_schedule_of_registered_tasks():
    assert "beat" in COMPOSE["services"]
    schedule = settings.CELERY_BEAT_SCHEDULE
    assert schedule, "beat is started: it must have something to run"
    celery_app.loader.import_default_modules()
    for entry in schedule.values():
        assert entry["task"] in celery_app.tasks, entry["task"]


@pytest.mark.django_db(transaction=True)
def test_expired_sessions_are_deleted_by_beat_s_task(celery_worker):
    expired, current = SessionStore(), SessionStore()
    for session in (expired, current):
        session["seen"] = True
        session.create()
    Session.objects.filter(session_key=expired.session_key).update(
        expire_date=timezone.now() - timedelta(days=1)
    )
    task = settings.CELERY_BEAT_SCHEDULE["expired-sessions-clear"]["task"]
    celery_app.send_task(task).get(timeout=60)
    assert set(Session.objects.values_list("session_key", flat=True)) == {current.session_key}
