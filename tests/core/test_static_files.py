# SPDX-License-Identifier: AGPL-3.0-or-later
"""Static files travel compressed, under hashed names cached for a year, in production and
under `make run` (settings.STATIC_MANIFEST; the bench tests/bench/test_page_weight.py
measures what it gains on a phone network)."""

import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urljoin

import brotli
import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse

from carto_concertation.core.staticfiles import KeepingCompressor

ROOT = Path(__file__).resolve().parent.parent.parent
STATIC_SETTINGS = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({
    "storage": settings.STORAGES["staticfiles"]["BACKEND"],
    "finders": settings.WHITENOISE_USE_FINDERS, "autorefresh": settings.WHITENOISE_AUTOREFRESH,
    "headers": settings.WHITENOISE_ADD_HEADERS_FUNCTION.__name__,
}))
"""
HASHED = "carto_concertation.core.staticfiles.HashedCompressedStorage"
# What the map page needs; the rest (API documentation bundles, OpenLayers, Leaflet, the
# browsable API) is left out to keep the Brotli work of this test small.
LEFT_OUT = ["drf_spectacular_sidecar", "rest_framework", "ol", "leaflet", "*.map"]


def static_settings(**variables: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "STATIC_MANIFEST"}}
    env.update(variables, DJANGO_SETTINGS_MODULE="carto_concertation.settings", SECRET_KEY="x")
    result = subprocess.run(
        [sys.executable, "-c", STATIC_SETTINGS], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize(
    "variables",
    [{"DEBUG": "0"}, {"DEBUG": "1", "STATIC_MANIFEST": "1"}],
    ids=["production", "make run"],
)
def test_production_and_make_run_serve_hashed_compressed_files(variables):
    assert static_settings(**variables) == {
        "storage": HASHED,
        "finders": False,
        "autorefresh": False,
        "headers": "year_long_cache",
    }


def test_the_tests_serve_the_sources():
    assert static_settings(DEBUG="1")["storage"].endswith(".StaticFilesStorage")


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    root = tmp_path_factory.mktemp("static")
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": HASHED},
    }
    with override_settings(
        STORAGES=storages,
        STATIC_ROOT=root,
        WHITENOISE_USE_FINDERS=False,
        WHITENOISE_AUTOREFRESH=False,
    ):
        call_command("collectstatic", "--noinput", "-v", "0", ignore_patterns=LEFT_OUT)
        yield root


def get(path: str, encodings: str = "") -> object:
    # A client of its own: its handler builds the middleware (whitenoise's list of files)
    # anew, under the settings in force.
    response = Client(HTTP_ACCEPT_ENCODING=encodings).get(path)
    assert response.status_code == 200, path
    return response


def test_the_map_page_names_hashed_files_served_compressed_for_a_year(
    collected, small_open_concertation
):
    page = get(reverse("concertation", args=[small_open_concertation.slug])).content.decode()
    scripts = re.findall(r'<script type="module" src="([^"]+)"', page)
    assert any(re.fullmatch(r"/static/map/concertation-map\.[0-9a-f]{12}\.js", s) for s in scripts)
    styles = re.findall(r'<link rel="stylesheet" href="([^"]+)"', page)
    assert styles and all(re.search(r"\.[0-9a-f]{12}\.css$", href) for href in styles), styles
    module = next(s for s in scripts if "concertation-map" in s)

    brotli = get(module, "gzip, deflate, br")
    assert brotli["Content-Encoding"] == "br"
    assert brotli["Cache-Control"] == "max-age=31536000, public, immutable"
    assert brotli["Vary"] == "Accept-Encoding"
    gzip = get(module, "gzip")
    assert gzip["Content-Encoding"] == "gzip"
    plain = get(module)
    assert "Content-Encoding" not in plain
    source = b"".join(plain.streaming_content).decode()
    assert len(source) > int(brotli["Content-Length"]) * 2

    # MapLibre, which the module imports, is fetched under its hashed name too, and kept.
    maplibre = re.search(r'from "(\.\./vendor/maplibre-gl/maplibre-gl\.[0-9a-f]{12}\.mjs)"', source)
    assert maplibre, "the module's import of MapLibre is not hashed"
    library = get(urljoin(module, maplibre.group(1)), "br")
    assert library["Content-Encoding"] == "br"
    assert library["Cache-Control"] == "max-age=31536000, public, immutable"
    # A name without its hash may change content: browsers ask again soon.
    assert "immutable" not in get("/static/map/concertation-map.js", "br")["Cache-Control"]


def test_compressed_copies_are_kept_only_while_they_are_of_the_content(tmp_path):
    compressor = KeepingCompressor(quiet=True)
    source = "export const a = 1;\n" * 200
    plain = tmp_path / "module.js"
    digest = hashlib.md5(source.encode(), usedforsecurity=False).hexdigest()[:12]
    hashed = tmp_path / f"module.{digest}.js"
    for path in (plain, hashed):
        path.write_text(source)
        assert compressor.compress(str(path)) == [f"{path}.br", f"{path}.gz"]
        assert brotli.decompress(Path(f"{path}.br").read_bytes()).decode() == source
        # Marked, to tell a kept copy from a new one.
        Path(f"{path}.br").write_bytes(brotli.compress(b"kept"))
        os.utime(f"{path}.br", ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns))

    # collectstatic rewrites a hashed file, unchanged, at every run: its hash still holds.
    hashed.write_text(source)
    os.utime(hashed, ns=(1, 1))
    for path in (plain, hashed):
        compressor.compress(str(path))
        assert brotli.decompress(Path(f"{path}.br").read_bytes()) == b"kept"
    plain.write_text("export const b = 2;\n" * 200)
    os.utime(plain, ns=(2, 2))
    compressor.compress(str(plain))
    assert b"b = 2" in brotli.decompress(Path(f"{plain}.br").read_bytes())
    assert not list(tmp_path.glob("*.part"))
