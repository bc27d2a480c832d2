// SPDX-License-Identifier: AGPL-3.0-or-later
// An idea's page: a small map of its place (the page says the commune and zone in
// words, and links to the concertation's map), and the share button where the browser
// can share or copy.
import { Map as MapLibreMap } from "../vendor/maplibre-gl/maplibre-gl.mjs";
import { shareLink } from "./dom.js";

const geometry = JSON.parse(document.getElementById("idea-geometry").textContent);
// The style came with the page, its TileJSONs written in: no round trip before the tiles.
const style = JSON.parse(document.getElementById("idea-style").textContent);
const container = document.getElementById("idea-map");
const share = document.getElementById("share");
const shareStatus = document.getElementById("share-status");

if (share) {
  share.hidden = false;
  share.addEventListener("click", () =>
    shareLink({ title: share.dataset.title, url: share.dataset.url }, shareStatus, {
      linkCopied: share.dataset.copied,
      linkToCopy: share.dataset.copy,
    }),
  );
}

function bounds(shape) {
  const points = shape.type === "Point"
    ? [shape.coordinates]
    : shape.type === "LineString" ? shape.coordinates : shape.coordinates.flat();
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  return [[Math.min(...xs), Math.min(...ys)], [Math.max(...xs), Math.max(...ys)]];
}

if (container && geometry) {
  const map = new MapLibreMap({
    container,
    style,
    bounds: bounds(geometry),
    fitBoundsOptions: { padding: 40, maxZoom: 16 },
    interactive: false,
    attributionControl: { compact: true },
  });
  map.on("load", () => {
    map.addSource("idea", { type: "geojson", data: { type: "Feature", properties: {}, geometry } });
    const colour = "#b35c00";
    if (geometry.type === "Point") {
      map.addLayer({ id: "idea", type: "circle", source: "idea", paint: { "circle-color": colour, "circle-radius": 8, "circle-stroke-color": "#fff", "circle-stroke-width": 2 } });
    } else {
      if (geometry.type === "Polygon") map.addLayer({ id: "idea-fill", type: "fill", source: "idea", paint: { "fill-color": colour, "fill-opacity": 0.25 } });
      map.addLayer({ id: "idea", type: "line", source: "idea", paint: { "line-color": colour, "line-width": 4 } });
    }
    document.body.dataset.ideaMapReady = "true";
  });
}
