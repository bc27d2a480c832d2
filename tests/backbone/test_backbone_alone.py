# SPDX-License-Identifier: AGPL-3.0-or-later
"""The backbone's tests pass with no participation module installed (issue 16, point 7).

A pytest process of its own on tests.settings_backbone (INSTALLED_APPS without the
concertations, the contributions and the workshops) runs the tests below: its test
database is created by the backbone's migrations alone, then the zoning is imported and
served as tiles, territories are imported, the layer registry answers and the admin and
its upload pages load. None of these test files imports a participation module, directly
or through a conftest: a test added here must not either (it would fail to collect there).
"""

import os
import subprocess
import sys
from pathlib import Path

from django.apps import apps

from carto_concertation.core.modules import composed
from tests import settings_backbone

ROOT = Path(__file__).resolve().parent.parent.parent

BACKBONE_TESTS = [
    # Migrations from empty (the test database) and the admin.
    "tests/backbone/test_without_modules.py",
    # Zoning: a PLUi import, then its tiles.
    "tests/plui_documents/test_import_real.py::test_counts_and_typezone_distribution_equal_the_source",
    "tests/tiles/test_vector_tiles.py::test_a_tile_holds_the_zones_sql_finds_there_with_their_public_fields",
    "tests/tiles/test_vector_tiles.py::test_tilejson_is_valid_and_matches_the_tiles",
    # The layer registry and a context layer's import.
    "tests/layers/test_registry_and_uploads.py::test_the_registry_lists_every_built_in_layer_once",
    "tests/layers/test_registry_and_uploads.py::test_a_zipped_shapefile_becomes_a_context_layer",
    # Territories: an import, and an import or an edit leaves no stale tile.
    "tests/territories/test_import.py::test_zipped_shapefile_loads",
    "tests/territories/test_import.py::test_an_import_or_an_edit_leaves_no_stale_commune_or_territory_tile",
]


def test_the_backbone_settings_leave_out_every_space_and_module_of_this_run():
    installed = {config.label: config.name for config in apps.get_app_configs()}
    participation = {installed[p.app_label] for p in composed() if p.app_label in installed}
    assert participation
    assert participation.isdisjoint(settings_backbone.INSTALLED_APPS)


def test_the_backbone_s_tests_pass_without_any_participation_module():
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--ds=tests.settings_backbone",
            "-q",
            "-p",
            "no:cacheprovider",
            "--override-ini=addopts=--strict-markers",
            *BACKBONE_TESTS,
        ],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings_backbone"},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    # Every test chosen ran: a path that no longer names a test fails rather than shrinks.
    assert " passed" in run.stdout and "deselected" not in run.stdout, run.stdout
