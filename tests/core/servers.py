# SPDX-License-Identifier: AGPL-3.0-or-later
"""The project's web server in a process of its own (uvicorn on carto_concertation.asgi),
on the test database, for the tests that need real connections: concurrency, the address
a client connects from, the proxy headers."""

import http.client
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parent.parent.parent


@dataclass(frozen=True)
class Server:
    host: str
    port: int

    def request(
        self, method: str, path: str, *, headers: dict | None = None, source: str = "127.0.0.1"
    ) -> http.client.HTTPResponse:
        """One request on a connection of its own, from the loopback address ``source``."""
        conn = http.client.HTTPConnection(
            self.host, self.port, timeout=60, source_address=(source, 0)
        )
        try:
            conn.request(method, path, headers=headers or {})
            response = conn.getresponse()
            response.read()
            return response
        finally:
            conn.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url_of_the_tests() -> str:
    db = connection.settings_dict
    return f"postgis://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


@contextmanager
def web_server(
    env: dict[str, str], *, args: tuple[str, ...] = (), host: str = "127.0.0.1"
) -> Iterator[Server]:
    """uvicorn as scripts/serve.sh starts Django's processes (2 workers, lifespan on), on a
    loopback port rather than behind Caddy, with ``env`` over this process's environment;
    its output goes to a file, read when it does not come up."""
    port = free_port()
    log = Path(os.environ.get("TMPDIR", "/tmp")) / f"carto-test-server-{port}.log"
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "carto_concertation.asgi:application",
        "--host",
        host,
        "--port",
        str(port),
        "--workers",
        "2",
        "--lifespan",
        "on",
        "--no-access-log",
        *args,
    ]
    full_env = {
        **os.environ,
        "DATABASE_URL": database_url_of_the_tests(),
        "DATABASE_POOL": "1",
        "LOG_LEVEL": "WARNING",
        **env,
    }
    with log.open("w") as output:
        process = subprocess.Popen(
            command, cwd=ROOT, env=full_env, stdout=output, stderr=subprocess.STDOUT
        )
    server = Server(host, port)
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"the server exited:\n{log.read_text()}")
            try:
                server.request("GET", "/healthz")
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"no answer in 60 s:\n{log.read_text()}") from None
                time.sleep(0.3)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.unlink(missing_ok=True)
