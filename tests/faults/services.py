# SPDX-License-Identifier: AGPL-3.0-or-later
"""A Redis and a PostgreSQL cluster of the tests' own, to stop and restart under a
server (tests/core/servers.py): the machine's own are shared and never touched.

The cluster is made with initdb in a temporary directory and run with pg_ctl on a port
of its own, as the ``postgres`` system user when the tests run as root (PostgreSQL
refuses root); it holds a copy (pg_dump) of the test database as it is when made.
"""

import http.client
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from tests.core.servers import free_port
from tests.tiles.servers import PG_BIN, pg_options, port_wait

PG_ROLE = "carto"
PG_DATABASE = "carto"


@dataclass
class PrivateRedis:
    """redis-server on a port of its own, nothing saved: stop() and start() again."""

    directory: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> None:
        log = self.directory / "redis.log"
        with log.open("a") as output:
            self.process = subprocess.Popen(
                [
                    *("redis-server", "--port", str(self.port), "--bind", "127.0.0.1"),
                    *("--save", "", "--appendonly", "no", "--dir", str(self.directory)),
                ],
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        port_wait(self.port, self.process, log)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=20)
            self.process = None


@contextmanager
def private_redis() -> Iterator[PrivateRedis]:
    directory = Path(tempfile.mkdtemp(prefix="carto-redis-"))
    server = PrivateRedis(directory)
    server.start()
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(directory, ignore_errors=True)


@dataclass(frozen=True)
class PrivatePostgres:
    data: Path
    log: Path
    port: int
    options: str
    user: str | None

    @property
    def url(self) -> str:
        """A DATABASE_URL of the project's form for the copy of the test database."""
        return f"postgis://{PG_ROLE}@127.0.0.1:{self.port}/{PG_DATABASE}"

    def pg_ctl(self, *args: str) -> None:
        subprocess.run(
            [PG_BIN / "pg_ctl", "-D", self.data, "-l", self.log, "-o", self.options, *args],
            user=self.user,
            check=True,
            capture_output=True,
        )

    def restart(self) -> None:
        """As an operator restarts it: every connection closed, then up again."""
        self.pg_ctl("-m", "fast", "-w", "restart")


@contextmanager
def private_postgres(copy_of: str) -> Iterator[PrivatePostgres]:
    """A cluster of its own holding a copy of the database at ``copy_of`` (a libpq URL)."""
    as_root = os.geteuid() == 0
    user = "postgres" if as_root else None
    directory = Path(tempfile.mkdtemp(prefix="carto-pg-"))
    if as_root:
        shutil.chown(directory, "postgres", "postgres")
    port = free_port()
    server = PrivatePostgres(
        data=directory / "data",
        log=directory / "postgres.log",
        port=port,
        options=pg_options(port, directory),
        user=user,
    )
    try:
        subprocess.run(
            [PG_BIN / "initdb", "-D", server.data, "-U", PG_ROLE, "--auth=trust", "-E", "UTF8"],
            user=user,
            check=True,
            capture_output=True,
        )
        server.pg_ctl("-w", "start")
        try:
            target = f"postgresql://{PG_ROLE}@127.0.0.1:{port}"
            subprocess.run(
                [
                    PG_BIN / "createdb",
                    "-h",
                    "127.0.0.1",
                    "-p",
                    str(port),
                    "-U",
                    PG_ROLE,
                    PG_DATABASE,
                ],
                check=True,
                capture_output=True,
            )
            dump = subprocess.run(
                [PG_BIN / "pg_dump", "--no-owner", "--no-privileges", "-Fc", copy_of],
                check=True,
                capture_output=True,
            ).stdout
            subprocess.run(
                [
                    PG_BIN / "pg_restore",
                    "--no-owner",
                    "--no-privileges",
                    "-d",
                    f"{target}/{PG_DATABASE}",
                ],
                input=dump,
                check=True,
                capture_output=True,
            )
            yield server
        finally:
            server.pg_ctl("-m", "immediate", "-w", "stop")
    finally:
        shutil.rmtree(directory, ignore_errors=True)


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict[str, str]
    body: str


def fetch(
    server, method: str, path: str, *, headers: dict | None = None, body: bytes | None = None
) -> Answer:
    """One request to a server of tests/core/servers.py, in French, read whole."""
    conn = http.client.HTTPConnection(server.host, server.port, timeout=60)
    try:
        conn.request(method, path, body=body, headers={"Accept-Language": "fr", **(headers or {})})
        response = conn.getresponse()
        content = response.read().decode("utf-8", "replace")
        return Answer(response.status, {k.lower(): v for k, v in response.getheaders()}, content)
    finally:
        conn.close()
