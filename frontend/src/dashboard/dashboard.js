// SPDX-License-Identifier: AGPL-3.0-or-later
// The planners' dashboard: the map (the concertation's own style, with the choropleths
// per zone and per commune and the full heat map from the stats endpoints, filtered
// like the page), answers given from templates, and the bilan followed to its end.
// The figures and the list are rendered by the server; this module adds the actions.
import { Map as MapLibreMap, NavigationControl, ScaleControl } from "../vendor/maplibre-gl/maplibre-gl.mjs";
import { api } from "../common/api.js";

const config = JSON.parse(document.getElementById("dashboard-config").textContent);
const t = config.strings;
const status = document.getElementById("map-status");
const CLASSES = ["#fff5eb", "#fdd0a2", "#fd8d3c", "#d94801", "#7f2704"];
const OVERLAYS = { zones: "zonesUrl", communes: "communesUrl", heatmap: "heatmapUrl" };
// The style's own counts (unfiltered, from the tiles) give way to the filtered overlay,
// which goes under the contributions themselves.
const STYLE_COUNTS = ["contributions-per-commune", "contributions-per-zone"];
const UNDER = "contributions-area";

function errorText(data) {
  if (!data) return "";
  return Object.entries(data)
    .map(([field, messages]) => `${field} : ${[].concat(messages).join(" ")}`)
    .join(" ; ");
}

function withQuery(url, extra = "") {
  const query = [config.query, extra].filter(Boolean).join("&");
  return query ? `${url}?${query}` : url;
}

// --- the map -----------------------------------------------------------------------

const map = new MapLibreMap({
  container: "map",
  style: config.style,
  bounds: config.bounds,
  fitBoundsOptions: { padding: 20 },
  maxZoom: 19,
  attributionControl: { compact: true },
});
map.addControl(new NavigationControl({ visualizePitch: false }), "top-right");
map.addControl(new ScaleControl({ unit: "metric" }), "bottom-left");
map.getCanvas().setAttribute("aria-label", t.mapLabel);

// What the choropleths read: the count, or the count per km² (the property of each
// zone and commune); the heat map always counts per cell.
let measure = "count";
let current = "zones";

function classes(highest, whole) {
  // Four equal classes from the lowest non-zero value to the highest; zero (or below
  // the first step) stays the lightest. Counts are whole numbers, densities are not.
  const low = whole ? 1 : Math.min(highest, 0.01);
  const step = Math.max(whole ? 1 : 0.01, (highest - low) / (CLASSES.length - 1));
  const stops = [];
  for (let i = 1; i < CLASSES.length; i += 1) {
    const value = low + (i - 1) * step;
    stops.push(whole ? Math.ceil(value) : Math.round(value * 100) / 100);
  }
  // Stops must increase strictly.
  return stops.filter((value, i) => i === 0 || value > stops[i - 1]);
}

function fillColour(property, stops) {
  const expression = ["step", ["get", property], CLASSES[0]];
  stops.forEach((value, i) => expression.push(value, CLASSES[i + 1]));
  return expression;
}

function formatted(value) {
  return Number(value).toLocaleString(document.documentElement.lang || "fr", { maximumFractionDigits: 2 });
}

function legendShow(name, property, stops) {
  const title = document.getElementById("legend-title");
  const list = document.getElementById("legend-classes");
  title.textContent = name === "heatmap" ? t.legendHeat : property === "density" ? t.legendDensity : t.legendCount;
  list.replaceChildren();
  const bounds = [0, ...stops];
  bounds.forEach((from, i) => {
    const item = document.createElement("li");
    const swatch = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    swatch.setAttribute("class", "swatch");
    swatch.setAttribute("viewBox", "0 0 1 1");
    swatch.setAttribute("aria-hidden", "true");
    const rect = document.createElementNS("http://www.w3.org/2000/svg", "rect");
    rect.setAttribute("width", "1");
    rect.setAttribute("height", "1");
    rect.setAttribute("fill", CLASSES[i]);
    swatch.append(rect);
    const next = bounds[i + 1];
    const label = document.createElement("span");
    if (i === 0) label.textContent = `< ${formatted(stops[0] ?? 1)}`;
    else label.textContent = next === undefined ? `≥ ${formatted(from)}` : `${formatted(from)} – < ${formatted(next)}`;
    item.append(swatch, label);
    item.dataset.colour = CLASSES[i];
    list.append(item);
  });
  document.body.dataset.legend = `${name}:${property}`;
}

// The zones' counts come without outlines: the choropleth colours the zoning tiles'
// features (their id is the zone's) with a match on the id, and draws only the zones
// counted. The communes and the heat map come as GeoJSON.
let zoneCounts = new Map();

function zoneColours(zones, property, stops) {
  const byClass = CLASSES.map(() => []);
  for (const zone of zones) byClass[stops.filter((stop) => zone[property] >= stop).length].push(zone.id);
  const branches = byClass.flatMap((ids, i) => (ids.length ? [ids, CLASSES[i]] : []));
  return branches.length ? ["match", ["id"], ...branches, CLASSES[0]] : CLASSES[0];
}

function overlayRemove() {
  for (const id of ["overlay-fill", "overlay-line"]) if (map.getLayer(id)) map.removeLayer(id);
  if (map.getSource("overlay")) map.removeSource("overlay");
}

async function showOverlay(name) {
  current = name;
  const url = name === "heatmap" ? withQuery(config.heatmapUrl, "full=true") : withQuery(config[OVERLAYS[name]]);
  const response = await api(url);
  if (!response.ok) {
    status.textContent = `${t.failed} ${errorText(response.data)}`;
    return;
  }
  const data = response.data;
  const property = name === "heatmap" ? "count" : measure;
  overlayRemove();
  const before = map.getLayer(UNDER) ? UNDER : undefined;
  let stops;
  let drawn;
  if (name === "zones") {
    zoneCounts = new Map(data.zones.map((zone) => [zone.id, zone]));
    stops = classes(data.highest[property], property === "count");
    const ids = data.zones.map((zone) => zone.id);
    const counted = (yes, no) => (ids.length ? ["match", ["id"], ids, yes, no] : no);
    const source = { source: "zoning", "source-layer": "zones" };
    if (map.getSource("zoning")) {
      // Every zone takes a click (one without contributions says so); only the counted
      // ones are coloured and outlined, so that the zoning shows through the others.
      map.addLayer({
        id: "overlay-fill", type: "fill", ...source,
        paint: { "fill-color": zoneColours(data.zones, property, stops), "fill-opacity": counted(0.75, 0) },
      }, before);
      map.addLayer({
        id: "overlay-line", type: "line", ...source, filter: counted(true, false),
        paint: { "line-color": "#5b5b6b", "line-width": 0.5 },
      }, before);
    }
    drawn = data.zones.length;
  } else {
    const highest = Math.max(0, ...data.features.map((f) => f.properties[property] || 0));
    stops = classes(highest, property === "count");
    map.addSource("overlay", { type: "geojson", data });
    map.addLayer({
      id: "overlay-fill",
      type: "fill",
      source: "overlay",
      paint: {
        "fill-color": fillColour(property, stops),
        "fill-opacity": name === "communes" ? 0.6 : ["case", [">", ["get", "count"], 0], 0.75, 0],
      },
    }, before);
    map.addLayer({
      id: "overlay-line",
      type: "line",
      source: "overlay",
      paint: { "line-color": "#5b5b6b", "line-width": 0.5 },
    }, before);
    drawn = data.features.length;
  }
  const label = { zones: t.perZone, communes: t.perCommune, heatmap: t.heatmap }[name];
  status.textContent = `${label} : ${drawn}`;
  legendShow(name, property, stops);
  document.body.dataset.overlay = name;
  // How many areas with contributions the map shows once drawn (the zones come with
  // the tiles).
  map.once("idle", () => {
    if (current !== name || !map.getLayer("overlay-fill")) return;
    const shown = map.queryRenderedFeatures({ layers: ["overlay-line"] });
    document.body.dataset.overlayDrawn = `${name}:${new Set(shown.map((feature, i) => feature.id ?? i)).size}`;
  });
}

// A click on a zone or a commune: its count and its contributions, each a link to its
// planner's page (the heat map's cells have no list).
const detail = document.getElementById("area-detail");
map.on("click", "overlay-fill", async (event) => {
  if (current === "heatmap") return;
  const feature = event.features[0];
  const key = current === "zones" ? "zone" : "commune";
  const response = await api(withQuery(config.areaIdeasUrl, `${key}=${feature.id}`));
  if (!response.ok) return (status.textContent = `${t.failed} ${errorText(response.data)}`);
  // A zone's tile feature has its label and TYPEZONE; its density is in the counts.
  const props = current === "zones" ? { ...feature.properties, ...zoneCounts.get(feature.id) } : feature.properties;
  document.getElementById("area-detail-title").textContent =
    current === "zones" ? `${props.libelle} (${props.typezone})` : `${props.name} (${props.insee})`;
  document.getElementById("area-detail-count").textContent =
    `${t.ideasHere} : ${response.data.count} · ${formatted(props.density)} ${t.perKm2}`;
  const list = document.getElementById("area-detail-ideas");
  list.replaceChildren();
  for (const idea of response.data.ideas) {
    const item = document.createElement("li");
    const link = document.createElement("a");
    link.href = idea.url;
    link.textContent = idea.title;
    item.append(link, ` (${idea.status})`);
    list.append(item);
  }
  if (!response.data.ideas.length) list.append(Object.assign(document.createElement("li"), { textContent: t.noIdeas }));
  const more = response.data.count - response.data.ideas.length;
  if (more > 0) list.append(Object.assign(document.createElement("li"), { textContent: t.moreIdeas.replace("%(count)s", more) }));
  detail.hidden = false;
  document.body.dataset.detail = `${key}:${feature.id}`;
});
map.on("mouseenter", "overlay-fill", () => (map.getCanvas().style.cursor = "pointer"));
map.on("mouseleave", "overlay-fill", () => (map.getCanvas().style.cursor = ""));
for (const radio of document.querySelectorAll("input[name=measure]")) {
  radio.addEventListener("change", () => {
    if (!radio.checked) return;
    measure = radio.value;
    showOverlay(current);
  });
}

map.on("load", async () => {
  for (const id of STYLE_COUNTS) {
    if (map.getLayer(id)) map.setLayoutProperty(id, "visibility", "none");
  }
  await showOverlay("zones");
  document.body.dataset.mapReady = "true";
});
for (const radio of document.querySelectorAll("input[name=overlay]")) {
  radio.addEventListener("change", () => radio.checked && showOverlay(radio.value));
}

// --- answers from templates --------------------------------------------------------

const bulk = document.getElementById("bulk-answer");
const bulkStatus = document.getElementById("bulk-status");
bulk.addEventListener("submit", async (event) => {
  event.preventDefault();
  const template = Number(new FormData(bulk).get("template"));
  const ids = [...document.querySelectorAll("input[name=ids]:checked")].map((box) => Number(box.value));
  if (!template) return (bulkStatus.textContent = t.chooseTemplate);
  if (!ids.length) return (bulkStatus.textContent = t.chooseContributions);
  const response = await api(config.bulkUrl, { method: "POST", body: { template, ids } });
  if (!response.ok) return (bulkStatus.textContent = `${t.failed} ${errorText(response.data)}`);
  // The confirmation stays on screen: the answered rows are updated in place rather
  // than the page reloaded (the form without JavaScript shows it after its redirect).
  bulkStatus.textContent = t.answered.replace("%(count)s", response.data.answered.length);
  const label = bulkChoice.selectedOptions[0]?.textContent.match(/\(([^()]*)\)$/)?.[1];
  for (const id of response.data.answered) {
    const box = document.getElementById(`pick-${id}`);
    if (!box) continue;
    box.checked = false;
    const cell = box.closest("tr").querySelector(".status-cell");
    if (cell && label) cell.textContent = label;
  }
});

// The templates: written, rewritten and deleted here; the list and the bulk answer's
// choice follow without reloading the page.
const templateForm = document.getElementById("template-form");
const templateList = document.getElementById("template-list");
const templateMessage = document.getElementById("template-status-message");
const bulkChoice = document.getElementById("bulk-template");
const templateUrl = (id) => config.templateUrl.replace(/\/0\/$/, `/${id}/`);

function templateLabel(data) {
  const status = document.querySelector(`#template-status option[value="${data.status}"]`);
  return `${data.title} (${status ? status.textContent : data.status})`;
}

function templateShow(data) {
  let item = templateList.querySelector(`li[data-template="${data.id}"]`);
  let option = bulkChoice.querySelector(`option[value="${data.id}"]`);
  if (!item) {
    item = document.getElementById("template-item").content.firstElementChild.cloneNode(true);
    templateList.append(item);
    option = document.createElement("option");
    option.value = data.id;
    bulkChoice.append(option);
  }
  Object.assign(item.dataset, {
    template: data.id,
    title: data.title,
    status: data.status,
    text: data.text,
    service: data.service,
  });
  const label = templateLabel(data);
  item.querySelector(".template-label").textContent = label;
  option.textContent = label;
}

templateForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  const body = Object.fromEntries(new FormData(templateForm));
  const editing = templateForm.dataset.editing;
  const response = editing
    ? await api(templateUrl(editing), { method: "PUT", body })
    : await api(config.templatesUrl, { method: "POST", body });
  if (!response.ok) return (templateMessage.textContent = `${t.failed} ${errorText(response.data)}`);
  templateShow(response.data);
  templateForm.reset();
  templateMessage.textContent = t.templateSaved;
});

templateForm.addEventListener("reset", () => delete templateForm.dataset.editing);

templateList.addEventListener("click", async (event) => {
  const item = event.target.closest("li[data-template]");
  if (!item) return;
  if (event.target.classList.contains("template-edit")) {
    for (const name of ["title", "status", "text", "service"]) {
      templateForm.elements[name].value = item.dataset[name];
    }
    templateForm.dataset.editing = item.dataset.template;
    templateForm.elements.title.focus();
  } else if (event.target.classList.contains("template-delete")) {
    if (!window.confirm(t.confirmTemplateDelete.replace("%(title)s", item.dataset.title))) return;
    const response = await api(templateUrl(item.dataset.template), { method: "DELETE" });
    if (!response.ok) return (templateMessage.textContent = `${t.failed} ${errorText(response.data)}`);
    bulkChoice.querySelector(`option[value="${item.dataset.template}"]`)?.remove();
    if (templateForm.dataset.editing === item.dataset.template) templateForm.reset();
    item.remove();
    templateMessage.textContent = t.templateDeleted;
  }
});

// --- the bilan ---------------------------------------------------------------------

const bilanStatus = document.getElementById("bilan-status");
const progress = document.getElementById("bilan-progress");

async function follow(jobId) {
  const url = config.jobUrl.replace("00000000-0000-0000-0000-000000000000", jobId);
  const response = await api(url);
  if (!response.ok) return (bilanStatus.textContent = `${t.failed} ${errorText(response.data)}`);
  const job = response.data;
  progress.value = job.progress;
  bilanStatus.textContent = job.message || t.bilanStarted;
  if (job.status === "succeeded") {
    bilanStatus.textContent = t.bilanReady;
    window.location.reload();
  } else if (job.status !== "failed") {
    window.setTimeout(() => follow(jobId), 1500);
  }
}

document.getElementById("bilan-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const response = await api(config.bilansUrl, { method: "POST", body: {} });
  if (!response.ok) return (bilanStatus.textContent = `${t.failed} ${errorText(response.data)}`);
  progress.hidden = false;
  bilanStatus.textContent = t.bilanStarted;
  follow(response.data.id);
});
