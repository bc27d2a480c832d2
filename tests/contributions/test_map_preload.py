# SPDX-License-Identifier: AGPL-3.0-or-later
"""The map page asks for its whole module graph at once (modulepreload): every module
concertation-map.js imports, directly or not, is preloaded, so that a phone on a slow
network does not discover the imports one level after another."""

import gzip
import re
from pathlib import Path

SOURCES = Path(__file__).resolve().parents[2] / "frontend" / "src"
IMPORT = re.compile(r"""^import\s[^;]*?from\s+["']([^"']+)["']""", re.MULTILINE | re.DOTALL)


def module_graph(entry: str) -> set[str]:
    seen, todo = set(), [entry]
    while todo:
        module = todo.pop()
        path = SOURCES / module
        if module in seen or not path.exists():  # the vendored MapLibre is built, not here
            seen.add(module)
            continue
        seen.add(module)
        for target in IMPORT.findall(path.read_text()):
            todo.append(_join(module, target))
    return seen - {entry}


def _join(module: str, target: str) -> str:
    parts = Path(module).parent.joinpath(target).parts
    out: list[str] = []
    for part in parts:
        if part == "..":
            out.pop()
        elif part != ".":
            out.append(part)
    return "/".join(out)


def test_the_map_page_preloads_every_module_it_imports(client, small_open_concertation):
    html = client.get(f"/concertations/{small_open_concertation.slug}/").content.decode()
    preloaded = set(re.findall(r'rel="modulepreload" href="/static/([^"]+)"', html))
    graph = module_graph("map/concertation-map.js")
    assert "vendor/maplibre-gl/maplibre-gl.mjs" in graph and "map/panel.js" in graph
    assert graph <= preloaded, graph - preloaded


def test_the_map_page_travels_compressed_to_a_browser_that_accepts_it(
    client, small_open_concertation
):
    plain = client.get(f"/concertations/{small_open_concertation.slug}/")
    compressed = client.get(
        f"/concertations/{small_open_concertation.slug}/", HTTP_ACCEPT_ENCODING="gzip, br"
    )
    assert "Content-Encoding" not in plain
    assert compressed["Content-Encoding"] == "gzip"
    page = gzip.decompress(compressed.content).decode()
    assert small_open_concertation.title in page
    assert len(compressed.content) * 2 < len(plain.content)
