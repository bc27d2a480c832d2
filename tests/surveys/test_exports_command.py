# SPDX-License-Identifier: AGPL-3.0-or-later
"""manage.py export_survey SLUG --format csv|gpkg [--output PATH]: the same files as the
API, written whole or not at all; clear errors and a non-zero exit status."""

import csv
import os
import subprocess
import sys

import pytest
from django.contrib.gis.gdal import DataSource
from django.core.management import CommandError, call_command
from django.db import connection

from tests.conftest import ROOT, _database_url_for
from tests.factories.surveys import QuestionnaireFactory

from .exports_world import committed_world

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, media_root):
    with committed_world(django_db_blocker, media_root) as world:
        yield world


def test_writes_both_formats(world, tmp_path):
    slug = world.questionnaire.slug
    call_command("export_survey", slug, format="csv", output=tmp_path / "out.csv")
    call_command("export_survey", slug, format="gpkg", output=tmp_path / "out.gpkg")
    with (tmp_path / "out.csv").open(encoding="utf-8-sig", newline="") as file:
        rows = list(csv.DictReader(file, delimiter=";"))
    assert [row["response"] for row in rows] == ["1", "2", "3"]
    layers = {layer.name: len(layer) for layer in DataSource(str(tmp_path / "out.gpkg"))}
    assert layers == {"points": 3, "line": 1, "area": 1, "zones": 3, "communes": 1}
    assert sorted(path.name for path in tmp_path.iterdir()) == ["out.csv", "out.gpkg"]


def test_bad_input_fails_clearly_and_writes_nothing(world, tmp_path):
    slug = world.questionnaire.slug
    with pytest.raises(CommandError, match="nulle-part"):
        call_command("export_survey", "nulle-part", format="csv", output=tmp_path / "x.csv")
    with pytest.raises(CommandError, match="invalid choice: 'geojson'"):
        call_command("export_survey", slug, "--format", "geojson")
    with pytest.raises(CommandError, match=r"missing/x\.csv"):
        call_command("export_survey", slug, format="csv", output=tmp_path / "missing" / "x.csv")
    with pytest.raises(CommandError, match=str(tmp_path)):
        call_command("export_survey", slug, format="csv", output=tmp_path)
    without_map = QuestionnaireFactory(territory=world.questionnaire.territory)
    with pytest.raises(CommandError, match="GeoPackage"):
        call_command("export_survey", without_map.slug, format="gpkg", output=tmp_path / "x.gpkg")
    assert list(tmp_path.iterdir()) == []


def test_an_existing_file_is_replaced_whole(world, tmp_path):
    target = tmp_path / "out.gpkg"
    target.write_text("old")
    call_command("export_survey", world.questionnaire.slug, format="gpkg", output=target)
    assert target.read_bytes().startswith(b"SQLite format 3\x00")
    assert [path.name for path in tmp_path.iterdir()] == ["out.gpkg"]


def run_command(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": _database_url_for(connection.settings_dict["NAME"])}
    return subprocess.run(
        [sys.executable, "manage.py", "export_survey", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_command_line_help_and_exit_status(world, tmp_path):
    helped = run_command("--help")
    assert helped.returncode == 0
    assert "--format {csv,gpkg}" in helped.stdout and "--output" in helped.stdout
    missing = run_command("nulle-part", "--format", "csv", "--output", str(tmp_path / "x.csv"))
    assert missing.returncode == 1
    assert "nulle-part" in missing.stderr
    slug = world.questionnaire.slug
    written = run_command(slug, "--format", "csv", "--output", str(tmp_path / "x.csv"))
    assert written.returncode == 0, written.stderr
    assert (tmp_path / "x.csv").read_bytes().startswith(b"\xef\xbb\xbfresponse;channel;")
