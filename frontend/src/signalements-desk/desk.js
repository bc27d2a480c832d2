// SPDX-License-Identifier: AGPL-3.0-or-later
// The services' dashboard map (the queue, or one report on its page): the house's own
// style from the page (no server but ours unless a basemap is turned on) and the
// reports the filters select, inline. Overdue ones in red and larger; a click opens the
// report's page. The queue's table lists the same reports without JavaScript.
import { LngLatBounds, Map as MapLibreMap, NavigationControl, Popup, ScaleControl } from "../vendor/maplibre-gl/maplibre-gl.mjs";

const config = JSON.parse(document.getElementById("desk-config").textContent);
const t = config.strings;
const container = document.getElementById("map");
const status = document.getElementById("map-status");
const features = config.reports.features;

const bounds = new LngLatBounds();
features.forEach((feature) => bounds.extend(feature.geometry.coordinates));

const map = new MapLibreMap({
  container,
  style: config.style,
  // Without a report, the map of France until the filters find some.
  ...(features.length
    ? { bounds, fitBoundsOptions: { padding: 80, maxZoom: 15 } }
    : { center: [2.5, 46.6], zoom: 5 }),
  maxZoom: 19,
  attributionControl: { compact: true },
});
map.addControl(new NavigationControl({ visualizePitch: false }), "top-right");
map.addControl(new ScaleControl({ unit: "metric" }), "bottom-left");
map.getCanvas().setAttribute("aria-label", t.mapLabel);

map.on("load", () => {
  map.addSource("reports", { type: "geojson", data: config.reports });
  map.addLayer({
    id: "reports",
    type: "circle",
    source: "reports",
    paint: {
      "circle-radius": ["case", ["get", "overdue"], 8, 6],
      "circle-color": ["case", ["get", "overdue"], "#a4161a", "#0b4f8a"],
      "circle-stroke-color": "#ffffff",
      "circle-stroke-width": 1.5,
    },
  });
  map.on("mouseenter", "reports", () => { map.getCanvas().style.cursor = "pointer"; });
  map.on("mouseleave", "reports", () => { map.getCanvas().style.cursor = ""; });
  map.on("click", "reports", (event) => {
    const properties = event.features[0].properties;
    const link = document.createElement("a");
    link.href = properties.url;
    link.textContent = properties.title;
    const line = document.createElement("p");
    line.append(link, document.createElement("br"), properties.state_label);
    if (properties.overdue) line.append(` — ${t.overdue}`);
    new Popup({ closeButton: true }).setLngLat(event.lngLat).setDOMContent(line).addTo(map);
  });
  if (t.shown) status.textContent = t.shown.replace("%(count)s", features.length);
  document.body.dataset.mapReady = "";
});
