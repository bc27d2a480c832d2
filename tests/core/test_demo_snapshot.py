# SPDX-License-Identifier: AGPL-3.0-or-later
"""The tests' demo snapshot (tests/demo_snapshot.py): a restored demo is the database, the
files and the announcements that the real ``load_demo`` left, and only where it would be."""

from dataclasses import dataclass
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.management import call_command
from django.db import connection, models, transaction
from django.test import override_settings
from psycopg import sql

from carto_concertation.accounts.models import User
from carto_concertation.celery import app as celery_app
from carto_concertation.territories.models import Territory
from tests.conftest import tile_state_reset
from tests.demo_snapshot import (
    DemoSnapshot,
    Table,
    content_types_forget,
    database_empty,
    demo_load,
    demo_tables,
    snapshot_restore,
    snapshot_take,
)
from tests.factories import TerritoryFactory, UserFactory
from tiles import cache as tile_cache

pytestmark = pytest.mark.django_db(transaction=True)


@dataclass
class Loaded:
    """What the real load_demo left: the snapshot taken of it and, measured apart from
    the snapshot's own reading, its tables, files, e-mails and tile keys."""

    snapshot: DemoSnapshot
    tables: dict[str, tuple[int, str]]
    files: dict[str, bytes]
    mails: list[tuple[list[str], str]]
    tiles: "TileState"


@dataclass(frozen=True)
class TileState:
    epochs: frozenset[str]  # the tiles made stale one by one
    versions: dict[str, int]  # tileset: how many times it was made stale whole


def fingerprint(tables: list[Table]) -> dict[str, tuple[int, str]]:
    """Each table's row count and a checksum of its rows, generated columns included."""
    found = {}
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(
                sql.SQL(
                    "SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text),"
                    " '')) FROM {} AS t"
                ).format(sql.Identifier(table.name))
            )
            found[table.name] = cursor.fetchone()
    return found


def stored_files(root: Path) -> dict[str, bytes]:
    """The content of every file the database names (FileField, ImageField), under root."""
    files = {}
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField):
                names = model.objects.exclude(**{field.name: ""}).values_list(field.name, flat=True)
                files.update({name: (root / name).read_bytes() for name in names})
    return files


def tile_state(versions_before: dict[str, int]) -> TileState:
    client = tile_cache._client()
    prefix = tile_cache.key_prefix()
    keys = [key.decode() for key in client.scan_iter(match=f"{prefix}*", count=1000)]
    versions = {
        key.removeprefix(tile_cache.version_key(prefix, "")): int(client.get(key))
        for key in keys
        if key.startswith(tile_cache.version_key(prefix, ""))
    }
    return TileState(
        epochs=frozenset(key for key in keys if key.startswith(f"{prefix}epoch:")),
        versions={
            tileset: version - versions_before.get(tileset, 0)
            for tileset, version in versions.items()
            if version != versions_before.get(tileset, 0)
        },
    )


def tile_versions() -> dict[str, int]:
    return tile_state({}).versions


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker, tmp_path_factory) -> Loaded:
    """The real load_demo, committed, its tasks run here (their e-mails in mail.outbox)."""
    media = tmp_path_factory.mktemp("loaded-media")
    with django_db_blocker.unblock(), override_settings(DEBUG=True, MEDIA_ROOT=media):
        call_command("flush", interactive=False, verbosity=0)
        tile_state_reset()
        versions = tile_versions()
        mail.outbox = []
        celery_app.conf.task_always_eager = True
        try:
            snapshot = snapshot_take(demo_tables())
        finally:
            celery_app.conf.task_always_eager = False
        loaded = Loaded(
            snapshot=snapshot,
            tables=fingerprint(demo_tables()),
            files=stored_files(media),
            mails=[(message.to, message.subject) for message in mail.outbox],
            tiles=tile_state(versions),
        )
        call_command("flush", interactive=False, verbosity=0)
    return loaded


def test_a_restored_demo_is_the_loaded_one(loaded, settings, tmp_path, mailoutbox, eager_tasks):
    settings.DEBUG = True
    settings.MEDIA_ROOT = tmp_path
    # As between two transactional tests: content types and permissions made again, under
    # new ids.
    call_command("flush", interactive=False, verbosity=0, reset_sequences=False)
    tables = demo_tables()
    assert database_empty(tables)
    content_types_before = dict(ContentType.objects.values_list("model", "pk"))
    versions = tile_versions()

    snapshot_restore(loaded.snapshot, tables)

    assert fingerprint(tables) == loaded.tables
    # The restore's point: the demo is not small (a check that compared nothing would pass).
    assert loaded.tables["surveys_answer"][0] > 1000
    assert loaded.tables["plui_documents_zone"][0] > 100
    # Content types and permissions come back under the snapshot's ids (the flushes in
    # between gave them new ones), and the cache names those.
    assert dict(ContentType.objects.values_list("model", "pk")) != content_types_before
    assert (
        ContentType.objects.get_for_model(User).pk
        == (
            ContentType.objects.filter(app_label="accounts", model="user").values_list(
                "pk", flat=True
            )[0]
        )
    )
    # The files the rows name, under this test's MEDIA_ROOT, as the load wrote them.
    assert loaded.files and stored_files(tmp_path) == loaded.files
    # What the load announced once committed, announced again: the same e-mails, the same
    # tiles made stale.
    assert loaded.mails
    assert [(message.to, message.subject) for message in mailoutbox] == loaded.mails
    assert tile_state(versions) == loaded.tiles
    # A row written now takes a new key.
    demo_users = set(User.objects.values_list("pk", flat=True))
    assert UserFactory().pk > max(demo_users)


def test_a_restore_in_a_rolled_back_transaction_leaves_nothing(loaded, settings, tmp_path):
    settings.DEBUG = True
    tables = demo_tables()
    content_types = dict(ContentType.objects.values_list("model", "pk"))
    ContentType.objects.get_for_model(User)  # cached with the committed id

    with pytest.raises(RuntimeError), transaction.atomic():
        snapshot_restore(loaded.snapshot, tables)
        assert Territory.objects.filter(siren="241800432").exists()
        raise RuntimeError("rolled back")

    assert database_empty(tables)
    assert dict(ContentType.objects.values_list("model", "pk")) == content_types
    content_types_forget()
    assert ContentType.objects.get_for_model(User).pk == content_types["user"]
    # The sequences do not go back with the rollback: a row written now takes a key the
    # restored rows did not have.
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence('accounts_user', 'id')")
        sequence = cursor.fetchone()[0].split(".")[-1]
    assert UserFactory().pk >= loaded.snapshot.next_values[sequence]


def test_demo_load_adds_to_a_database_not_empty_as_the_command_does(settings):
    settings.DEBUG = True
    other = TerritoryFactory()

    demo_load()

    # The command leaves a database with territories without the demo's territory.
    assert list(Territory.objects.all()) == [other]
    assert User.objects.filter(email="urbanisme@demo.invalid").exists()
