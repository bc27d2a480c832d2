# SPDX-License-Identifier: AGPL-3.0-or-later
"""`make backup` and `make restore` (scripts/backup.sh, scripts/restore.sh) on the real
PostGIS with the real pg_dump and pg_restore: a backup of the test database, filled by the
factories and holding media files, restored into a new empty database gives the same
rows in every table (counted, and digested in a fixed order) and the same files' bytes;
a database or MEDIA_ROOT that holds data, a
damaged backup, or a restore whose rows differ from the manifest's counts, is refused
and changes nothing. The data is committed once for the module (pg_dump reads it from
another session) and flushed after it; the tests themselves read the databases over
connections of their own."""

import json
import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from psycopg import sql

from tests.factories import (
    CommentFactory,
    ContributionPhotoFactory,
    CrowdfundingPhotoFactory,
    ProjectPhotoFactory,
    ReportPhotoFactory,
    VoteFactory,
)
from tests.worlds import demo_user, make_idea, small_world

from .servers import database_url_of_the_tests

ROOT = Path(__file__).resolve().parent.parent.parent

# The tests read and write over connections of their own; the mark has the test database
# set up (pytest-django sets up only the databases its marked tests ask for).
pytestmark = pytest.mark.django_db

# Every table of the project with its rows, and a digest of its content.
TABLES_SQL = """
SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind = 'r' AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%'
  AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                  AND d.objid = c.oid AND d.deptype = 'e')
ORDER BY 1, 2
"""


def own_connection(dbname: str | None = None) -> psycopg.Connection:
    """A connection of the test's own (autocommit) to this database of the test server."""
    db = connection.settings_dict
    return psycopg.connect(
        dbname=dbname or db["NAME"],
        host=db["HOST"],
        port=db["PORT"],
        user=db["USER"],
        password=db["PASSWORD"],
        autocommit=True,
    )


def database_contents(dbname: str) -> dict[str, tuple[int, str]]:
    """schema.table: (rows, MD5 of its rows in a fixed order), read over a connection of
    its own (the data is committed)."""
    with own_connection(dbname) as conn:
        tables = conn.execute(TABLES_SQL).fetchall()
        contents = {}
        for schema, table in tables:
            query = sql.SQL(
                "SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), ''))"
                " FROM ONLY {}.{} AS t"
            ).format(sql.Identifier(schema), sql.Identifier(table))
            contents[f"{schema}.{table}"] = conn.execute(query).fetchone()
        return contents


def files_under(root: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(root)): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def url_of(dbname: str, options: str = "") -> str:
    return database_url_of_the_tests().rsplit("/", 1)[0] + f"/{dbname}{options}"


def make(
    *args: str, database: str, media: Path, url_options: str = "", **env: str
) -> subprocess.CompletedProcess:
    """`make <args>` in the checkout, on this database and MEDIA_ROOT."""
    return subprocess.run(
        ["make", "--no-print-directory", *args],
        cwd=ROOT,
        env={
            **os.environ,
            "DATABASE_URL": url_of(database, url_options),
            "MEDIA_ROOT": str(media),
            **env,
        },
        capture_output=True,
        text=True,
        timeout=120,
    )


def uploads(media: Path) -> dict[str, bytes]:
    return {k: v for k, v in files_under(media).items() if k != ".celerybeat-schedule"}


@pytest.fixture(scope="module")
def database_owner(django_db_setup) -> Iterator[str]:
    """A role that is no superuser, to own a database as a managed PostgreSQL gives one
    (its password is its name); dropped after the module's databases."""
    name = f"{connection.settings_dict['NAME']}_owner"
    with own_connection("postgres") as admin:
        admin.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(name)))
        password = sql.Literal(name)
        admin.execute(
            sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(sql.Identifier(name), password)
        )
    yield name
    with own_connection("postgres") as admin:
        admin.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(name)))


def owner_url(owner: str, dbname: str) -> str:
    db = connection.settings_dict
    return f"postgis://{owner}:{owner}@{db['HOST']}:{db['PORT']}/{dbname}"


@pytest.fixture(scope="module")
def new_database(database_owner) -> Iterator[Callable[..., str]]:
    """Makes a new database as `make provision` does (PostGIS and pg_trgm, no table).
    They are dropped together after the module (each drop waits for a checkpoint)."""
    made: list[str] = []

    def new(
        extensions: str = "CREATE EXTENSION postgis; CREATE EXTENSION pg_trgm",
        owner: str | None = None,
    ) -> str:
        name = f"{connection.settings_dict['NAME']}_restore_{len(made)}"
        created = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
        if owner:
            created += sql.SQL(" OWNER {}").format(sql.Identifier(owner))
        with own_connection("postgres") as admin:
            dropped = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
            admin.execute(dropped.format(sql.Identifier(name)))
            admin.execute(created)
        made.append(name)
        with own_connection(name) as conn:
            conn.execute(extensions)  # as the superuser, as a provider or provisioning does
        return name

    yield new
    with own_connection("postgres") as admin:
        for name in made:
            admin.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))


@pytest.fixture(scope="module")
def empty_database(new_database) -> str:
    """An empty database for the tests where a restore is refused or fails: each checks
    that it is left empty."""
    return new_database()


CUSTOM_SRS = """INSERT INTO spatial_ref_sys (srid, auth_name, auth_srid, srtext, proj4text)
SELECT 910001, %s, 910001, srtext, proj4text FROM spatial_ref_sys WHERE srid = 2154"""


@pytest.fixture(scope="module")
def filled(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[Path]:
    """The test database filled by the factories (a territory with its communes and PLUi,
    accounts and roles, a concertation with ideas, a photo, votes and a comment, a
    signalement, a budget project and a crowdfunding project with their photos),
    committed, and a MEDIA_ROOT holding the photo and files of every kind; yields
    MEDIA_ROOT."""
    media = tmp_path_factory.mktemp("backed-up") / "media"
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media):
        concertation = small_world()
        resident = demo_user("habitant@demo.invalid")
        ideas = [make_idea(concertation, resident, nth=n, title=f"Idée n° {n}") for n in range(3)]
        ContributionPhotoFactory(contribution=ideas[0], user=resident)
        VoteFactory(contribution=ideas[0])
        VoteFactory(contribution=ideas[1])
        CommentFactory(contribution=ideas[2])
        # Other modules' rows, each with a photo under MEDIA_ROOT: a signalement, a
        # participatory budget's project, a crowdfunding project.
        ReportPhotoFactory(report__category__territory=concertation.territory)
        ProjectPhotoFactory()
        CrowdfundingPhotoFactory()
    (media / "plui" / "pièces écrites").mkdir(parents=True)
    (media / "plui" / "pièces écrites" / "règlement zone UA.pdf").write_bytes(
        bytes(range(256)) * 40
    )
    (media / "layers").mkdir()
    (media / "layers" / "empty.tif").write_bytes(b"")
    # Celery beat's schedule lives in MEDIA_ROOT under docker compose: no upload.
    (media / ".celerybeat-schedule").write_bytes(b"beat")
    yield media
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)
        connection.close()  # opened outside any test: it would outlive the run


# Backups already in BACKUP_DIR when the module's backup is made with BACKUP_KEEP=2.
OLDER = ("20240101T020000Z", "20240102T020000Z", "20240103T020000Z")
OTHERS = ("another_database-20200101T020000Z", "notes")


@pytest.fixture(scope="module")
def backup_made(filled, tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    """`make backup` of the filled test database, once for the module, into a
    BACKUP_DIR holding older backups, with BACKUP_KEEP=2 and options in DATABASE_URL's
    query string (passed on to libpq); returns the backup and make's output."""
    source = connection.settings_dict["NAME"]
    backups = tmp_path_factory.mktemp("backups")
    for name in [f"{source}-{stamp}" for stamp in OLDER] + list(OTHERS):
        (backups / name).mkdir()
    result = make(
        "backup",
        database=source,
        media=filled,
        url_options="?connect_timeout=10&application_name=carto-backup",
        BACKUP_DIR=str(backups),
        BACKUP_KEEP="2",
    )
    assert result.returncode == 0, result.stderr + result.stdout
    older = {f"{source}-{stamp}" for stamp in OLDER}
    (written,) = {p for p in backups.iterdir() if p.name not in older | set(OTHERS)} - {
        backups / ".gitignore",
        backups / ".lock",
    }
    assert f"backup written: {written}" in result.stdout
    return written, result


@pytest.fixture(scope="module")
def backup(backup_made) -> Path:
    return backup_made[0]


@pytest.fixture
def backup_copy(backup, tmp_path) -> Path:
    """A copy of the module's backup, for a test to damage."""
    return Path(shutil.copytree(backup, tmp_path / backup.name))


def test_a_backup_restored_into_an_empty_database_gives_the_same_rows_and_files(
    filled, backup, new_database, database_owner, tmp_path
):
    """Restored by the database's owner, no superuser (as on a managed PostgreSQL), into
    a database with PostGIS only: the restore creates pg_trgm (a trusted extension)."""
    source = connection.settings_dict["NAME"]
    empty_database = new_database("CREATE EXTENSION postgis", owner=database_owner)
    as_owner = {"DATABASE_URL": owner_url(database_owner, empty_database)}
    before = database_contents(source)
    assert before["public.contributions_contribution"][0] == 3
    assert before["public.territories_commune"][0] >= 8
    for photos in ("signalements_reportphoto", "budgets_projectphoto", "crowdfunding_projectphoto"):
        assert before[f"public.{photos}"][0] == 1

    assert sorted(p.name for p in backup.iterdir()) == [
        "database.dump",
        "manifest.json",
        "media.tar.gz",
    ]
    assert backup.name.startswith(f"{source}-")
    manifest = json.loads((backup / "manifest.json").read_text())
    assert manifest["database"]["name"] == source
    with own_connection() as conn:
        postgis = conn.execute("SELECT extversion FROM pg_extension WHERE extname = 'postgis'")
        assert manifest["database"]["postgis"] == postgis.fetchone()[0]
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    assert manifest["git_commit"] == head.stdout.strip()
    for name in ("database.dump", "media.tar.gz"):
        digest = subprocess.run(["sha256sum", backup / name], capture_output=True, text=True)
        assert manifest["files"][name]["sha256"] == digest.stdout.split()[0]
        assert manifest["files"][name]["bytes"] == (backup / name).stat().st_size
    counted = {f"{s}.{t}": n for s, tables in manifest["tables"].items() for t, n in tables.items()}
    assert counted == {table: rows for table, (rows, _) in before.items()}
    assert manifest["media"]["files"] == len(uploads(filled))
    # pg_restore reads the dump (the real format), and the archive holds no beat schedule.
    listing = subprocess.run(["pg_restore", "-l", backup / "database.dump"], capture_output=True)
    assert (
        listing.returncode == 0
        and b"TABLE DATA public contributions_contribution" in listing.stdout
    )
    archived = subprocess.run(
        ["tar", "-tzf", backup / "media.tar.gz"], capture_output=True, text=True
    )
    assert ".celerybeat-schedule" not in archived.stdout

    restored_media = tmp_path / "restored-media"
    result = make(
        "restore", f"FILE={backup}", database=empty_database, media=restored_media, **as_owner
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert database_contents(empty_database) == before
    assert files_under(restored_media) == uploads(filled)
    assert not list(restored_media.glob(".restore-*"))  # where the media were unpacked
    with own_connection(empty_database) as conn:
        extensions = conn.execute("SELECT extname FROM pg_extension").fetchall()
        assert {"postgis", "pg_trgm"} <= {name for (name,) in extensions}
    tables, rows = len(before), sum(n for n, _ in before.values())
    assert f" s: {tables} tables, {rows} rows, each table's count equal" in result.stdout
    assert f"restored: {len(uploads(filled))} media files" in result.stdout

    # A database made by `manage.py migrate` alone (its tables, Django's bookkeeping
    # rows, nothing else) counts as empty: the restore replaces its empty tables.
    with own_connection(empty_database) as conn:
        kept = {"public.django_migrations", "public.django_content_type", "public.auth_permission"}
        emptied = [
            sql.SQL("{}.{}").format(sql.Identifier(s), sql.Identifier(t))
            for s, t in conn.execute(TABLES_SQL).fetchall()
            if f"{s}.{t}" not in kept
        ]
        conn.execute(sql.SQL("TRUNCATE {} CASCADE").format(sql.SQL(", ").join(emptied)))
    again = make(
        "restore",
        f"FILE={backup}/manifest.json",
        database=empty_database,
        media=tmp_path / "m2",
        **as_owner,
    )
    assert again.returncode == 0, again.stderr + again.stdout
    assert database_contents(empty_database) == before
    assert files_under(tmp_path / "m2") == uploads(filled)


def test_a_restore_into_a_database_or_media_root_holding_data_is_refused(
    filled, backup, empty_database, tmp_path
):
    source = connection.settings_dict["NAME"]
    before, media_before = database_contents(source), files_under(filled)

    # Into the database it was taken from (it holds data), even with MEDIA_ROOT empty.
    refused = make("restore", f"FILE={backup}", database=source, media=tmp_path / "new-media")
    assert refused.returncode != 0
    assert f"the database {source} holds data" in refused.stderr
    # Named, the fullest first (Django's bookkeeping rows of a migrated database aside).
    bookkeeping = {
        "public.django_migrations",
        "public.django_content_type",
        "public.auth_permission",
    }
    fullest = max((n, t) for t, (n, _) in before.items() if t not in bookkeeping)
    assert f"holds data ({fullest[1]}: {fullest[0]} rows, " in refused.stderr
    assert "nothing was changed" in refused.stderr
    assert database_contents(source) == before
    assert not (tmp_path / "new-media").exists()

    # Into an empty database with a MEDIA_ROOT that holds files.
    refused = make("restore", f"FILE={backup}", database=empty_database, media=filled)
    assert refused.returncode != 0
    assert f"MEDIA_ROOT {filled} holds files already" in refused.stderr
    assert database_contents(empty_database) == {}
    assert files_under(filled) == media_before

    # Without FILE, or with a path that is no backup.
    usage = make("restore", database=empty_database, media=tmp_path / "m")
    assert usage.returncode != 0 and "usage: make restore FILE=" in usage.stderr
    nowhere = make(
        "restore", f"FILE={tmp_path}/nowhere", database=empty_database, media=tmp_path / "m"
    )
    assert nowhere.returncode != 0 and "no such backup directory" in nowhere.stderr
    assert database_contents(empty_database) == {}


@pytest.mark.parametrize("damaged", ["database.dump", "media.tar.gz"])
def test_a_damaged_backup_is_refused_before_anything_changes(
    backup_copy, empty_database, tmp_path, damaged
):
    backup = backup_copy
    intact = subprocess.run(
        ["scripts/restore.sh", "--check", backup], cwd=ROOT, capture_output=True, text=True
    )
    assert (
        intact.returncode == 0 and "whole (every checksum of its manifest holds)" in intact.stdout
    )
    with (backup / damaged).open("r+b") as f:
        f.seek(200)
        byte = f.read(1)
        f.seek(200)
        f.write(bytes([byte[0] ^ 0xFF]))

    refused = make("restore", f"FILE={backup}", database=empty_database, media=tmp_path / "m")
    assert refused.returncode != 0
    assert f"{damaged} differs from its checksum in manifest.json" in refused.stderr
    assert database_contents(empty_database) == {}
    assert not (tmp_path / "m").exists()
    check = subprocess.run(
        ["scripts/restore.sh", "--check", backup], cwd=ROOT, capture_output=True, text=True
    )
    assert check.returncode != 0 and damaged in check.stderr


def test_a_restore_whose_rows_differ_from_the_manifest_is_rolled_back(
    backup_copy, empty_database, tmp_path
):
    """The files are whole but the manifest counts one more idea than the dump holds
    (as if it had been edited): pg_restore runs, the comparison at the end of its
    transaction fails, and the database and MEDIA_ROOT are left as they were."""
    backup = backup_copy
    manifest = json.loads((backup / "manifest.json").read_text())
    manifest["tables"]["public"]["contributions_contribution"] += 1
    (backup / "manifest.json").write_text(json.dumps(manifest))

    media = tmp_path / "m"
    failed = make("restore", f"FILE={backup}", database=empty_database, media=media)
    assert failed.returncode != 0
    assert "public.contributions_contribution holds 3 rows, the backup 4" in failed.stderr
    assert "rolled back" in failed.stderr
    assert database_contents(empty_database) == {}
    assert not media.exists()  # nor the media unpacked aside, nor the MEDIA_ROOT made


def test_the_newest_backups_are_kept_and_the_older_removed(backup_made, filled, tmp_path):
    backup, result = backup_made
    backups, source = backup.parent, connection.settings_dict["NAME"]
    # BACKUP_KEEP=2: the new one and the newest older one of this database; the backups
    # of another database and what is no backup stay.
    assert sorted(p.name for p in backups.iterdir()) == sorted(
        [".gitignore", ".lock", backup.name, f"{source}-{OLDER[-1]}", *OTHERS]
    )
    for stamp in OLDER[:-1]:
        assert f"removed the older backup {backups}/{source}-{stamp}" in result.stdout
    # Backups hold personal data: their owner only; never committed by mistake.
    assert (backup).stat().st_mode & 0o077 == 0
    assert (backup / "database.dump").stat().st_mode & 0o077 == 0
    assert (backups / ".gitignore").read_text() == "*\n"

    for keep in ("0", "two"):
        refused = make(
            "backup", database=source, media=filled, BACKUP_DIR=str(tmp_path), BACKUP_KEEP=keep
        )
        assert refused.returncode != 0 and "BACKUP_KEEP must be" in refused.stderr
        assert list(tmp_path.iterdir()) == []
    # Into MEDIA_ROOT, each backup would hold the ones before.
    media_before = files_under(filled)
    inside = make("backup", database=source, media=filled, BACKUP_DIR=str(filled / "backups"))
    assert inside.returncode != 0 and "is inside MEDIA_ROOT" in inside.stderr
    assert files_under(filled) == media_before and not (filled / "backups").exists()


def test_a_backup_of_a_database_that_is_not_there_says_so(filled, tmp_path):
    result = make(
        "backup", database="no_such_database", media=filled, BACKUP_DIR=str(tmp_path / "b")
    )
    assert result.returncode != 0
    assert "cannot reach the database no_such_database" in result.stderr
    assert not (tmp_path / "b").exists()


def test_an_unknown_option_in_database_url_is_named(filled, tmp_path):
    """The options of DATABASE_URL's query string go to libpq as they are (the module's
    backup passed connect_timeout and application_name): one it does not know is named."""
    source = connection.settings_dict["NAME"]
    wrong = make(
        "backup",
        database=source,
        media=filled,
        url_options="?no_such_option=1",
        BACKUP_DIR=str(tmp_path / "b"),
    )
    assert wrong.returncode != 0 and "no_such_option" in wrong.stderr
    assert not (tmp_path / "b").exists()


def test_after_make_run_the_backup_reads_its_run_env(filled, tmp_path):
    """Typed in another shell after `make run` (no DATABASE_URL or MEDIA_ROOT exported),
    `make backup` backs up the database and MEDIA_ROOT `make run` served, from .run/env."""
    checkout = tmp_path / "checkout"
    checkout.mkdir()
    for entry in ROOT.iterdir():
        if entry.name not in {".run", "media", "backups"}:
            (checkout / entry.name).symlink_to(entry)
    served = {"DEBUG": "1", "DATABASE_URL": database_url_of_the_tests(), "MEDIA_ROOT": str(filled)}
    shell = {k: v for k, v in os.environ.items() if k not in {*served, "DJANGO_SETTINGS_MODULE"}}
    subprocess.run(
        ["bash", "-c", "source scripts/lib.sh && remember_run_environment"],
        cwd=checkout,
        env=shell | served,
        check=True,
    )
    result = subprocess.run(
        ["make", "--no-print-directory", "backup"],
        cwd=checkout,
        env=shell,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr + result.stdout
    (backup,) = (checkout / "backups").glob(f"{connection.settings_dict['NAME']}-*")
    manifest = json.loads((backup / "manifest.json").read_text())
    assert manifest["media_root"] == str(filled)
    assert manifest["tables"]["public"]["contributions_contribution"] == 3


def test_one_s_own_spatial_references_are_restored_in_place_of_the_new_database_s(
    filled, new_database, tmp_path
):
    """The rows pg_dump keeps of PostGIS's configuration (a spatial reference of one's
    own) replace those of the new database's extension, where the dump's copy would
    collide with them (as the postgis image's tiger geocoder settings would)."""
    source = connection.settings_dict["NAME"]
    with own_connection() as conn:
        conn.execute(CUSTOM_SRS, ("SOURCE",))
    try:
        made = make("backup", database=source, media=filled, BACKUP_DIR=str(tmp_path / "b"))
    finally:
        with own_connection() as conn:
            conn.execute("DELETE FROM spatial_ref_sys WHERE srid = 910001")
    assert made.returncode == 0, made.stderr + made.stdout
    (backup,) = (tmp_path / "b").glob(f"{source}-*")
    manifest = json.loads((backup / "manifest.json").read_text())
    assert manifest["extension_tables"]["public"]["spatial_ref_sys"] == 1
    target = new_database()
    with own_connection(target) as conn:
        conn.execute(CUSTOM_SRS, ("TARGET",))

    result = make("restore", f"FILE={backup}", database=target, media=tmp_path / "m")
    assert result.returncode == 0, result.stderr + result.stdout
    with own_connection(target) as conn:
        srs = conn.execute("SELECT auth_name FROM spatial_ref_sys WHERE srid = 910001")
        assert srs.fetchall() == [("SOURCE",)]
