# SPDX-License-Identifier: AGPL-3.0-or-later
"""Every command README.md prints for a machine set up by `make run` works as printed,
typed afterwards in another shell (no DEBUG or DATABASE_URL exported by hand)."""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.gis.gdal import DataSource

from carto_concertation.territories.models import Territory
from plui_documents.models import UrbanDocument

from .servers import database_url_of_the_tests

ROOT = Path(__file__).resolve().parent.parent.parent
RUN_VARIABLES = (
    re.search(r"RUN_VARIABLES=\(([^)]*)\)", (ROOT / "scripts" / "lib.sh").read_text())
    .group(1)
    .split()
)


def readme_commands() -> list[str]:
    """The lines of README.md's shell blocks run with the project's .venv."""
    blocks = re.findall(r"```sh\n(.*?)```", (ROOT / "README.md").read_text(), re.DOTALL)
    lines = [line.strip() for block in blocks for line in block.splitlines()]
    return [line for line in lines if line.startswith(".venv/bin/python")]


@pytest.fixture
def machine_after_make_run(tmp_path) -> Path:
    """The checkout as `make run` leaves it (its .run/env), the files the commands name
    beside it; manage.py is copied so that it reads this checkout's .run/env."""
    for entry in ROOT.iterdir():
        if entry.name not in {".run", "manage.py", "media"}:
            (tmp_path / entry.name).symlink_to(entry)
    shutil.copy(ROOT / "manage.py", tmp_path / "manage.py")
    run = {
        "DEBUG": "1",
        "DATABASE_URL": database_url_of_the_tests(),
        "REDIS_URL": settings.REDIS_URL,
    }
    env = {k: v for k, v in os.environ.items() if k not in RUN_VARIABLES} | run
    subprocess.run(
        ["bash", "-c", "source scripts/lib.sh && remember_run_environment"],
        cwd=tmp_path,
        env=env,
        check=True,
    )
    communes = ROOT / "demo" / "communes-cc-trois-provinces.geojson"
    subprocess.run(["ogr2ogr", "-f", "GPKG", tmp_path / "communes.gpkg", communes], check=True)
    plui = ROOT / "demo" / "plui" / "241800432_PLUi_20200128"
    shutil.make_archive(str(tmp_path / plui.name), "zip", plui.parent, plui.name)
    return tmp_path


@pytest.mark.django_db(transaction=True)
def test_the_readme_s_commands_work_as_printed(machine_after_make_run):
    commands = readme_commands()
    assert any("import_territory" in c for c in commands)
    assert any("import_plui" in c for c in commands)
    # The shell of the person typing them: none of the variables make run was given.
    shell = {
        k: v
        for k, v in os.environ.items()
        if k not in {*RUN_VARIABLES, "DJANGO_SETTINGS_MODULE", "TEST_REDIS_URL"}
    }
    for command in commands:
        result = subprocess.run(
            ["bash", "-c", command],
            cwd=machine_after_make_run,
            env=shell,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert result.returncode == 0, f"{command}\n{result.stderr[-3000:]}"
    territory = Territory.objects.get(siren="200011781")
    assert territory.communes.count() == len(
        DataSource(str(machine_after_make_run / "communes.gpkg"))[0]
    )
    assert UrbanDocument.objects.get().current_version is not None
