// SPDX-License-Identifier: AGPL-3.0-or-later
// The tablet page of a map workshop: place an idea on the map, fill the form, and the
// idea is kept on the tablet under a key made here, then sent. Without network it waits
// and goes when the browser is back online. The server answers a second sending of the
// same key with the same contribution, so a sync that was cut after the server recorded
// it never makes a twin.
//
// Each idea is a localStorage entry of its own, named by its key, and every change
// rewrites that entry alone, synchronously: an idea recorded while another is being
// sent can never be overwritten by the send's answer (no copy of the whole queue is
// held across an await).
//
// A place is a point, a line or an area, as the concertation accepts: a line or an area
// is drawn point after point ("Undo the last point", "Finish"); with the keyboard, the
// map moves with the arrow keys and "Place at the centre of the map" adds its centre.
// The list under the form shows every idea kept on the tablet with its state; one that
// waits may be edited or removed before it is sent (the one being sent may not: its
// answer would be merged into the edited idea).
import { Map as MapLibreMap, Marker, NavigationControl, setWorkerUrl } from "../vendor/maplibre-gl/maplibre-gl.mjs";

const config = JSON.parse(document.getElementById("capture-config").textContent);
const t = config.strings;
const PREFIX = `workshop-capture:${config.workshop}:`;
// Before: the whole queue in one entry. Adopted (and removed) when the page opens.
const LEGACY_QUEUE = `workshop-captures:${config.workshop}`;
const form = document.getElementById("capture-form");
const message = document.getElementById("capture-message");
const placeHint = document.getElementById("capture-place");
const submitButton = document.getElementById("capture-submit");
const submitText = submitButton.textContent;
const cancelEdit = document.getElementById("cancel-edit");
const undoButton = document.getElementById("undo-point");
const finishButton = document.getElementById("finish-shape");
const queueList = document.getElementById("capture-queue");
const MIN_POINTS = { point: 1, line: 2, area: 3 };
// The place being drawn: its kind and its points ([lon, lat]); "finished" once the
// relay said so (a line or an area with enough points is taken at recording anyway).
let draft = { kind: currentKind(), points: [], finished: false };
let editing = null; // the key of the waiting idea loaded into the form
let sendingKey = null; // the key of the idea on its way to the server
let syncing = false;

function currentKind() {
  const checked = form.querySelector("input[name=kind]:checked") || form.querySelector("input[name=kind]");
  return checked ? checked.value : "point";
}

function say(text) {
  message.textContent = text;
}

function cookie(name) {
  const found = document.cookie.split("; ").find((part) => part.startsWith(`${name}=`));
  return found ? decodeURIComponent(found.split("=")[1]) : "";
}

function newKey() {
  if (crypto.randomUUID) return crypto.randomUUID();
  // Outside a secure context: an RFC 4122 version 4 UUID from the same random source.
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

// --- the ideas kept on this tablet: one entry per idea --------------------------------

function readEntry(name) {
  try {
    return JSON.parse(localStorage.getItem(name));
  } catch {
    return null;
  }
}

// Every idea of this workshop kept on the tablet, in the order they were recorded.
function ideas() {
  const found = [];
  for (let index = 0; index < localStorage.length; index += 1) {
    const name = localStorage.key(index);
    const idea = name?.startsWith(PREFIX) ? readEntry(name) : null;
    if (idea?.body?.key) found.push(idea);
  }
  return found.sort((a, b) => a.recordedAt - b.recordedAt);
}

function showCounts() {
  const all = ideas();
  document.getElementById("queued-count").textContent = all.filter((i) => i.state === "queued").length;
  document.getElementById("synced-count").textContent = all.filter((i) => i.state === "synced").length;
  showQueue(all);
}

function kindOf(geometry) {
  return { Point: "point", LineString: "line", Polygon: "area" }[geometry?.type] || "point";
}

// The list of the ideas kept here, the waiting ones with their "Edit" and "Remove".
function showQueue(all) {
  queueList.replaceChildren();
  if (!all.length) {
    const empty = document.createElement("li");
    empty.className = "queue-empty";
    empty.textContent = t.queueEmpty;
    queueList.append(empty);
    return;
  }
  for (const idea of all) {
    const item = document.createElement("li");
    item.dataset.key = idea.body.key;
    item.dataset.state = idea.state;
    const title = document.createElement("strong");
    title.textContent = idea.body.title;
    const about = document.createElement("span");
    const number = idea.contribution ? ` n° ${idea.contribution}` : "";
    about.textContent = ` — ${t.kinds[kindOf(idea.body.geometry)]} — ${t.states[idea.state] || idea.state}${number}`;
    item.append(title, about);
    if (idea.state === "queued" && idea.body.key !== sendingKey) {
      for (const [action, label] of [["edit", t.edit], ["remove", t.remove]]) {
        const button = document.createElement("button");
        button.type = "button";
        button.dataset.action = action;
        button.textContent = label;
        button.setAttribute("aria-label", `${label} : ${idea.body.title}`);
        item.append(" ", button);
      }
    }
    queueList.append(item);
  }
}

function keep(idea) {
  localStorage.setItem(PREFIX + idea.body.key, JSON.stringify(idea));
  showCounts();
}

// Merges a change into the idea as stored now (read and written with no await between).
function change(key, changes) {
  const stored = readEntry(PREFIX + key);
  if (stored) keep({ ...stored, ...changes });
}

function adoptLegacyQueue() {
  const legacy = localStorage.getItem(LEGACY_QUEUE);
  if (legacy === null) return;
  let items = [];
  try {
    items = JSON.parse(legacy) || [];
  } catch {
    items = [];
  }
  items.forEach((item, index) => {
    const key = item?.body?.key;
    if (key && localStorage.getItem(PREFIX + key) === null) keep({ recordedAt: index, ...item });
  });
  localStorage.removeItem(LEGACY_QUEUE);
}

// --- sending ---------------------------------------------------------------------------

async function send(idea) {
  const response = await fetch(config.captureUrl, {
    method: "POST",
    credentials: "same-origin",
    headers: {
      Accept: "application/json",
      "Content-Type": "application/json",
      "X-CSRFToken": cookie("csrftoken"),
    },
    body: JSON.stringify(idea.body),
  });
  const data = await response.json().catch(() => null);
  return { status: response.status, data };
}

// Sends the waiting ideas one after the other, the oldest first, reading the stored ideas
// again before each: one recorded during a send goes in the same round. Stops at the
// first network failure (the rest waits for the next "online" event, page load or tap on
// "Send now"). "Sent." only when this round sent something and nothing waits.
async function sync() {
  if (syncing) return;
  syncing = true;
  let sent = 0;
  let keptAside = false;
  try {
    for (;;) {
      const next = ideas().find((idea) => idea.state === "queued");
      if (!next) break;
      let answer;
      sendingKey = next.body.key;
      showCounts();
      try {
        answer = await send(next);
      } catch {
        say(t.offline);
        return;
      } finally {
        sendingKey = null;
      }
      if (answer.status === 200 || answer.status === 201) {
        change(next.body.key, { state: "synced", contribution: answer.data.contribution });
        sent += 1;
      } else if (answer.status === 409) {
        change(next.body.key, { state: "conflict" });
        keptAside = true;
        say(t.conflict);
      } else if (answer.status === 400) {
        change(next.body.key, { state: "refused", errors: answer.data });
        keptAside = true;
        say(`${t.refused} ${JSON.stringify(answer.data)}`);
      } else {
        return; // signed out, rate limited, server down: it stays queued
      }
    }
    if (sent && !keptAside) say(t.synced);
  } finally {
    syncing = false;
    showCounts();
  }
}

// --- the map ---------------------------------------------------------------------------

// MapLibre's worker from under this page's service worker scope: the service worker then
// serves it, and the tiles the worker asks for, without network.
setWorkerUrl(config.mapWorkerUrl);
// Every URL the map asks for (style, TileJSON, tiles), kept for a reload without network.
const mapRequests = new Set();
const map = new MapLibreMap({
  container: "capture-map",
  style: config.styleUrl,
  center: config.center,
  zoom: config.zoom,
  maxZoom: 19,
  attributionControl: { compact: true },
  transformRequest: (url) => {
    mapRequests.add(url);
    return { url };
  },
});
map.addControl(new NavigationControl({ visualizePitch: false }), "top-right");
const marker = new Marker({ color: "#6a3d9a" });
const EMPTY = { type: "FeatureCollection", features: [] };

function draftGeometry() {
  const { kind, points } = draft;
  if (points.length < MIN_POINTS[kind]) return null;
  if (kind === "point") return { type: "Point", coordinates: points[points.length - 1] };
  if (kind === "line") return { type: "LineString", coordinates: points };
  return { type: "Polygon", coordinates: [[...points, points[0]]] };
}

// The draft on the map: the point's marker, or the line or area and its points.
function showDraft() {
  const source = map.getSource("capture-draft");
  const { kind, points } = draft;
  if (kind === "point" && points.length) marker.setLngLat(points[points.length - 1]).addTo(map);
  else marker.remove();
  if (source) {
    const features = kind === "point" ? [] : points.map((p) => ({ type: "Feature", geometry: { type: "Point", coordinates: p }, properties: {} }));
    if (kind === "line" && points.length >= 2) features.push({ type: "Feature", geometry: { type: "LineString", coordinates: points }, properties: {} });
    if (kind === "area" && points.length >= 2) {
      const ring = [...points, points[0]];
      features.push({ type: "Feature", geometry: points.length >= 3 ? { type: "Polygon", coordinates: [ring] } : { type: "LineString", coordinates: ring }, properties: {} });
    }
    source.setData({ type: "FeatureCollection", features });
  }
  const drawing = kind !== "point";
  undoButton.disabled = !drawing || !points.length;
  finishButton.disabled = !drawing || draft.finished || points.length < MIN_POINTS[kind];
  if (draftGeometry()) form.dataset.placed = "true";
  else delete form.dataset.placed;
  form.dataset.points = String(points.length);
  if (kind === "point") placeHint.textContent = points.length ? t.placed : t.point;
  else if (draft.finished) placeHint.textContent = t.finished;
  else placeHint.textContent = `${t[kind]} ${t.pointsSoFar} ${points.length}.`;
}

function addPoint(lngLat) {
  if (draft.kind === "point") draft.points = [lngLat];
  else {
    if (draft.finished) draft = { ...draft, points: [], finished: false };
    draft.points.push(lngLat);
  }
  showDraft();
}

function resetDraft() {
  draft = { kind: currentKind(), points: [], finished: false };
  showDraft();
}

map.on("load", () => {
  map.addSource("capture-draft", { type: "geojson", data: EMPTY });
  map.addLayer({ id: "capture-draft-fill", type: "fill", source: "capture-draft", filter: ["==", ["geometry-type"], "Polygon"], paint: { "fill-color": "#6a3d9a", "fill-opacity": 0.25 } });
  map.addLayer({ id: "capture-draft-line", type: "line", source: "capture-draft", filter: ["!=", ["geometry-type"], "Point"], paint: { "line-color": "#6a3d9a", "line-width": 3 } });
  map.addLayer({ id: "capture-draft-points", type: "circle", source: "capture-draft", filter: ["==", ["geometry-type"], "Point"], paint: { "circle-radius": 5, "circle-color": "#ffffff", "circle-stroke-color": "#6a3d9a", "circle-stroke-width": 2 } });
  showDraft();
});
map.on("click", (event) => addPoint([event.lngLat.lng, event.lngLat.lat]));
document.getElementById("place-centre").addEventListener("click", () => {
  const centre = map.getCenter();
  addPoint([centre.lng, centre.lat]);
});
undoButton.addEventListener("click", () => {
  draft.points.pop();
  draft.finished = false;
  showDraft();
});
finishButton.addEventListener("click", () => {
  if (draft.points.length < MIN_POINTS[draft.kind]) {
    say(t.needMore);
    return;
  }
  draft.finished = true;
  showDraft();
});
form.addEventListener("change", (event) => {
  if (event.target.name === "kind") resetDraft();
});

function stopEditing() {
  editing = null;
  submitButton.textContent = submitText;
  cancelEdit.hidden = true;
  form.reset();
  resetDraft();
}

// Loads a waiting idea into the form; "Save the changes" rewrites it under its key.
function startEditing(key) {
  const idea = readEntry(PREFIX + key);
  if (!idea || idea.state !== "queued" || key === sendingKey) return;
  editing = key;
  const { body } = idea;
  form.elements.title.value = body.title;
  form.elements.text.value = body.text;
  form.elements.channel.value = body.channel;
  form.elements.participant.value = body.participant || "";
  for (const box of form.querySelectorAll("input[name=themes]")) box.checked = body.themes.includes(Number(box.value));
  const kind = kindOf(body.geometry);
  const radio = form.querySelector(`input[name=kind][value=${kind}]`);
  if (radio) radio.checked = true;
  const points = kind === "point" ? [body.geometry.coordinates] : kind === "line" ? body.geometry.coordinates : body.geometry.coordinates[0].slice(0, -1);
  draft = { kind, points: points.map((p) => [...p]), finished: kind !== "point" };
  showDraft();
  submitButton.textContent = t.save;
  cancelEdit.hidden = false;
  say(t.keepPlace);
  form.elements.title.focus();
}

queueList.addEventListener("click", (event) => {
  const button = event.target.closest("button[data-action]");
  if (!button) return;
  const key = button.closest("li").dataset.key;
  const idea = readEntry(PREFIX + key);
  if (!idea || idea.state !== "queued" || key === sendingKey) return;
  if (button.dataset.action === "edit") startEditing(key);
  else if (window.confirm(t.confirmRemove)) {
    localStorage.removeItem(PREFIX + key);
    if (editing === key) stopEditing();
    showCounts();
    say(t.removed);
  }
});
cancelEdit.addEventListener("click", stopEditing);

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const geometry = draftGeometry();
  if (!geometry) {
    say(draft.kind === "point" ? t.placeFirst : t.needMore);
    return;
  }
  const data = new FormData(form);
  const fields = {
    title: data.get("title"),
    text: data.get("text"),
    themes: data.getAll("themes").map(Number),
    channel: data.get("channel"),
    participant: data.get("participant") || "",
    geometry,
  };
  if (editing) {
    const stored = readEntry(PREFIX + editing);
    // Sent meanwhile (or being sent): the changes cannot go under its key any more.
    if (!stored || stored.state !== "queued" || editing === sendingKey) {
      stopEditing();
      return;
    }
    keep({ ...stored, body: { ...stored.body, ...fields } });
    stopEditing();
    say(t.saved);
  } else {
    keep({ state: "queued", recordedAt: Date.now(), body: { key: newKey(), ...fields } });
    form.reset();
    resetDraft();
    say(t.queued);
  }
  if (navigator.onLine) sync();
});

document.getElementById("sync-now").addEventListener("click", () => sync());
window.addEventListener("online", () => {
  say(t.online);
  sync();
});
window.addEventListener("offline", () => say(t.offline));
// Another tab of this page may record or send ideas too.
window.addEventListener("storage", (event) => {
  if (event.key === null || event.key.startsWith(PREFIX)) showCounts();
});
adoptLegacyQueue();
showCounts();
if (navigator.onLine) sync();

// Keeps this page and what it loaded (its module and styles, MapLibre and its worker, the
// map's style, TileJSON and tiles) for a reload without network; capture-sw.js answers
// from this cache when the network fails. The first load came before the service worker
// controlled anything, hence the explicit list; each time the map settles, what it
// fetched since is added.
const OFFLINE_CACHE = "workshop-capture-v1"; // the name capture-sw.js keeps its copies under
const kept = new Set();
async function keepForOffline() {
  const cache = await caches.open(OFFLINE_CACHE);
  const loaded = performance.getEntriesByType("resource").map((entry) => entry.name);
  const wanted = [location.href, config.mapWorkerUrl, ...loaded, ...mapRequests]
    .map((url) => new URL(url, location.href))
    .filter((url) => url.origin === location.origin && !url.pathname.startsWith("/api/"))
    .map((url) => url.href);
  const added = [...new Set(wanted)].filter((url) => !kept.has(url));
  await Promise.all(added.map((url) => cache.add(url).then(() => kept.add(url), () => null)));
}
if ("serviceWorker" in navigator && "caches" in window) {
  const serviceWorkerReady = navigator.serviceWorker
    .register(config.serviceWorkerUrl, { scope: config.serviceWorkerScope })
    .then(() => navigator.serviceWorker.ready);
  map.on("idle", () => {
    serviceWorkerReady
      .then(keepForOffline)
      .then(() => {
        document.body.dataset.offlineReady = "true";
      })
      .catch(() => null);
  });
}
// The map drew its style and the tiles in view (the tests wait for it, online or not).
map.once("idle", () => {
  document.body.dataset.mapDrawn = "true";
});
