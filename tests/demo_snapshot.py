# SPDX-License-Identifier: AGPL-3.0-or-later
"""The demo for the tests: ``load_demo`` run for real once, then put back in a second.

``call_command("load_demo")`` costs 10 to 30 s (the real PLUi, the communes, a consultation
of a few hundred responses, budgets…), and some sixty fixtures of a run need the demo in an
empty database. ``demo_load()`` stands for that call: the first time, it runs the real
command and keeps what it left (a ``DemoSnapshot``): every table's rows (``COPY … TO
STDOUT``, binary), the sequences, the files written under MEDIA_ROOT, and what the demo
announced after its commits (tileset changes, Celery tasks sent). The next times, in a
database as empty as that first one, it puts all of it back in one transaction: the same
rows under the same keys (content types and permissions included), the same files under
the current MEDIA_ROOT, the same announcements once that transaction commits.

Where the snapshot would not be what the command leaves, the command runs for real:
a database holding more than content types and permissions (the command adds to what it
finds), a snapshot taken on another day or too long ago (the demo's dates follow the
clock), another DEBUG (the accounts' password), language or time zone, or other composed
parts (their demos). A snapshot is only taken where the command's commits are real (outside a test's
transaction): there its announcements are heard. Inside a test's transaction a restore is
rolled back with the test, as the command's rows would be; content_types_forget() then
drops Django's cache of the content types it named (tests/conftest.py calls it after each
test). The tests about the demo itself call the real command (``real=True`` or
``call_command``). Documented in docs/testing.md.
"""

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from celery.app.task import Task
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone, translation
from psycopg import sql

from carto_concertation.accounts.models import User
from carto_concertation.celery import app as celery_app
from carto_concertation.core.changes import TilesetChange, tileset_changed
from carto_concertation.core.modules import composed

# Rows the migrations and every flush write again (post_migrate): the command finds them
# in any database, and the restore replaces them with the snapshot's (their ids too).
ALWAYS_THERE = frozenset({"django_content_type", "auth_permission"})
# A snapshot older than this is taken again: the demo's dates are counted from now.
MAX_AGE_SECONDS = 15 * 60


@dataclass(frozen=True)
class TaskSent:
    """A Celery task the demo sent after a commit, as it was sent."""

    name: str
    args: tuple
    kwargs: dict
    options: dict


@dataclass(frozen=True)
class Table:
    name: str
    # Not the generated ones (geom_3857, search): PostgreSQL computes them again.
    columns: tuple[str, ...]


@dataclass
class DemoSnapshot:
    """What ``load_demo`` left, to be put back (rows, sequences, files, announcements)."""

    taken_on: date
    taken_at: float  # time.monotonic()
    rows: dict[str, bytes]  # table: its rows in COPY's binary format (non-empty tables)
    next_values: dict[str, int]  # sequence: the value nextval() gave after the load
    files: dict[str, bytes]  # path under MEDIA_ROOT: content
    announced: list[TilesetChange | TaskSent] = field(default_factory=list)

    def fresh(self) -> bool:
        return (
            self.taken_on == timezone.localdate()
            and time.monotonic() - self.taken_at < MAX_AGE_SECONDS
        )


# One snapshot per set of what changes the demo (demo_key()), for the run.
_snapshots: dict[tuple, DemoSnapshot] = {}
# A restore made inside a transaction that a test will roll back.
_restored_in_transaction = False


def demo_load(*, real: bool = False) -> None:
    """The database as ``call_command("load_demo")`` leaves it, from the run's snapshot
    where it is the same; ``real``: the command itself (the tests about the demo)."""
    tables = demo_tables()
    key = demo_key()
    snapshot = _snapshots.get(key)
    empty = database_empty(tables)
    if not real and empty and snapshot is not None and snapshot.fresh():
        snapshot_restore(snapshot, tables)
        return
    if empty and not connection.in_atomic_block:
        _snapshots[key] = snapshot_take(tables)
        return
    call_command("load_demo", verbosity=0)


def demo_user(email: str) -> User:
    """One of the role accounts (tests/worlds.py ACCOUNTS), on the demo or the small world."""
    return User.objects.get(email=email)


def demo_key() -> tuple:
    """What the demo's rows depend on besides the clock: DEBUG (the accounts' password),
    the active language and time zone (texts and days written then), and the spaces and
    modules composed, with their demos."""
    return (
        settings.DEBUG,
        translation.get_language(),
        timezone.get_current_timezone_name(),
        tuple((part.name, part.demo) for part in composed()),
    )


def demo_tables() -> list[Table]:
    """Every table of an installed app's models (many-to-many ones too), with the columns
    COPY writes."""
    names = sorted(connection.introspection.django_table_names(only_existing=True))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, array_agg(column_name::text ORDER BY ordinal_position)"
            " FROM information_schema.columns"
            " WHERE table_schema = current_schema() AND is_generated = 'NEVER'"
            " AND table_name = ANY(%s) GROUP BY table_name",
            [names],
        )
        columns = dict(cursor.fetchall())
    return [Table(name, tuple(columns[name])) for name in names]


def database_empty(tables: list[Table]) -> bool:
    """Nothing but content types and permissions: what ``load_demo`` starts from."""
    others = [table.name for table in tables if table.name not in ALWAYS_THERE]
    query = sql.SQL("SELECT NOT ({})").format(
        sql.SQL(" OR ").join(
            sql.SQL("EXISTS (SELECT FROM {})").format(sql.Identifier(name)) for name in others
        )
    )
    with connection.cursor() as cursor:
        cursor.execute(query)
        return cursor.fetchone()[0]


def snapshot_take(tables: list[Table]) -> DemoSnapshot:
    """Run ``load_demo`` for real (its commits real: outside any transaction) and keep what
    it left."""
    if connection.in_atomic_block:
        raise RuntimeError("A snapshot of the demo is taken outside any transaction.")
    media = Path(settings.MEDIA_ROOT)
    files_before = _files(media)
    announced: list[TilesetChange | TaskSent] = []
    with _announcements_heard(announced.append):
        call_command("load_demo", verbosity=0)
    written = {
        path: (media / path).read_bytes()
        for path, stamp in _files(media).items()
        if files_before.get(path) != stamp
    }
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        rows = {}
        for table in tables:
            with cursor.cursor.copy(_copy(table, "TO STDOUT")) as copy:
                data = b"".join(bytes(block) for block in copy)
            if cursor.cursor.rowcount:
                rows[table.name] = data
        cursor.execute(
            "SELECT DISTINCT s.sequencename::text,"
            " COALESCE(s.last_value + s.increment_by, s.start_value)"
            " FROM pg_sequences s"
            " JOIN pg_class sequence ON sequence.relname = s.sequencename AND sequence.relkind = 'S'"
            " AND sequence.relnamespace = current_schema()::regnamespace"
            " JOIN pg_depend owner ON owner.objid = sequence.oid"
            " AND owner.classid = 'pg_class'::regclass AND owner.refclassid = 'pg_class'::regclass"
            " JOIN pg_class owned ON owned.oid = owner.refobjid"
            " WHERE s.schemaname = current_schema() AND owned.relname = ANY(%s)",
            [[table.name for table in tables]],
        )
        next_values = dict(cursor.fetchall())
    return DemoSnapshot(
        taken_on=timezone.localdate(),
        taken_at=time.monotonic(),
        rows=rows,
        next_values=next_values,
        files=written,
        announced=announced,
    )


def snapshot_restore(snapshot: DemoSnapshot, tables: list[Table]) -> None:
    """The database and MEDIA_ROOT as the snapshot's ``load_demo`` left them; its
    announcements made again once this commits.

    The sequences only move forward (to the snapshot's value or beyond): their values are
    not rolled back with a test's transaction, and the rows the test then writes take
    new keys, as after the command."""
    global _restored_in_transaction
    media = Path(settings.MEDIA_ROOT)
    for path, content in snapshot.files.items():
        (media / path).parent.mkdir(parents=True, exist_ok=True)
        (media / path).write_bytes(content)
    _restored_in_transaction |= connection.in_atomic_block
    with transaction.atomic(), connection.cursor() as cursor:
        if not database_empty(tables):
            raise RuntimeError("The demo is restored only where load_demo would start afresh.")
        # The other tables are empty: deleting these few rows costs less than a TRUNCATE,
        # which gives each of the ~80 tables and their indexes new files.
        for name in sorted(ALWAYS_THERE):
            cursor.execute(sql.SQL("DELETE FROM {}").format(sql.Identifier(name)))
        for table in tables:
            if table.name in snapshot.rows:
                with cursor.cursor.copy(_copy(table, "FROM STDIN")) as copy:
                    copy.write(snapshot.rows[table.name])
        names, values = zip(*snapshot.next_values.items(), strict=True)
        cursor.execute(
            "SELECT setval(format('%%I', s.sequencename)::regclass,"
            " GREATEST(v.next_value, COALESCE(s.last_value + s.increment_by, s.start_value)),"
            " false)"
            " FROM pg_sequences s JOIN unnest(%s::text[], %s::bigint[]) AS v(name, next_value)"
            " ON v.name = s.sequencename WHERE s.schemaname = current_schema()",
            [list(names), list(values)],
        )
        for announcement in snapshot.announced:
            transaction.on_commit(_again(announcement))
    ContentType.objects.clear_cache()


def content_types_forget() -> None:
    """After a test: a restore rolled back with the test's transaction took its content
    types with it, which Django's cache may still name."""
    global _restored_in_transaction
    if _restored_in_transaction:
        ContentType.objects.clear_cache()
        _restored_in_transaction = False


def _copy(table: Table, direction: str) -> sql.Composed:
    return sql.SQL("COPY {} ({}) {} (FORMAT BINARY)").format(
        sql.Identifier(table.name),
        sql.SQL(", ").join(sql.Identifier(column) for column in table.columns),
        sql.SQL(direction),
    )


def _files(root: Path) -> dict[str, tuple[int, int]]:
    """Every file under root: its size and modification time."""
    return {
        str(path.relative_to(root)): (path.stat().st_size, path.stat().st_mtime_ns)
        for path in root.rglob("*")
        if path.is_file()
    }


@contextmanager
def _announcements_heard(hear: Callable[[Any], None]) -> Iterator[None]:
    """Every tileset change announced and every Celery task sent (run in this process
    too, under eager_tasks), in order, while the demo loads."""
    original = Task.apply_async

    def apply_async(task, args=None, kwargs=None, **options):
        hear(TaskSent(task.name, tuple(args or ()), dict(kwargs or {}), options))
        return original(task, args, kwargs, **options)

    # Only the writes' own announcements: one a listener makes while it hears another
    # (the consultation's tiles follow the zoning) comes again when that one is replayed.
    send_robust = tileset_changed.send_robust
    depth = 0

    def heard_send_robust(sender, **named):
        nonlocal depth
        if depth == 0:
            hear(named["change"])
        depth += 1
        try:
            return send_robust(sender, **named)
        finally:
            depth -= 1

    tileset_changed.send_robust = heard_send_robust
    Task.apply_async = apply_async
    try:
        yield
    finally:
        Task.apply_async = original
        del tileset_changed.send_robust  # the Signal's own method again


def _again(announcement: TilesetChange | TaskSent) -> Callable[[], Any]:
    if isinstance(announcement, TaskSent):
        task = celery_app.tasks[announcement.name]
        return lambda: task.apply_async(
            announcement.args, announcement.kwargs, **announcement.options
        )
    return lambda: tileset_changed.send_robust(sender=TilesetChange, change=announcement)
