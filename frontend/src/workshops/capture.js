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
import { Map as MapLibreMap, Marker, NavigationControl, setWorkerUrl } from "../vendor/maplibre-gl/maplibre-gl.mjs";

const config = JSON.parse(document.getElementById("capture-config").textContent);
const t = config.strings;
const PREFIX = `workshop-capture:${config.workshop}:`;
// Before: the whole queue in one entry. Adopted (and removed) when the page opens.
const LEGACY_QUEUE = `workshop-captures:${config.workshop}`;
const form = document.getElementById("capture-form");
const message = document.getElementById("capture-message");
const placeHint = document.getElementById("capture-place");
const placeHintText = placeHint.textContent;
let place = null;
let syncing = false;

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
      try {
        answer = await send(next);
      } catch {
        say(t.offline);
        return;
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
map.on("click", (event) => {
  place = [event.lngLat.lng, event.lngLat.lat];
  marker.setLngLat(place).addTo(map);
  placeHint.textContent = t.placed;
  form.dataset.placed = "true";
});

form.addEventListener("submit", (event) => {
  event.preventDefault();
  if (!place) {
    say(t.placeFirst);
    return;
  }
  const data = new FormData(form);
  keep({
    state: "queued",
    recordedAt: Date.now(),
    body: {
      key: newKey(),
      title: data.get("title"),
      text: data.get("text"),
      themes: data.getAll("themes").map(Number),
      channel: data.get("channel"),
      participant: data.get("participant") || "",
      geometry: { type: "Point", coordinates: place },
    },
  });
  form.reset();
  marker.remove();
  place = null;
  delete form.dataset.placed;
  placeHint.textContent = placeHintText;
  say(t.queued);
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
