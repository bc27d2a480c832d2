# SPDX-License-Identifier: AGPL-3.0-or-later
"""Servers of the tests' own for the tile path's transport: a Redis that speaks TLS only,
a PostgreSQL cluster with ssl=on that accepts TLS only, and a Redis that never answers.

Certificates are made here (trustme: a CA, a server certificate for localhost and
127.0.0.1, a client certificate for the role). Nothing of the machine's own servers is
touched: the cluster is made with initdb in a temporary directory and started with
pg_ctl, as the ``postgres`` system user when the tests run as root (PostgreSQL refuses
root), on ports of their own.
"""

import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import trustme

from tests.core.servers import free_port

PG_BIN = Path("/usr/lib/postgresql/15/bin")
PG_ROLE = "carto"


@dataclass(frozen=True)
class Certificates:
    ca: Path  # the CA that signed the servers' and the client's certificates
    other_ca: Path  # a CA that signed nothing here
    server_cert: Path
    server_key: Path
    client_cert: Path  # CN = PG_ROLE
    client_key: Path


def make_certificates(directory: Path) -> Certificates:
    ca, other = trustme.CA(), trustme.CA()
    server = ca.issue_cert("localhost", "127.0.0.1")
    client = ca.issue_cert(f"{PG_ROLE}@client.invalid", common_name=PG_ROLE)
    paths = Certificates(
        ca=directory / "ca.pem",
        other_ca=directory / "other-ca.pem",
        server_cert=directory / "server.pem",
        server_key=directory / "server.key",
        client_cert=directory / "client.pem",
        client_key=directory / "client.key",
    )
    ca.cert_pem.write_to_path(str(paths.ca))
    other.cert_pem.write_to_path(str(paths.other_ca))
    server.cert_chain_pems[0].write_to_path(str(paths.server_cert))
    server.private_key_pem.write_to_path(str(paths.server_key))
    client.cert_chain_pems[0].write_to_path(str(paths.client_cert))
    client.private_key_pem.write_to_path(str(paths.client_key))
    for key in (paths.server_key, paths.client_key):
        key.chmod(0o600)  # PostgreSQL and libpq refuse a key others may read
    return paths


def port_wait(port: int, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 30
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited:\n{log.read_text()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                message = f"no server on port {port} after 30 s:\n{log.read_text()}"
                raise RuntimeError(message) from None
            time.sleep(0.1)


@dataclass(frozen=True)
class TlsRedis:
    port: int
    certificates: Certificates

    def url(self, db: int = 0, *, ca: Path | None = None, **options: str) -> str:
        query = {"ssl_cert_reqs": "required", "ssl_ca_certs": str(ca or self.certificates.ca)}
        return f"rediss://localhost:{self.port}/{db}?{urlencode({**query, **options})}"


@contextmanager
def tls_redis(certificates: Certificates, directory: Path) -> Iterator[TlsRedis]:
    """redis-server with its TLS port only (no plaintext port), nothing saved."""
    port = free_port()
    log = directory / "redis.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                "0",
                "--tls-port",
                str(port),
                "--tls-cert-file",
                str(certificates.server_cert),
                "--tls-key-file",
                str(certificates.server_key),
                "--tls-ca-cert-file",
                str(certificates.ca),
                "--tls-auth-clients",
                "no",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(directory),
            ],
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        port_wait(port, process, log)
        yield TlsRedis(port, certificates)
    finally:
        process.terminate()
        process.wait(timeout=20)


@dataclass(frozen=True)
class TlsPostgres:
    port: int
    certificates: Certificates

    def url(self, **options: str) -> str:
        """A DATABASE_URL of the project's form for this cluster's ``postgres`` database."""
        query = f"?{urlencode(options)}" if options else ""
        return f"postgis://{PG_ROLE}@127.0.0.1:{self.port}/postgres{query}"


def pg_options(port: int, directory: Path, **extra) -> str:
    """pg_ctl's ``-o`` for a cluster of the tests' own: on the loopback and this port, its
    socket in ``directory``, nothing synced (its data is thrown away)."""
    settings = {
        "port": port,
        "listen_addresses": "127.0.0.1",
        "unix_socket_directories": directory,
        "fsync": "off",
        **extra,
    }
    return " ".join(f"-c {name}={value}" for name, value in settings.items())


@contextmanager
def tls_postgres(certificates: Certificates) -> Iterator[TlsPostgres]:
    """A cluster of its own with ssl=on whose pg_hba.conf accepts TLS connections with a
    client certificate of the CA (CN = the role) and refuses every other connection."""
    as_root = os.geteuid() == 0
    directory = Path(tempfile.mkdtemp(prefix="carto-pg-tls-"))
    user = "postgres" if as_root else None
    try:
        data = directory / "data"
        for source, name in (
            (certificates.server_cert, "server.pem"),
            (certificates.server_key, "server.key"),
            (certificates.ca, "ca.pem"),
        ):
            shutil.copy(source, directory / name)
        if as_root:
            for path in (directory, *directory.iterdir()):
                shutil.chown(path, "postgres", "postgres")
        subprocess.run(
            [PG_BIN / "initdb", "-D", data, "-U", PG_ROLE, "--auth=reject", "-E", "UTF8"],
            user=user,
            check=True,
            capture_output=True,
        )
        (data / "pg_hba.conf").write_text(
            "local all all trust\n"
            "hostssl all all 127.0.0.1/32 cert clientcert=verify-full\n"
            "host all all 0.0.0.0/0 reject\n"
        )
        port = free_port()
        options = pg_options(
            port,
            directory,
            ssl="on",
            ssl_cert_file=directory / "server.pem",
            ssl_key_file=directory / "server.key",
            ssl_ca_file=directory / "ca.pem",
        )
        log = directory / "postgres.log"
        subprocess.run(
            [PG_BIN / "pg_ctl", "-D", data, "-l", log, "-o", options, "-w", "start"],
            user=user,
            check=True,
            capture_output=True,
        )
        try:
            yield TlsPostgres(port, certificates)
        finally:
            subprocess.run(
                [PG_BIN / "pg_ctl", "-D", data, "-m", "immediate", "-w", "stop"],
                user=user,
                capture_output=True,
            )
    finally:
        shutil.rmtree(directory, ignore_errors=True)


@contextmanager
def silent_server() -> Iterator[int]:
    """A port where connections are accepted (by the kernel) and never answered: a Redis
    that stopped answering. Closing it resets the connections left waiting."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(64)
        yield listener.getsockname()[1]
