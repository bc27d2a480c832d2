# SPDX-License-Identifier: AGPL-3.0-or-later
"""Production collects the static files with cache-busting names (whitenoise's manifest
storage), which fails on a reference it cannot resolve: run it as production does."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_collectstatic_succeeds_with_hashed_names(tmp_path):
    env = {**os.environ, "DEBUG": "0", "SECRET_KEY": "test", "STATIC_ROOT": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    hashed = [path.name for path in (tmp_path / "map").iterdir()]
    assert any(name.startswith("concertation-map.") and name.count(".") == 2 for name in hashed)
    # MapLibre finds its worker by its plain name, which must be served as well.
    assert (tmp_path / "vendor/maplibre-gl/maplibre-gl.mjs").exists()
    assert (tmp_path / "vendor/maplibre-gl/maplibre-gl-worker.mjs").exists()
