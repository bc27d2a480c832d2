// SPDX-License-Identifier: AGPL-3.0-or-later
// The planner's page of an idea: a small map of its place over the zoning (the
// concertation's own style), and the answer template that fills the answer form
// (without JavaScript, "use this template" does the same through the server).
import { Map as MapLibreMap, NavigationControl } from "../vendor/maplibre-gl/maplibre-gl.mjs";

const config = JSON.parse(document.getElementById("idea-config").textContent);
const geometry = JSON.parse(config.geometry);
const [west, south, east, north] = config.bounds;

const map = new MapLibreMap({
  container: "idea-map",
  style: config.styleUrl,
  bounds: [[west, south], [east, north]],
  fitBoundsOptions: { padding: 60, maxZoom: 16 },
  maxZoom: 19,
  attributionControl: { compact: true },
});
map.addControl(new NavigationControl({ visualizePitch: false }), "top-right");
map.getCanvas().setAttribute("aria-label", config.mapLabel);
map.on("load", () => {
  // The zones it falls in, outlined over the zoning (their labels are in the table).
  map.addSource("idea-zones", { type: "geojson", data: config.zones });
  map.addLayer({
    id: "idea-zones",
    type: "line",
    source: "idea-zones",
    paint: { "line-color": "#0b4f8a", "line-width": 3, "line-dasharray": [2, 1] },
  });
  map.addSource("idea", { type: "geojson", data: { type: "Feature", geometry, properties: {} } });
  map.addLayer({
    id: "idea-area",
    type: "fill",
    source: "idea",
    filter: ["==", ["geometry-type"], "Polygon"],
    paint: { "fill-color": "#d94801", "fill-opacity": 0.35 },
  });
  map.addLayer({
    id: "idea-line",
    type: "line",
    source: "idea",
    filter: ["!=", ["geometry-type"], "Point"],
    paint: { "line-color": "#7f2704", "line-width": 3 },
  });
  map.addLayer({
    id: "idea-point",
    type: "circle",
    source: "idea",
    filter: ["==", ["geometry-type"], "Point"],
    paint: { "circle-radius": 8, "circle-color": "#d94801", "circle-stroke-color": "#ffffff", "circle-stroke-width": 2 },
  });
  document.body.dataset.mapReady = "true";
});

// A template fills the answer form at once; the planner then rewrites it as they wish.
const choice = document.getElementById("answer-template");
const form = document.getElementById("answer-form");
if (choice && form) {
  choice.addEventListener("change", () => {
    const option = choice.selectedOptions[0];
    if (!option || !option.value) return;
    const status = form.elements.status;
    if ([...status.options].some((o) => o.value === option.dataset.status)) status.value = option.dataset.status;
    form.elements.answer.value = option.dataset.text;
    form.elements.answer_service.value = option.dataset.service;
  });
}
