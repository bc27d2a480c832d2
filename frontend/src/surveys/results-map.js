// SPDX-License-Identifier: AGPL-3.0-or-later
// The maps of a questionnaire's results: for the public the heat map's squares (only those
// of at least HEATMAP_MIN_COUNT markers, counted by the server), for the organisers every
// marker. The page works without it: the tables per zone and per commune say the same.
import { Map as MapLibreMap, NavigationControl, LngLatBounds } from "../vendor/maplibre-gl/maplibre-gl.mjs";

const config = JSON.parse(document.getElementById("survey-results-config").textContent);

function bounds(collection) {
  const box = new LngLatBounds();
  const walk = (coordinates) => {
    if (typeof coordinates[0] === "number") box.extend(coordinates);
    else coordinates.forEach(walk);
  };
  collection.features.forEach((feature) => walk(feature.geometry.coordinates));
  return box;
}

function cellLayers(source) {
  return [
    {
      id: `${source}-fill`,
      type: "fill",
      source,
      paint: {
        "fill-color": ["interpolate", ["linear"], ["get", "count"], 1, "#fde0c5", 20, "#c2410c"],
        "fill-opacity": 0.75,
      },
    },
    { id: `${source}-line`, type: "line", source, paint: { "line-color": "#7c2d12", "line-width": 0.5 } },
  ];
}

function markerLayers(source) {
  return [
    { id: `${source}-area`, type: "fill", source, filter: ["==", ["geometry-type"], "Polygon"], paint: { "fill-color": "#1f5f8b", "fill-opacity": 0.25 } },
    { id: `${source}-line`, type: "line", source, filter: ["!=", ["geometry-type"], "Point"], paint: { "line-color": "#1f5f8b", "line-width": 2 } },
    { id: `${source}-point`, type: "circle", source, filter: ["==", ["geometry-type"], "Point"], paint: { "circle-radius": 5, "circle-color": "#1f5f8b", "circle-stroke-color": "#fff", "circle-stroke-width": 1 } },
  ];
}

async function show(container) {
  container.hidden = false;
  const full = container.dataset.full === "true";
  const map = new MapLibreMap({ container, style: config.style, attributionControl: { compact: true }, maxZoom: 17 });
  map.addControl(new NavigationControl({ visualizePitch: false }), "top-right");
  map.getCanvas().setAttribute("aria-label", full ? config.strings.markers : config.strings.heatmap);
  const response = await fetch(container.dataset.mapUrl, { headers: { Accept: "application/json" } });
  const data = response.ok ? await response.json() : { type: "FeatureCollection", features: [] };
  const ready = () => {
    const source = `survey-${container.dataset.code}`;
    map.addSource(source, { type: "geojson", data });
    for (const layer of full ? markerLayers(source) : cellLayers(source)) map.addLayer(layer);
    if (data.features.length) map.fitBounds(bounds(data), { padding: 30, maxZoom: 15, duration: 0 });
    container.dataset.ready = "true";
  };
  if (map.loaded()) ready();
  else map.on("load", ready);
}

document.querySelectorAll(".survey-map[data-map-url]").forEach(show);
