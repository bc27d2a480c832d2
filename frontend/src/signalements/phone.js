// SPDX-License-Identifier: AGPL-3.0-or-later
// On a phone the map's sources, which MapLibre opens at first, would cover the map and
// catch its taps (as on the ideas' map): folded until asked for.
export function foldSources(map) {
  if (!window.matchMedia("(max-width: 64rem)").matches) return;
  for (const sources of map.getContainer().querySelectorAll(".maplibregl-ctrl-attrib.maplibregl-compact-show")) {
    sources.classList.remove("maplibregl-compact-show");
    sources.removeAttribute("open");
  }
}
