// SPDX-License-Identifier: AGPL-3.0-or-later
// The map of a concertation: MapLibre over our own tiles and style, a list in sync with
// the view, a side panel (a bottom sheet on a phone) for an idea or a zone, and the form
// to propose an idea. Everything is also reachable without the map: the page renders
// the list and its filters on the server; this module makes them live.
import {
  GeolocateControl,
  Map as MapLibreMap,
  Marker,
  NavigationControl,
  ScaleControl,
} from "../vendor/maplibre-gl/maplibre-gl.mjs";
import { api } from "../common/api.js";
import { mountFinding } from "./search.js"; // find: search box, basemaps, layers, embed

const config = JSON.parse(document.getElementById("map-config").textContent);
const t = config.strings;
const panel = document.getElementById("panel");
const list = document.getElementById("contribution-list");
const filters = document.getElementById("filters");
const status = document.getElementById("map-status");
const ZONING_LAYERS = ["zoning-fill", "zoning-outline"];
const PRESCRIPTION_LAYERS = ["prescriptions-area", "prescriptions-line"];
const CONTRIBUTION_LAYERS = ["contributions-point", "contributions-line", "contributions-area"];
const COUNT_LAYERS = ["contributions-per-commune", "contributions-per-zone"];

// --- small helpers -----------------------------------------------------------------

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === null || value === undefined) continue;
    if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined && child !== false) {
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
  }
  return node;
}

// A colour sample; its colour set through the CSSOM, which the CSP allows (a style
// attribute it refuses).
function swatch(colour) {
  const sample = element("span", { class: "swatch", "aria-hidden": "true" });
  sample.style.background = colour;
  return sample;
}

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

const map = new MapLibreMap({
  container: "map",
  style: config.styleUrl,
  center: config.center,
  zoom: config.zoom,
  maxZoom: 19,
  attributionControl: { compact: true },
  locale: config.mapLocale,
  cooperativeGestures: false,
});
map.addControl(new NavigationControl({ visualizePitch: false }), "top-right");
map.addControl(new GeolocateControl({ trackUserLocation: false }), "top-right");
map.addControl(new ScaleControl({ unit: "metric" }), "bottom-left");
map.getCanvas().setAttribute("aria-label", t.mapLabel);
mountFinding(map); // find: search box, basemap switcher, chosen layers' toggles

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
  const tilejson = await api(config.contributionsTileJson);
  if (tilejson.ok) contributionTiles = tilejson.data.tiles[0];
  document.body.dataset.mapReady = "true";
});

map.on("sourcedata", (event) => {
  if (event.sourceId === "contributions" && event.isSourceLoaded) {
    document.body.dataset.contributionsDrawn = "true";
  }
});

// On a phone the legend would hide the map: folded until asked for.
const legend = document.querySelector("details.layers");
if (legend && window.matchMedia("(max-width: 64rem)").matches) legend.open = false;

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
  if (placing) return;
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

// --- the side panel ----------------------------------------------------------------

function showPanel(title, ...content) {
  const heading = element("h2", { id: "panel-title", tabindex: "-1" }, title);
  const close = element("button", { type: "button", class: "close", onclick: closePanel }, t.close);
  panel.replaceChildren(
    element("div", { class: "panel-head" }, heading, close),
    ...content.filter((node) => node !== null && node !== undefined),
  );
  panel.hidden = false;
  heading.focus();
}

function closePanel() {
  panel.hidden = true;
  panel.replaceChildren();
  if (placing) cancelPlacing();
}

document.addEventListener("keydown", (event) => {
  if (event.key === "Escape" && !panel.hidden) closePanel();
});

async function openZone(lngLat) {
  const query = new URLSearchParams({ lon: lngLat.lng.toFixed(6), lat: lngLat.lat.toFixed(6) });
  const found = await api(`${config.lookupUrl}?${query}`);
  if (!found.ok || !found.data?.zone) return;
  const zone = found.data.zone;
  const pages = (found.data.reglement || []).map((page) =>
    element("li", {}, element("a", { href: page.url, target: "_blank", rel: "noopener" },
      `${t.reglement} — ${page.document}, p. ${page.page_start}`)),
  );
  const rules = (found.data.prescriptions || []).map((item) =>
    element("li", {}, [item.type_label, item.libelle].filter(Boolean).join(" : ")),
  );
  showPanel(
    `${t.zone} ${zone.libelle}`,
    element("p", {}, zone.libelong || ""),
    element("p", {}, `${t.zoneType} : ${config.zoneTypes[zone.typezone] || zone.typezone}`),
    pages.length ? element("ul", { class: "links" }, pages) : null,
    rules.length ? element("h3", {}, t.prescriptions) : null,
    rules.length ? element("ul", {}, rules) : null,
  );
}

function statusLabel(code) {
  return config.statuses[code] || code;
}

async function openContribution(id) {
  const found = await api(`${config.contributionsUrl}${id}/`);
  if (!found.ok) return;
  const idea = found.data.properties;
  if (idea.status === "hidden") {
    // The placeholder alone: no opinion nor comment on what moderation hid.
    showPanel(idea.title);
    return;
  }
  const votes = element("div", { class: "votes" });
  renderVotes(votes, id, idea);
  const comments = element("section", { class: "comments", "aria-label": t.comments });
  showPanel(
    idea.title,
    element("p", { class: "meta" }, [idea.themes.join(", "), idea.author, new Date(idea.created_at).toLocaleDateString()].filter(Boolean).join(" · ")),
    element("p", { class: `status status-${idea.status}` }, statusLabel(idea.status)),
    element("p", { class: "text" }, idea.text),
    ...(idea.photos || []).map((photo) =>
      element("img", { src: photo.url, alt: "", width: photo.width, height: photo.height, loading: "lazy" }),
    ),
    idea.answer
      ? element("div", { class: "answer" }, element("h3", {}, t.answer), element("p", {}, idea.answer), element("p", { class: "meta" }, idea.answer_service))
      : null,
    votes,
    comments,
  );
  loadComments(comments, id);
}

function renderVotes(container, id, idea) {
  const choices = {
    support: [[1, t.support]],
    for_against: [[1, t.voteFor], [-1, t.voteAgainst]],
    rating: [[-2, "−2"], [-1, "−1"], [1, "+1"], [2, "+2"]],
  }[config.voteMode];
  const tally = config.voteMode === "rating"
    ? `${t.rating} : ${idea.rating_sum} (${idea.rating_count})`
    : config.voteMode === "for_against"
      ? `${t.voteFor} ${idea.votes_for} · ${t.voteAgainst} ${idea.votes_against}`
      : `${idea.votes_for} ${t.supports}`;
  const message = element("p", { class: "errorlist", role: "alert" });
  const buttons = choices.map(([value, label]) =>
    element("button", {
      type: "button",
      onclick: async () => {
        if (!config.signedIn) return (window.location.href = config.loginUrl);
        const answer = await api(`${config.contributionsUrl}${id}/vote`, { method: "PUT", body: { value } });
        if (!answer.ok) return (message.textContent = firstError(answer.data));
        renderVotes(container, id, { ...idea, ...answer.data });
        announce(t.voted);
        refreshContributions();
      },
    }, label),
  );
  container.replaceChildren(element("p", {}, tally), element("div", { class: "actions" }, buttons), message);
}

function firstError(data) {
  if (!data) return t.failed;
  if (typeof data.detail === "string") return data.detail;
  const [first] = Object.values(data);
  return Array.isArray(first) ? first.join(" ") : String(first);
}

async function loadComments(container, id) {
  const found = await api(`${config.contributionsUrl}${id}/comments/`);
  const items = found.ok ? found.data.results || found.data : [];
  const render = (comment) =>
    element("li", {},
      element("p", { class: "meta" }, comment.author || t.anonymous),
      element("p", {}, comment.text),
      comment.replies?.length ? element("ul", {}, comment.replies.map(render)) : null,
      comment.can_reply !== false && !comment.parent ? replyForm(container, id, comment.id) : null,
    );
  container.replaceChildren(
    element("h3", {}, `${t.comments} (${items.length})`),
    element("ul", {}, items.map(render)),
    commentForm(container, id, null),
  );
}

function replyForm(container, id, parent) {
  const details = element("details", {}, element("summary", {}, t.reply), commentForm(container, id, parent));
  return details;
}

function commentForm(container, id, parent) {
  if (!config.signedIn) {
    return element("p", {}, element("a", { href: config.loginUrl }, t.signInToComment));
  }
  const fieldId = `comment-${id}-${parent || "new"}`;
  const error = element("p", { class: "errorlist", id: `${fieldId}-error`, role: "alert" });
  const text = element("textarea", { id: fieldId, name: "text", rows: 3, required: true, "aria-describedby": `${fieldId}-error` });
  return element("form", {
    class: "comment-form",
    onsubmit: async (event) => {
      event.preventDefault();
      const body = { text: text.value, ...(parent ? { parent } : {}) };
      const answer = await api(`${config.contributionsUrl}${id}/comments/`, { method: "POST", body });
      if (!answer.ok) return (error.textContent = firstError(answer.data));
      announce(answer.data.status === "published" ? t.commented : t.awaitingModeration);
      loadComments(container, id);
    },
  }, element("label", { for: fieldId }, parent ? t.yourReply : t.yourComment), text, error, element("button", { type: "submit" }, t.send));
}

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
      element("span", { class: "meta" }, ` ${statusLabel(feature.properties.status)} · ${feature.properties.votes_for} ${t.supports} · ${feature.properties.comment_count ?? 0} ${t.commentsShort}`),
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

// --- proposing an idea -------------------------------------------------------------

let placing = false;
let marker = null;
let vertices = [];
let placeOnClick = null; // the open proposal's click handler: one at a time

function cancelPlacing() {
  placing = false;
  if (placeOnClick) map.off("click", placeOnClick);
  placeOnClick = null;
  marker?.remove();
  marker = null;
  vertices = [];
  if (map.getSource("draft")) map.getSource("draft").setData({ type: "FeatureCollection", features: [] });
  map.getCanvas().style.cursor = "";
}

function draftGeometry(kind) {
  if (kind === "point") {
    const { lng, lat } = marker.getLngLat();
    return { type: "Point", coordinates: [lng, lat] };
  }
  if (kind === "line") return { type: "LineString", coordinates: vertices };
  return { type: "Polygon", coordinates: [[...vertices, vertices[0]]] };
}

function drawDraft() {
  const data = {
    type: "FeatureCollection",
    features: vertices.length > 1 ? [{ type: "Feature", properties: {}, geometry: { type: "LineString", coordinates: vertices } }] : [],
  };
  if (!map.getSource("draft")) {
    map.addSource("draft", { type: "geojson", data });
    map.addLayer({ id: "draft-line", type: "line", source: "draft", paint: { "line-color": "#b35c00", "line-width": 3, "line-dasharray": [2, 1] } });
  } else {
    map.getSource("draft").setData(data);
  }
}

async function zoneUnder(lngLat, output) {
  const query = new URLSearchParams({ lon: lngLat.lng.toFixed(6), lat: lngLat.lat.toFixed(6) });
  const found = await api(`${config.lookupUrl}?${query}`);
  output.textContent = found.ok && found.data?.zone
    ? `${t.zone} ${found.data.zone.libelle} (${found.data.zone.typezone})`
    : t.noZone;
}

function placePoint(lngLat, zoneOutput) {
  if (!marker) {
    marker = new Marker({ draggable: true, color: "#b35c00" }).setLngLat(lngLat).addTo(map);
    marker.on("dragend", () => zoneUnder(marker.getLngLat(), zoneOutput));
  } else {
    marker.setLngLat(lngLat);
  }
  zoneUnder(lngLat, zoneOutput);
}

function propose() {
  if (!config.signedIn) {
    window.location.href = config.loginUrl;
    return;
  }
  cancelPlacing();
  placing = true;
  map.getCanvas().style.cursor = "crosshair";
  const kinds = config.accepted;
  let kind = kinds[0];
  const zoneOutput = element("p", { class: "zone-under", "aria-live": "polite" }, t.placeHint);
  const errors = {};
  const field = (name, label, control) => {
    errors[name] = element("p", { class: "errorlist", id: `idea-${name}-error`, role: "alert" });
    control.setAttribute("aria-describedby", `idea-${name}-error`);
    return element("div", { class: "field" }, element("label", { for: control.id }, label), control, errors[name]);
  };
  const kindChoice = kinds.length > 1
    ? element("fieldset", {}, element("legend", {}, t.kind), kinds.map((value) =>
        element("label", { class: "check" }, element("input", {
          type: "radio", name: "kind", value, checked: value === kind,
          onchange: () => { kind = value; cancelPlacingShape(); },
        }), config.kinds[value])))
    : null;
  const cancelPlacingShape = () => {
    marker?.remove();
    marker = null;
    vertices = [];
    drawDraft();
  };
  const title = element("input", { id: "idea-title", name: "title", maxlength: 140, required: true });
  const text = element("textarea", { id: "idea-text", name: "text", rows: 5, required: true });
  const themes = element("fieldset", { id: "idea-themes" }, element("legend", {}, t.themes),
    config.themes.map((theme) => element("label", { class: "check" },
      element("input", { type: "checkbox", name: "themes", value: theme.id }),
      swatch(theme.colour), theme.name)));
  errors.themes = element("p", { class: "errorlist", id: "idea-themes-error", role: "alert" });
  errors.geometry = element("p", { class: "errorlist", id: "idea-geometry-error", role: "alert" });
  const centre = element("button", { type: "button", class: "secondary", onclick: () => {
    if (kind === "point") placePoint(map.getCenter(), zoneOutput);
    else { vertices.push(map.getCenter().toArray()); drawDraft(); zoneUnder(map.getCenter(), zoneOutput); }
  } }, t.useCentre);
  const form = element("form", {
    id: "idea-form",
    novalidate: true,
    onsubmit: async (event) => {
      event.preventDefault();
      for (const node of Object.values(errors)) node.textContent = "";
      const ready = kind === "point" ? Boolean(marker) : vertices.length >= (kind === "line" ? 2 : 3);
      if (!ready) {
        errors.geometry.textContent = t.placeFirst;
        return;
      }
      const body = {
        title: title.value,
        text: text.value,
        themes: [...themes.querySelectorAll("input:checked")].map((input) => Number(input.value)),
        geometry: draftGeometry(kind),
      };
      const answer = await api(config.contributionsUrl, { method: "POST", body });
      if (!answer.ok) {
        for (const [name, messages] of Object.entries(answer.data || {})) {
          const target = errors[name] || errors.geometry;
          target.textContent = Array.isArray(messages) ? messages.join(" ") : String(messages);
        }
        announce(t.checkForm);
        return;
      }
      cancelPlacing();
      announce(t.thanks);
      refreshContributions();
      focusContribution(answer.data); // come close enough to see it drawn, and open it
      refreshList();
    },
  },
  zoneOutput,
  kindChoice,
  element("div", { class: "actions" }, centre),
  errors.geometry,
  field("title", t.title, title),
  field("text", t.text, text),
  themes, errors.themes,
  element("div", { class: "actions" }, element("button", { type: "submit" }, t.send),
    element("button", { type: "button", class: "secondary", onclick: closePanel }, t.cancel)));
  showPanel(t.propose, form);
  // Removed by cancelPlacing (sent, cancelled, or a new proposal): a handler left armed
  // would add each click of the next proposal a second time.
  placeOnClick = (event) => {
    if (kind === "point") placePoint(event.lngLat, zoneOutput);
    else { vertices.push(event.lngLat.toArray()); drawDraft(); zoneUnder(event.lngLat, zoneOutput); }
  };
  map.on("click", placeOnClick);
}

document.getElementById("propose")?.addEventListener("click", propose);
