// SPDX-License-Identifier: AGPL-3.0-or-later
// The crowdfunding portal's maps: the projects coloured by state and outlined by
// modality, filtered as the list twin is (the state through the tiles' ``status``
// filter, the modality, theme and commune on the features' own properties), and a
// project's place. Every page works without it: the server renders the list and filters.
import { Map as MapLibreMap, Marker, NavigationControl } from "../vendor/maplibre-gl/maplibre-gl.mjs";

const config = JSON.parse(document.getElementById("crowdfunding-config").textContent);
const container = document.getElementById("map");
const SOURCE = "crowdfunding-projects";
const LAYERS = ["crowdfunding-projects", "crowdfunding-projects-fill", "crowdfunding-projects-outline"];

function newMap(center, zoom) {
  const map = new MapLibreMap({
    container,
    style: config.style,
    center,
    zoom,
    maxZoom: 19,
    attributionControl: { compact: true },
  });
  map.addControl(new NavigationControl({ visualizePitch: false }), "top-right");
  map.getCanvas().setAttribute("aria-label", config.strings.mapLabel);
  return map;
}

function propertyFilter(form) {
  // The form's names (French, as the page's URL) and the tiles' properties.
  const data = new FormData(form);
  const clauses = [];
  const modalities = data.getAll("modalite");
  if (modalities.length) clauses.push(["in", ["get", "modality"], ["literal", modalities]]);
  const theme = data.get("theme");
  if (theme) clauses.push(["==", ["get", "theme"], theme]);
  const commune = data.get("commune");
  if (commune) clauses.push(["==", ["get", "commune_insee"], commune]);
  return clauses;
}

function portalMap() {
  const form = document.getElementById("filters");
  const map = newMap(config.center, config.zoom);
  if (config.bounds) map.fitBounds(config.bounds, { padding: 40, maxZoom: 14, animate: false });
  const geometry = {};
  let tiles = null;
  function refresh() {
    const source = map.getSource(SOURCE);
    if (!source || !tiles) return;
    const statuses = new FormData(form).getAll("etat");
    source.setTiles([statuses.length ? `${tiles}?status=${encodeURIComponent(statuses.join(","))}` : tiles]);
    const clauses = propertyFilter(form);
    for (const id of LAYERS) {
      if (!map.getLayer(id)) continue;
      if (!(id in geometry)) geometry[id] = map.getFilter(id);
      map.setFilter(id, ["all", geometry[id], ...clauses]);
    }
  }
  map.on("load", async () => {
    const response = await fetch(config.projectsTileJson, { headers: { Accept: "application/json" } });
    if (response.ok) tiles = (await response.json()).tiles[0];
    refresh();
    document.body.dataset.mapReady = "true";
  });
  map.on("click", (event) => {
    const layers = LAYERS.filter((id) => map.getLayer(id));
    const [feature] = map.queryRenderedFeatures(event.point, { layers });
    const slug = feature?.properties?.slug;
    if (slug) window.location.href = config.projectUrl.replace(/0\/$/, `${encodeURIComponent(slug)}/`);
  });
  for (const id of LAYERS) {
    map.on("mouseenter", id, () => { map.getCanvas().style.cursor = "pointer"; });
    map.on("mouseleave", id, () => { map.getCanvas().style.cursor = ""; });
  }
  form.addEventListener("change", refresh);
}

function placeCenter(place) {
  if (place.type === "Point") return place.coordinates;
  return config.center;
}

function projectMap() {
  const map = newMap(placeCenter(config.place), 15);
  if (config.place.type === "Point") new Marker().setLngLat(config.place.coordinates).addTo(map);
  map.on("load", () => { document.body.dataset.mapReady = "true"; });
}

if (container) {
  container.hidden = false;
  if (config.place) projectMap();
  else if (document.getElementById("filters")) portalMap();
}
