# SPDX-License-Identifier: AGPL-3.0-or-later
"""manage.py export_concertation SLUG --format geojson|csv|gpkg --output PATH"""

import csv
import json
import os
import subprocess
import sys

import pytest
from django.contrib.gis.gdal import DataSource
from django.core.management import CommandError, call_command
from django.db import connection

from tests.conftest import ROOT, _database_url_for

from .conftest import personal_strings, public_count


def test_writes_the_three_formats(exported, tmp_path):
    count = public_count(exported)
    for fmt in ("geojson", "csv", "gpkg"):
        call_command(
            "export_concertation", exported.slug, format=fmt, output=tmp_path / f"out.{fmt}"
        )
    collection = json.loads((tmp_path / "out.geojson").read_bytes())
    assert len(collection["features"]) == count
    with (tmp_path / "out.csv").open(encoding="utf-8-sig", newline="") as file:
        assert len(list(csv.DictReader(file, delimiter=";"))) == count
    layers = {layer.name: len(layer) for layer in DataSource(str(tmp_path / "out.gpkg"))}
    contributions = sum(n for name, n in layers.items() if name.startswith("contributions_"))
    assert contributions == count and layers["zonage"] > 0
    for fmt in ("geojson", "csv", "gpkg"):
        data = (tmp_path / f"out.{fmt}").read_bytes()
        assert not [value for value in personal_strings() if value.encode() in data]
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        "out.csv",
        "out.csvt",
        "out.geojson",
        "out.gpkg",
        "out.prj",
    ]


def test_bad_input_fails_clearly_and_writes_nothing(exported, tmp_path):
    with pytest.raises(CommandError, match="No concertation has the address nulle-part"):
        call_command("export_concertation", "nulle-part", format="csv", output=tmp_path / "x.csv")
    with pytest.raises(CommandError, match="invalid choice: 'xls'"):
        call_command("export_concertation", exported.slug, "--format", "xls")
    with pytest.raises(CommandError, match=r"Cannot write .*missing/x\.csv"):
        call_command(
            "export_concertation",
            exported.slug,
            format="csv",
            output=tmp_path / "missing" / "x.csv",
        )
    with pytest.raises(CommandError, match="is a folder"):
        call_command("export_concertation", exported.slug, format="csv", output=tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_an_existing_file_is_replaced_whole(exported, tmp_path):
    target = tmp_path / "out.geojson"
    target.write_text("old")
    call_command("export_concertation", exported.slug, format="geojson", output=target)
    assert json.loads(target.read_bytes())["type"] == "FeatureCollection"
    assert [path.name for path in tmp_path.iterdir()] == ["out.geojson"]


def run_command(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": _database_url_for(connection.settings_dict["NAME"])}
    return subprocess.run(
        [sys.executable, "manage.py", "export_concertation", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_command_line_help_and_exit_status(exported, tmp_path):
    helped = run_command("--help")
    assert helped.returncode == 0
    assert "--format {geojson,csv,gpkg,xlsx,ods}" in helped.stdout and "--output" in helped.stdout
    missing = run_command("nulle-part", "--format", "csv", "--output", str(tmp_path / "x.csv"))
    assert missing.returncode == 1
    assert "nulle-part" in missing.stderr
    written = run_command(exported.slug, "--format", "csv", "--output", str(tmp_path / "x.csv"))
    assert written.returncode == 0, written.stderr
    assert (tmp_path / "x.csv").read_bytes().startswith(b"\xef\xbb\xbfid;")
