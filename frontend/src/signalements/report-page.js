// SPDX-License-Identifier: AGPL-3.0-or-later
// A report's page: a small map of its place, in the style of the space it lies in (the
// page says its address in words).
import { Map as MapLibreMap } from "../vendor/maplibre-gl/maplibre-gl.mjs";

const geometry = JSON.parse(document.getElementById("report-geometry").textContent);
const styleUrl = JSON.parse(document.getElementById("report-style").textContent);
const container = document.getElementById("report-map");

if (container && geometry) {
  const map = new MapLibreMap({
    container,
    style: styleUrl,
    center: geometry.coordinates,
    zoom: 16,
    interactive: false,
    attributionControl: { compact: true },
  });
  map.on("load", () => {
    map.addSource("report", { type: "geojson", data: { type: "Feature", properties: {}, geometry } });
    map.addLayer({ id: "report", type: "circle", source: "report", paint: { "circle-color": "#b35c00", "circle-radius": 9, "circle-stroke-color": "#fff", "circle-stroke-width": 2 } });
    document.body.dataset.reportMapReady = "true";
  });
}
