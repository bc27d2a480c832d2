# SPDX-License-Identifier: AGPL-3.0-or-later
"""Shared fixtures: real PostGIS (pytest-django), real Redis, a real Celery worker.

A missing service makes the tests that need it fail; nothing here skips. The tests run
on tests/settings.py: Redis on a database of their own, emptied when the run starts.
"""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
import redis
from django.apps import apps
from django.conf import settings
from pytest_django.fixtures import validate_django_db

from carto_concertation.celery import app as celery_app
from tests.demo_snapshot import content_types_forget

# The worlds the tests stand on (the small one of factories, the demo), and their people:
# spaces and ideas, so not in the backbone's own run (tests.settings_backbone).
if apps.is_installed("carto_concertation.contributions"):
    from tests.worlds import (  # noqa: F401
        concertation,
        demo_concertation,
        demo_world,
        eager_tasks,
        moderator,
        open_concertation,
        planner,
        resident,
        small_concertation,
        small_open_concertation,
    )

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "real_demo: the module's demo_world comes from the real load_demo, not from the"
        " run's snapshot (tests.demo_snapshot): the tests about the demo",
    )


def pytest_sessionstart(session):
    """The tests' Redis database starts empty: rate-limit counters and cached tiles of
    an earlier run would otherwise trip this one's limits or answer its requests."""
    if settings.SETTINGS_MODULE in {"tests.settings_backbone", "tests.settings_example"}:
        # The runs of tests/backbone/test_backbone_alone.py and of
        # tests/example_module/test_example_module.py, inside the main run: their Redis is
        # the main run's (already emptied), which its worker still uses.
        return
    if settings.SETTINGS_MODULE != "tests.settings":
        raise pytest.UsageError(
            f"The tests run on tests.settings (their own Redis), not {settings.SETTINGS_MODULE}:"
            " unset DJANGO_SETTINGS_MODULE."
        )
    redis.Redis.from_url(settings.REDIS_URL).flushdb()


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return DATA


def _database_url_for(name: str) -> str:
    """DATABASE_URL with its database name replaced (the test database)."""
    parts = urlsplit(os.environ.get("DATABASE_URL", "postgis://carto:carto@127.0.0.1:5432/x"))
    return urlunsplit(parts._replace(path=f"/{name}"))


@pytest.fixture(scope="session")
def media_root(tmp_path_factory) -> Path:
    """One MEDIA_ROOT for the test run, shared by the tests and the worker process."""
    return tmp_path_factory.mktemp("media")


@pytest.fixture(scope="session")
def worker_mail_dir(tmp_path_factory) -> Path:
    """Where the worker's e-mails land (Django's file-based backend), for the tests to read."""
    return tmp_path_factory.mktemp("worker-mail")


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, media_root):
    settings.MEDIA_ROOT = media_root


def worker_spawn(
    *, queue: str, log_path: Path, env: dict[str, str], pool: tuple[str, ...] = ("--pool=solo",)
) -> tuple[subprocess.Popen, object]:
    """Start `celery worker` on the test database, taking ``queue`` only, and wait until it
    answers a ping; its output goes to ``log_path`` (a pipe nobody reads would fill up and
    block it). Returns the process and the open log."""
    from django.db import connection

    log = log_path.open("w")
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "carto_concertation",
            "worker",
            *pool,
            "--loglevel=WARNING",
            "-Q",
            queue,
            "-n",
            f"{queue}@%h",
        ],
        cwd=ROOT,
        env={
            **os.environ,
            "DATABASE_URL": _database_url_for(connection.settings_dict["NAME"]),
            "DEBUG": "1",
            "CONN_MAX_AGE": "0",
            **env,
        },
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if worker.poll() is not None:
            raise RuntimeError(f"the Celery worker exited:\n{log_path.read_text()}")
        replies = celery_app.control.ping(timeout=1, destination=[f"{queue}@{os.uname().nodename}"])
        if replies:
            return worker, log
    worker.kill()
    raise RuntimeError("the Celery worker did not answer a ping within 60 s")


@pytest.fixture(scope="session")
def celery_worker(
    django_db_setup, django_db_blocker, media_root, worker_mail_dir, tmp_path_factory
):
    """A real `celery worker` process on the test database and its own queue.

    The queue is private to this test run, so a worker of `make run` on the same
    Redis never takes a test's task (and the reverse). Its output (console e-mails
    included) goes to a file: a pipe nobody reads would fill up and block the worker.
    """
    queue = f"test-{uuid.uuid4().hex[:8]}"
    celery_app.conf.task_default_queue = queue
    with django_db_blocker.unblock():
        worker, log = worker_spawn(
            queue=queue,
            log_path=tmp_path_factory.mktemp("celery") / "worker.log",
            env={"MEDIA_ROOT": str(media_root), "EMAIL_URL": f"filemail:///{worker_mail_dir}"},
        )
    _running_worker.update(queue=queue, name=f"{queue}@{os.uname().nodename}")
    yield worker
    _running_worker.clear()
    worker.terminate()
    try:
        worker.wait(timeout=20)
    except subprocess.TimeoutExpired:
        worker.kill()
    log.close()


# The session's worker, once started: its queue and its name.
_running_worker: dict[str, str] = {}


def _worker_idle() -> bool:
    """Nothing waits in the worker's queue, and it holds no task (a busy solo worker does
    not answer: busy)."""
    if redis.Redis.from_url(settings.CELERY_BROKER_URL).llen(_running_worker["queue"]):
        return False
    inspect = celery_app.control.inspect(destination=[_running_worker["name"]], timeout=1)
    active, reserved = inspect.active(), inspect.reserved()
    if active is None or reserved is None:
        return False
    return not any(active.values()) and not any(reserved.values())


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """Before a transactional test's database is flushed, the worker has finished what the
    test sent it (an e-mail, an outline to refresh…): a task still writing while the tables
    are truncated deadlocks the flush."""
    marker = item.get_closest_marker("django_db")
    transactional = (marker is not None and validate_django_db(marker)[0]) or bool(
        {"transactional_db", "live_server"} & set(item.fixturenames)
    )
    if _running_worker and transactional:
        deadline = time.monotonic() + 120
        while not _worker_idle() and time.monotonic() < deadline:
            time.sleep(0.05)
    return (yield)


@pytest.fixture
def broken_services(settings):
    """Point Redis and the broker at a port where nothing listens."""
    dead = "redis://127.0.0.1:1/0"
    settings.REDIS_URL = dead
    settings.CELERY_BROKER_URL = dead
    return dead


def pytest_report_header(config):
    return f"database: {settings.DATABASES['default']['HOST']} redis: {settings.REDIS_URL}"


@pytest.fixture(autouse=True)
def english_messages(request):
    """Assert on the English messages; tests marked `french` run in the default language."""
    from django.utils import translation

    french = request.node.get_closest_marker("french")
    with translation.override(settings.LANGUAGE_CODE if french else "en"):
        yield


def tile_state_reset(client: redis.Redis | None = None, keys: list[bytes] | None = None) -> None:
    """Forget the tiles of the test that ends: cached tiles and epochs go, and every
    tileset's data version moves on instead of starting again from nothing (among
    ``keys``, the keys of the tiles' Redis ``client`` already listed, if given: no SCAN
    of its own).

    The live server may still be answering that test's last tile requests (a page closed
    while its tiles load, a page without JavaScript whose first-view tiles are preloaded)
    after this has run; they store their tile and the layers they read under the version
    they read. Were the versions to start again, the next test, which makes the same
    tilesets (the demo's slugs) from another database (its ids go on), would come back to
    that version and be answered with the previous test's layers (for MEMO_SECONDS) and
    tiles (for TILE_CACHE_SECONDS): a version never comes back, so they are never read."""
    from layers import selectors
    from tiles import cache

    if client is None or keys is None:
        cache.tiles_forget_all()
    else:
        cache.tile_keys_forget(client, keys)
    selectors._MEMO.clear()


def rate_limits_forget(client: redis.Redis, keys: list[bytes]) -> None:
    """Each test starts with no request counted against the rate limits (the API's, the
    pages', the heavy reads'), as a person arriving does: the counters live in Redis for
    a minute to an hour, and the browser tests, one after the other from 127.0.0.1 within
    the same minute, would otherwise be refused for their predecessors' requests.
    ``keys``: the keys of the cache's Redis ``client``, listed."""
    from django.core.cache import cache

    throttles = cache.make_key("throttle_").encode()
    counters = [key for key in keys if key.startswith(throttles)]
    if counters:
        client.delete(*counters)


@pytest.fixture(autouse=True)
def demo_restore_forgotten():
    """A demo restored inside the test's transaction goes with its rollback, and so do the
    content types it put back: Django's cache of them forgets them too."""
    yield
    content_types_forget()


@pytest.fixture(autouse=True)
def fresh_redis_state():
    """Each test starts with no rate-limit counter (rate_limits_forget) and without cached
    tiles (tile_state_reset), and ends without cached tiles: the test database is emptied
    between tests, Redis is not. Before the test, one SCAN lists the keys of both (they
    share one Redis in the tests; each its own SCAN where they do not)."""
    location = settings.CACHES["default"]["LOCATION"]
    client = redis.Redis.from_url(location)
    keys = list(client.scan_iter(count=1000))
    rate_limits_forget(client, keys)
    if location == settings.TILE_CACHE_URL:
        tile_state_reset(client, keys)
    else:
        tile_state_reset()
    yield
    tile_state_reset()


class FaultWorker:
    """A prefork worker with one pool process, on a queue of its own, for the tests that
    kill it: ``child_kill`` is the OOM killer taking the process running the task,
    ``kill`` the whole worker gone (SIGKILL to every process of it)."""

    def __init__(self, process: subprocess.Popen, log_path: Path | None = None):
        self.process = process
        self.log_path = log_path

    def log(self) -> str:
        """The end of its output, for a failing test's message."""
        return self.log_path.read_text()[-3000:] if self.log_path else ""

    def _children(self) -> list[int]:
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in path.read_text().split()]

    def child_kill(self) -> None:
        (child,) = self._children()
        os.kill(child, signal.SIGKILL)

    def kill(self) -> None:
        children = self._children()
        self.process.kill()
        for child in children:
            os.kill(child, signal.SIGKILL)
        self.process.wait()


@pytest.fixture
def fault_worker(django_db_blocker, media_root, tmp_path):
    """Start a FaultWorker (``env``: settings of its own, e.g. a tiny time limit); the
    tasks the test sends go to it, and go back to the session's worker afterwards."""
    started: list[tuple[subprocess.Popen, object]] = []
    previous_queue = celery_app.conf.task_default_queue

    def start(**env: str) -> FaultWorker:
        queue = f"fault-{uuid.uuid4().hex[:8]}"
        log_path = tmp_path / f"{queue}.log"
        with django_db_blocker.unblock():
            started.append(
                worker_spawn(
                    queue=queue,
                    log_path=log_path,
                    env={"MEDIA_ROOT": str(media_root), "PYTHONUNBUFFERED": "1", **env},
                    pool=("--pool=prefork", "--concurrency=1"),
                )
            )
        celery_app.conf.task_default_queue = queue
        return FaultWorker(started[-1][0], log_path)

    yield start
    celery_app.conf.task_default_queue = previous_queue
    for process, log in started:
        if process.poll() is None:
            FaultWorker(process).kill()
        log.close()


@pytest.fixture
def full_media(settings, tmp_path):
    """MEDIA_ROOT on a small tmpfs filled up but for ``FREE`` bytes: a file bigger than
    that starts being written, then the disk is full. Unmounted afterwards."""
    root = tmp_path / "full-media"
    root.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(root)], check=True)
    try:
        filler = os.open(root / "filler", os.O_WRONLY | os.O_CREAT)
        try:
            while True:
                os.write(filler, bytes(65536))
        except OSError:  # full
            os.ftruncate(filler, os.fstat(filler).st_size - FREE)
        finally:
            os.close(filler)
        settings.MEDIA_ROOT = str(root)
        yield root
    finally:
        subprocess.run(["umount", str(root)], check=True)


FREE = 16384


@pytest.fixture
def full_upload_temp(settings, tmp_path):
    """FILE_UPLOAD_TEMP_DIR on a tmpfs of 1 MB: an upload above FILE_UPLOAD_MAX_MEMORY_SIZE
    (2.5 MB) spooled there fills it up. Unmounted afterwards."""
    root = tmp_path / "full-upload-temp"
    root.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(root)], check=True)
    try:
        settings.FILE_UPLOAD_TEMP_DIR = str(root)
        yield root
    finally:
        subprocess.run(["umount", str(root)], check=True)


def big_upload(name: str, content_type: str = "application/octet-stream"):
    """A file bigger than FILE_UPLOAD_MAX_MEMORY_SIZE and than full_upload_temp."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, os.urandom(3 * 1024 * 1024), content_type=content_type)


def media_files(root: Path) -> set[str]:
    """Every file under a media root, but its filler (full_media)."""
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()} - {"filler"}


@pytest.fixture(autouse=True)
def force_login_passes_the_second_factor(monkeypatch):
    """A session of Client.force_login (tests' and tests/e2e/sessions.py's) has passed the
    second factor, as one after a sign-in with an authenticator app's code: allauth's
    record of it in the session (accounts.second_factor). The real sign-in is tested
    through the pages (tests/accounts/test_mfa.py)."""
    from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY
    from django.test import Client

    signed_in = Client.force_login

    def force_login(self, user, backend=None) -> None:
        signed_in(self, user, backend)
        session = self.session
        session[AUTHENTICATION_METHODS_SESSION_KEY] = [
            {"method": "mfa", "at": time.time(), "type": "totp"}
        ]
        session["account_authentication_methods_user"] = str(user.pk)
        session.save()

    monkeypatch.setattr(Client, "force_login", force_login)
