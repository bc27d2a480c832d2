// SPDX-License-Identifier: AGPL-3.0-or-later
// The participatory budget's maps: an edition's projects coloured by status (filtered as
// the list twin is), a project's place, and picking a project's place on the submission
// form (a tap fills the longitude and latitude the form without JavaScript asks for).
// Every page works without it: the server renders the list, the place fields, the form.
import { Map as MapLibreMap, Marker, NavigationControl, GeolocateControl } from "../vendor/maplibre-gl/maplibre-gl.mjs";

const config = JSON.parse(document.getElementById("budgets-config").textContent);
const container = document.getElementById("map");
const SOURCE = "budget-projects";
const LAYERS = ["budget-projects", "budget-projects-fill"];

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

function placeCenter(place) {
  if (place.type === "Point") return place.coordinates;
  const ring = place.coordinates[0];
  const sum = ring.reduce((acc, [x, y]) => [acc[0] + x, acc[1] + y], [0, 0]);
  return [sum[0] / ring.length, sum[1] / ring.length];
}

function editionMap() {
  const filters = document.getElementById("filters");
  const map = newMap(config.center, config.zoom);
  let tiles = null;
  function refresh() {
    const source = map.getSource(SOURCE);
    if (!source || !tiles) return;
    const statuses = new FormData(filters).getAll("statut");
    const query = statuses.length ? `?status=${encodeURIComponent(statuses.join(","))}` : "";
    source.setTiles([`${tiles}${query}`]);
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
    const number = feature?.properties?.number;
    if (number) window.location.href = config.projectUrl.replace("/0/", `/${number}/`);
  });
  filters.addEventListener("change", refresh);
}

function projectMap() {
  const map = newMap(placeCenter(config.place), 16);
  new Marker().setLngLat(placeCenter(config.place)).addTo(map);
  map.on("load", () => { document.body.dataset.mapReady = "true"; });
}

function pickMap() {
  const area = document.getElementById("pick-map-area");
  const longitude = document.getElementById("id_longitude");
  const latitude = document.getElementById("id_latitude");
  const status = document.getElementById("map-status");
  area.hidden = false;
  const typed = longitude.value !== "" && latitude.value !== "";
  const start = typed ? [Number(longitude.value), Number(latitude.value)] : config.center;
  const map = newMap(start, typed ? 16 : config.zoom);
  map.addControl(new GeolocateControl({ trackUserLocation: false }), "top-right");
  const marker = new Marker({ draggable: true });
  function put(lngLat) {
    longitude.value = lngLat.lng.toFixed(6);
    latitude.value = lngLat.lat.toFixed(6);
    marker.setLngLat(lngLat).addTo(map);
    status.textContent = config.strings.placed;
  }
  if (typed) put({ lng: start[0], lat: start[1] });
  else status.textContent = config.strings.placeHint;
  map.on("click", (event) => put(event.lngLat));
  marker.on("dragend", () => put(marker.getLngLat()));
  map.on("load", () => { document.body.dataset.mapReady = "true"; });
}

if (container) {
  if (document.getElementById("pick-map-area")) pickMap();
  else if (config.place) { container.hidden = false; projectMap(); }
  else if (document.getElementById("filters")) { container.hidden = false; editionMap(); }
}
