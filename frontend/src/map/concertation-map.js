// SPDX-License-Identifier: AGPL-3.0-or-later
// The map of a concertation: MapLibre over our own tiles and style, a list in sync with
// the view, a side panel (a bottom sheet on a phone) for an idea or a zone (panel.js),
// and proposing an idea, placed first on a full-screen map (propose.js). Everything is also reachable without the map: the page renders
// the list and its filters on the server; this module makes them live.
import {
  GeolocateControl,
  Map as MapLibreMap,
  NavigationControl,
  ScaleControl,
  setWorkerUrl,
} from "../vendor/maplibre-gl/maplibre-gl.mjs";
import { api } from "../common/api.js";
import { mountFinding } from "./search.js";
import { element } from "./dom.js";
import { createPanel } from "./panel.js";
import { createProposal } from "./propose.js";

const config = JSON.parse(document.getElementById("map-config").textContent);
const t = config.strings;
const list = document.getElementById("contribution-list");
const statusLabel = (code) => config.statuses[code] || code;
const filters = document.getElementById("filters");
const status = document.getElementById("map-status");
const ZONING_LAYERS = ["zoning-fill", "zoning-outline"];
const PRESCRIPTION_LAYERS = ["prescriptions-area", "prescriptions-line"];
const CONTRIBUTION_LAYERS = ["contributions-point", "contributions-line", "contributions-area"];
const COUNT_LAYERS = ["contributions-per-commune", "contributions-per-zone"];

// --- small helpers -----------------------------------------------------------------

function announce(message) {
  status.textContent = message;
}

function filterQuery() {
  const query = new URLSearchParams();
  const form = new FormData(filters);
  for (const name of ["theme", "status"]) {
    const value = form.get(name);
    if (value) query.set(name, value);
  }
  return query;
}

// --- the map -----------------------------------------------------------------------

// The worker the page already asked for (map.html preloads it under its hashed name).
if (config.workerUrl) setWorkerUrl(new URL(config.workerUrl, window.location.href).href);
const map = new MapLibreMap({
  container: "map",
  // The style came with the page, its TileJSONs written in: no round trip before the tiles.
  style: config.style || config.styleUrl,
  center: config.center,
  zoom: config.zoom,
  maxZoom: 19,
  attributionControl: { compact: true },
  locale: config.mapLocale,
  cooperativeGestures: false,
});
map.addControl(new NavigationControl({ visualizePitch: false }), "top-right");
map.addControl(new GeolocateControl({ trackUserLocation: false }), "top-right");
// MapLibre names its geolocate button only once it knows the browser can locate (a
// promise later): named now, it is never a button without a name.
map
  .getContainer()
  .querySelector(".maplibregl-ctrl-geolocate")
  ?.setAttribute("aria-label", config.mapLocale["GeolocateControl.FindMyLocation"]);
map.addControl(new ScaleControl({ unit: "metric" }), "bottom-left");
map.getCanvas().setAttribute("aria-label", t.mapLabel);
mountFinding(map); // the search box, the basemap switcher, the chosen layers' toggles

let contributionTiles = null; // the tile URL template from the TileJSON, without filters

function refreshContributions() {
  // The server refreshed the tiles under a new idea; a new URL makes the browser ask.
  const source = map.getSource("contributions");
  if (!source || !contributionTiles) return;
  const query = filterQuery();
  query.set("v", Date.now().toString(36));
  source.setTiles([`${contributionTiles}?${query}`]);
}

map.on("load", async () => {
  // The page came with the first ideas listed; the list follows the view once the map
  // is drawn, so that the map is not kept waiting. Armed before the TileJSON is awaited:
  // a map already idle when it answered would never have refreshed the list.
  map.once("idle", () => {
    map.on("moveend", refreshListSoon);
    refreshList();
  });
  contributionTiles = config.style?.sources?.contributions?.tiles?.[0] || null;
  if (!contributionTiles) {
    const tilejson = await api(config.contributionsTileJson);
    if (tilejson.ok) contributionTiles = tilejson.data.tiles[0];
  }
  document.body.dataset.mapReady = "true";
});

map.on("sourcedata", (event) => {
  if (event.sourceId === "contributions" && event.isSourceLoaded) {
    document.body.dataset.contributionsDrawn = "true";
  }
});

// On a phone the legend would hide the map: folded until asked for. So are the map's
// sources, which MapLibre opens at first: over the map, they would catch its taps.
const legend = document.querySelector("details.layers");
const phone = window.matchMedia("(max-width: 64rem)").matches;
if (legend && phone) legend.open = false;
map.once("load", () => {
  if (!phone) return;
  for (const sources of document.querySelectorAll(".maplibregl-ctrl-attrib.maplibregl-compact-show")) {
    sources.classList.remove("maplibregl-compact-show");
    sources.removeAttribute("open");
  }
});

// Layer controls: the zoning, its opacity, the prescriptions.
function setVisible(layers, visible) {
  for (const id of layers) {
    if (map.getLayer(id)) map.setLayoutProperty(id, "visibility", visible ? "visible" : "none");
  }
}
document.getElementById("show-zoning")?.addEventListener("change", (event) => {
  setVisible(ZONING_LAYERS, event.target.checked);
});
document.getElementById("zoning-opacity")?.addEventListener("input", (event) => {
  if (map.getLayer("zoning-fill")) {
    map.setPaintProperty("zoning-fill", "fill-opacity", Number(event.target.value) / 100);
  }
});
document.getElementById("show-prescriptions")?.addEventListener("change", (event) => {
  setVisible(PRESCRIPTION_LAYERS, event.target.checked);
});
map.on("load", () => {
  setVisible(PRESCRIPTION_LAYERS, document.getElementById("show-prescriptions")?.checked);
});

for (const id of [...CONTRIBUTION_LAYERS, ...COUNT_LAYERS]) {
  map.on("mouseenter", id, () => (map.getCanvas().style.cursor = "pointer"));
  map.on("mouseleave", id, () => (map.getCanvas().style.cursor = ""));
}

map.on("click", async (event) => {
  // Placing, or writing an idea already placed: a tap is not a question about the map.
  if (proposal.isPlacing() || document.getElementById("idea-form")) return;
  const layers = [...CONTRIBUTION_LAYERS, ...COUNT_LAYERS].filter((id) => map.getLayer(id));
  const [feature] = map.queryRenderedFeatures(event.point, { layers });
  if (feature && CONTRIBUTION_LAYERS.includes(feature.layer.id)) {
    openContribution(feature.id);
  } else if (feature) {
    // A count per commune or zone: come closer, where the ideas themselves are drawn.
    map.easeTo({ center: event.lngLat, zoom: Math.max(map.getZoom() + 2, config.aggregateBelow) });
  } else {
    openZone(event.lngLat);
  }
});

// --- the list, in sync with the map ------------------------------------------------

let listTimer = null;
function refreshListSoon() {
  clearTimeout(listTimer);
  listTimer = setTimeout(refreshList, 250);
}

async function refreshList() {
  const bounds = map.getBounds();
  const query = filterQuery();
  query.set("bbox", [bounds.getWest(), bounds.getSouth(), bounds.getEast(), bounds.getNorth()].map((v) => Math.max(-180, Math.min(180, v)).toFixed(5)).join(","));
  query.set("ordering", new FormData(filters).get("ordering") || "recent");
  query.set("page_size", "50");
  const found = await api(`${config.contributionsUrl}?${query}`);
  if (!found.ok) return;
  const items = found.data.features.map((feature) =>
    element("li", {},
      element("button", { type: "button", class: "link", onclick: () => focusContribution(feature) }, feature.properties.title),
      element("span", { class: "meta" }, ` ${statusLabel(feature.properties.status)} · ${feature.properties.votes_for} ${t.supports} · ${feature.properties.comment_count ?? 0} ${t.commentsShort} · `,
        element("a", { href: panel.ideaUrl(feature.id) }, t.ideaPage)),
    ),
  );
  list.replaceChildren(...items);
  document.getElementById("list-count").textContent = `${found.data.count ?? items.length} ${t.inView}`;
}

function focusContribution(feature) {
  const geometry = feature.geometry;
  if (geometry) {
    const points = geometry.type === "Point" ? [geometry.coordinates] : geometry.coordinates.flat(geometry.type === "Polygon" ? 1 : 0);
    const [lon, lat] = points[0];
    map.easeTo({ center: [lon, lat], zoom: Math.max(map.getZoom(), config.aggregateBelow + 1) });
  }
  openContribution(feature.id);
}

filters.addEventListener("change", () => {
  refreshContributions();
  refreshList();
});
filters.addEventListener("submit", (event) => {
  event.preventDefault();
  refreshContributions();
  refreshList();
});

// --- the panel and the proposal -----------------------------------------------------

let proposal = null;
const panel = createPanel({
  config,
  announce,
  refreshContributions,
  onClose: () => proposal?.discard(),
});
const { openContribution, openZone } = panel;
proposal = createProposal({
  map,
  config,
  panel,
  announce,
  refreshContributions,
  refreshList,
  focusContribution,
});

// Come from an idea's page (?idee=<id>&lon=…&lat=…): centred on it, its panel open.
const asked = new URLSearchParams(window.location.search);
if (asked.get("idee")) {
  const lon = Number(asked.get("lon"));
  const lat = Number(asked.get("lat"));
  if (Number.isFinite(lon) && Number.isFinite(lat) && asked.get("lon")) {
    map.jumpTo({ center: [lon, lat], zoom: Math.max(config.zoom, config.aggregateBelow + 2) });
  }
  map.once("load", () => openContribution(Number(asked.get("idee"))));
}
