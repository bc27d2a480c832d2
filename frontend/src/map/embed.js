// SPDX-License-Identifier: AGPL-3.0-or-later
// The light map page other sites embed in an <iframe>: the map over our style, its
// legend (with the basemaps and the concertation's layers, when there are any) and a
// link to the full page.
import { AttributionControl, Map as MapLibreMap, NavigationControl } from "../vendor/maplibre-gl/maplibre-gl.mjs";
import { mountBasemaps } from "./basemaps.js";

const config = JSON.parse(document.getElementById("embed-config").textContent);
const map = new MapLibreMap({
  container: "map",
  style: config.styleUrl,
  center: config.center,
  zoom: config.zoom,
  maxZoom: 19,
  attributionControl: false,
});
map.addControl(new AttributionControl({ compact: true }));
map.addControl(new NavigationControl({ visualizePitch: false }), "top-right");
map.getCanvas().setAttribute("aria-label", config.strings.mapLabel);
mountBasemaps(map, config.strings, document.getElementById("map-layers"));
map.on("load", () => {
  document.body.dataset.mapReady = "true";
});
