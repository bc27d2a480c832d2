# SPDX-License-Identifier: AGPL-3.0-or-later
"""The example module (examples/noticeboard) works on the contract alone (issue 16, point 9).

A pytest process of its own on tests.settings_example (the product's apps and the example)
runs tests/example_module/noticeboard: the house finds the example's tiles, map style,
offline tileset, page, section of "download my data" and demo through the registry, and
names it nowhere. The main run checks here that no code of the house names the example.
"""

import os
import subprocess
import sys
from pathlib import Path

from django.apps import apps

ROOT = Path(__file__).resolve().parent.parent.parent


def test_the_main_run_leaves_the_example_out_and_the_house_names_it_nowhere():
    assert not apps.is_installed("examples.noticeboard")
    named_in = [
        path
        for package in ("carto_concertation", "layers", "plui_documents", "tiles")
        for path in (ROOT / package).rglob("*.py")
        if "noticeboard" in path.read_text(encoding="utf-8")
    ]
    assert named_in == []


def test_the_example_module_s_tests_pass_with_it_installed():
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--ds=tests.settings_example",
            "-q",
            "-p",
            "no:cacheprovider",
            "--override-ini=addopts=--strict-markers",
            "tests/example_module/noticeboard",
        ],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings_example"},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert " passed" in run.stdout and "skipped" not in run.stdout, run.stdout
