# SPDX-License-Identifier: AGPL-3.0-or-later
"""What import_platform and export_platform refuse, and that a refusal changes nothing:
an instance that is not empty, a tampered or truncated archive (the file named, a
non-zero exit), another version's archive, a file of MEDIA_ROOT in the way, an archive
that fails while loading (rolled back, its media removed). And both commands' --help."""

import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command, load_command_class
from django.core.management.base import CommandError
from django.db import connection
from django.test import override_settings

from carto_concertation.site.archive import instance_empty
from carto_concertation.site.archive.tables import archived_tables
from tests.demo_snapshot import demo_load

from .test_platform_archive import tables_digest

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def archive(tmp_path_factory, django_db_setup, django_db_blocker, media_root) -> Path:
    """The demo's archive, written once; the database emptied after."""
    written = tmp_path_factory.mktemp("archive") / "demo"
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media_root):
        demo_load()
        call_command("export_platform", "--output", str(written), stdout=io.StringIO())
        call_command("flush", interactive=False, verbosity=0)
        connection.close()
    return written


@pytest.fixture
def copy(archive, tmp_path) -> Path:
    target = tmp_path / "copy"
    shutil.copytree(archive, target)
    return target


def media_files() -> set[str]:
    root = Path(settings.MEDIA_ROOT)
    return {str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()}


def refused(source: Path, *words: str) -> str:
    """import_platform refuses this archive, naming these words, and nothing changed."""
    files = media_files()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM django_content_type")
        content_types = cursor.fetchone()[0]
    with pytest.raises(CommandError) as error:
        call_command("import_platform", str(source), stdout=io.StringIO())
    message = str(error.value)
    for word in words:
        assert word in message, message
    assert instance_empty(archived_tables()) == []
    assert media_files() == files
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM django_content_type")
        assert cursor.fetchone()[0] == content_types
    return message


def manifest_edit(source: Path, change) -> None:
    path = source / "manifest.json"
    manifest = json.loads(path.read_text())
    change(manifest)
    path.write_text(json.dumps(manifest))


def test_one_byte_changed_in_a_json_file_is_refused_with_a_non_zero_exit(copy):
    path = copy / "data" / "engagement_comment.json"
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    refused(copy, "data/engagement_comment.json", "SHA-256")

    # The command as an operator runs it: exit status 1 and the file named.
    db = connection.settings_dict
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": (
            f"postgis://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
        ),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    run = subprocess.run(
        [sys.executable, "manage.py", "import_platform", str(copy)],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 1
    assert "data/engagement_comment.json" in run.stderr


@pytest.mark.parametrize(
    ("damage", "named"),
    [
        (lambda root: (root / "data" / "engagement_vote.json").unlink(), "engagement_vote.json"),
        (lambda root: (root / "manifest.json").unlink(), "manifest.json"),
        (
            lambda root: os.truncate(
                root / "geodata.gpkg", (root / "geodata.gpkg").stat().st_size // 2
            ),
            "geodata.gpkg",
        ),
        (lambda root: (root / "data" / "extra.json").write_text("[]"), "data/extra.json"),
        (lambda root: (root / "manifest.json").write_text("{"), "manifest.json"),
    ],
    ids=[
        "missing-file",
        "missing-manifest",
        "truncated-geopackage",
        "added-file",
        "manifest-not-json",
    ],
)
def test_a_damaged_archive_is_refused_naming_the_file(copy, damage, named):
    damage(copy)
    refused(copy, named)


def test_a_missing_directory_is_refused(tmp_path):
    refused(tmp_path / "nowhere", "nowhere")


def test_a_changed_media_file_is_refused(copy):
    photo = next((copy / "media" / "crowdfunding").rglob("*.jpg"))
    photo.write_bytes(photo.read_bytes()[:-1] + b"\x00")
    refused(copy, photo.relative_to(copy).as_posix())


def test_another_format_version_is_refused(copy):
    manifest_edit(copy, lambda manifest: manifest.update(format_version=2))
    refused(copy, "manifest.json", "2")


def test_a_table_described_otherwise_is_refused(copy):
    def rows_as_text(manifest):
        manifest["tables"][3]["rows"] = "12"

    manifest_edit(copy, rows_as_text)
    refused(copy, "manifest.json")


def test_a_path_out_of_the_archive_is_refused(copy):
    def outside(manifest):
        manifest["files"]["../outside.txt"] = {"bytes": 0, "sha256": "0" * 64}

    manifest_edit(copy, outside)
    refused(copy, "../outside.txt")


def test_a_link_out_of_the_archive_is_refused(copy, tmp_path):
    photo = next((copy / "media" / "crowdfunding").rglob("*.jpg"))
    outside = tmp_path / "outside.jpg"
    shutil.move(photo, outside)
    photo.symlink_to(outside)  # same bytes, same checksum: only the link is wrong
    refused(copy, photo.relative_to(copy).as_posix())


def test_another_version_of_the_software_is_refused(copy):
    def older(manifest):
        manifest["migrations"] = manifest["migrations"][:-1]

    manifest_edit(copy, older)
    refused(copy, "migrations")


def test_a_failure_while_loading_rolls_everything_back(copy):
    """The checksums hold (only the manifest is edited) but the rows of a table are not
    the manifest's: found while loading, after rows and media were written; all undone."""

    def wrong_count(manifest):
        table = next(t for t in manifest["tables"] if t["name"] == "territories_commune")
        table["rows"] += 1

    manifest_edit(copy, wrong_count)
    # The media must be copied before the failure is found: none of them are there yet.
    media = json.loads((copy / "manifest.json").read_text())["files"]
    for name in media:
        if name.startswith("media/"):
            (Path(settings.MEDIA_ROOT) / name.removeprefix("media/")).unlink(missing_ok=True)
    refused(copy, "geodata.gpkg", "territories_commune")


def test_a_value_postgresql_refuses_names_the_file_and_rolls_back(copy):
    """An archive edited by hand, its checksums made again: the bad value is found while
    loading (after other tables were written), named with its file, and all undone."""
    path = copy / "data" / "engagement_vote.json"
    rows = json.loads(path.read_text())
    rows[-1]["created_at"] = "not a date"
    path.write_text(json.dumps(rows))

    def checksum_again(manifest):
        manifest["files"]["data/engagement_vote.json"] = {
            "bytes": path.stat().st_size,
            "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
        }

    manifest_edit(copy, checksum_again)
    refused(copy, "data/engagement_vote.json", "engagement_vote", "not a date")


def test_a_file_of_media_root_in_the_way_is_refused(copy):
    piece = next((copy / "media" / "plui").rglob("*.pdf"))
    target = Path(settings.MEDIA_ROOT) / piece.relative_to(copy / "media")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(b"another file")
    try:
        refused(copy, piece.relative_to(copy).as_posix(), "MEDIA_ROOT")
    finally:
        target.unlink()


def test_a_non_empty_instance_is_refused_and_left_as_it_was(archive):
    demo_load()
    before = tables_digest()
    files = media_files()
    with pytest.raises(CommandError, match="not empty"):
        call_command("import_platform", str(archive), stdout=io.StringIO())
    assert tables_digest() == before
    assert media_files() == files


def test_export_writes_only_into_a_new_or_empty_directory(tmp_path):
    (tmp_path / "kept.txt").write_text("mine")
    with pytest.raises(CommandError, match="new or empty directory"):
        call_command("export_platform", "--output", str(tmp_path))
    assert [path.name for path in tmp_path.iterdir()] == ["kept.txt"]
    inside = Path(settings.MEDIA_ROOT) / "archive"
    with pytest.raises(CommandError, match="outside MEDIA_ROOT"):
        call_command("export_platform", "--output", str(inside))
    assert not inside.exists()


def test_the_commands_help_says_what_they_do():
    export = load_command_class("carto_concertation.site", "export_platform")
    text = export.create_parser("manage.py", "export_platform").format_help()
    for words in ("--output", "GeoPackage", "JSON Schema", "SHA-256", "personal data"):
        assert words in text
    load = load_command_class("carto_concertation.site", "import_platform")
    text = load.create_parser("manage.py", "import_platform").format_help()
    for words in ("archive", "empty", "SHA-256", "one transaction", "changes nothing"):
        assert words in text


@pytest.mark.french
def test_the_messages_are_in_french_first(copy, tmp_path):
    path = copy / "data" / "engagement_vote.json"
    path.write_bytes(b" " + path.read_bytes())
    message = refused(copy, "data/engagement_vote.json")
    assert "taille" in message and "manifeste" in message
    errors = io.StringIO()
    call_command(
        "export_platform", "--output", str(tmp_path / "empty"), stdout=io.StringIO(), stderr=errors
    )
    assert "données personnelles" in errors.getvalue()
