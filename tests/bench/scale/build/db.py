# SPDX-License-Identifier: AGPL-3.0-or-later
# ruff: noqa: S608 -- the SQL is built from this package's constants and ids it read back.
"""The size databases on the server of DATABASE_URL, and the helpers the generator
writes with (raw SQL over psycopg: no ORM loop)."""

import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

import psycopg

from .sizes import Size

ROOT = Path(__file__).resolve().parents[4]


def database_url(size: Size) -> str:
    """The size's database on the server of DATABASE_URL."""
    url = urlparse(os.environ["DATABASE_URL"])
    return url._replace(path=f"/carto_bench_scale_{size.name}").geturl()


def connect(url: str, **options) -> psycopg.Connection:
    url = urlparse(url)
    return psycopg.connect(
        dbname=url.path.lstrip("/"),
        host=url.hostname,
        port=url.port or 5432,
        user=url.username,
        password=url.password,
        **options,
    )


def recreate(url: str, template: str | None = None) -> None:
    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    common = ["-h", parsed.hostname, "-p", str(parsed.port or 5432), "-U", parsed.username]
    subprocess.run(["dropdb", *common, "--if-exists", "--force", name], check=True)
    subprocess.run(["createdb", *common, *(["-T", template] if template else []), name], check=True)
    if template is None:
        subprocess.run(
            ["psql", "-q", *common, "-d", name, "-c", "CREATE EXTENSION postgis"], check=True
        )


class Timed:
    """The connection, printing each statement that takes over a second (to see which
    step a size's build spends its time on)."""

    def __init__(self, conn: psycopg.Connection) -> None:
        self.conn = conn

    def execute(self, query, params=None):
        # One statement at a time (none of ours has ";" then a line break inside).
        parts = [query] if params else [p for p in query.split(";\n") if p.strip()]
        for part in parts:
            started = time.perf_counter()
            result = self.conn.execute(part, params)
            seconds = time.perf_counter() - started
            if seconds > 1:
                words = " ".join(str(part).split())[:100]
                print(f"  {seconds:7.1f} s  {words}", file=sys.stderr, flush=True)
        return result


def columns(conn: psycopg.Connection, table: str) -> list[str]:
    """The columns one writes (not the identity, not the generated ones)."""
    return [
        row[0]
        for row in conn.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = %s"
            " AND is_generated = 'NEVER' AND column_name <> 'id' ORDER BY ordinal_position",
            (table,),
        )
    ]


def clone(conn, table: str, source: str, overrides: dict[str, str], with_id: bool = False):
    """INSERT INTO table SELECT each column from the alias ``s`` of ``source`` (a FROM
    clause) unless ``overrides`` gives its expression: the demo's rows copied with what
    makes each copy its own, whatever columns the models add later."""
    names = (["id"] if with_id else []) + columns(conn, table)
    values = [overrides.get(name, f"s.{name}") for name in names]
    conn.execute(
        f"INSERT INTO {table} ({', '.join(names)}) SELECT {', '.join(values)} FROM {source}"
    )


def sequence(table: str) -> str:
    return f"nextval(pg_get_serial_sequence('{table}', 'id'))"


def manage(url: str, *command: str) -> None:
    """A manage.py command on the database, niced (the machine is shared)."""
    subprocess.run(
        ["nice", "-n", "10", sys.executable, "manage.py", *command],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": url, "DEBUG": "1"},
        check=True,
        stdout=subprocess.DEVNULL,
    )
