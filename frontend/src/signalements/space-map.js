// SPDX-License-Identifier: AGPL-3.0-or-later
// A space's map of the reports: the space's own style (the module's tileset drawn in
// it), the tiles filtered as the list is (category, state), a report's page a tap away.
// The page works without it: the list and its filters are rendered by the server.
import { Map as MapLibreMap, NavigationControl, GeolocateControl } from "../vendor/maplibre-gl/maplibre-gl.mjs";
import { api } from "../common/api.js";

const config = JSON.parse(document.getElementById("signalements-config").textContent);
const container = document.getElementById("map");
const filters = document.getElementById("filters");
const SOURCE = "signalements";

container.hidden = false;
const map = new MapLibreMap({
  container,
  style: config.styleUrl,
  center: config.center,
  zoom: config.zoom,
  maxZoom: 19,
  attributionControl: { compact: true },
});
map.addControl(new NavigationControl({ visualizePitch: false }), "top-right");
map.addControl(new GeolocateControl({ trackUserLocation: false }), "top-right");
map.getCanvas().setAttribute("aria-label", config.strings.mapLabel);

let tiles = null; // the tile URL template of the TileJSON, without filters

function filterQuery() {
  const form = new FormData(filters);
  const query = new URLSearchParams();
  if (form.get("categorie")) query.set("category", form.get("categorie"));
  const states = form.getAll("etat");
  if (states.length) query.set("status", states.join(","));
  return query;
}

function refresh() {
  const source = map.getSource(SOURCE);
  if (source && tiles) source.setTiles([`${tiles}?${filterQuery()}`]);
}

map.on("load", async () => {
  const tilejson = await api(config.reportsTileJson);
  if (tilejson.ok) tiles = tilejson.data.tiles[0];
  refresh();
  document.body.dataset.mapReady = "true";
});

map.on("click", (event) => {
  const [feature] = map.getLayer(SOURCE) ? map.queryRenderedFeatures(event.point, { layers: [SOURCE] }) : [];
  const id = feature?.id ?? feature?.properties?.id;
  if (id) window.location.href = config.reportUrl.replace("/0/", `/${id}/`);
});

filters.addEventListener("change", refresh);
