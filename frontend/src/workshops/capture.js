// SPDX-License-Identifier: AGPL-3.0-or-later
// The tablet page of a map workshop: place an idea on the map, fill the form, and the
// idea is kept on the tablet (localStorage) under a key made here, then sent. Without
// network it waits in the queue and goes when the browser is back online. The server
// answers a second sending of the same key with the same contribution, so a sync that
// was cut after the server recorded it never makes a twin.
import { Map as MapLibreMap, Marker, NavigationControl } from "../vendor/maplibre-gl/maplibre-gl.mjs";

const config = JSON.parse(document.getElementById("capture-config").textContent);
const t = config.strings;
const STORE = `workshop-captures:${config.workshop}`;
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

function load() {
  try {
    return JSON.parse(localStorage.getItem(STORE)) || [];
  } catch {
    return [];
  }
}

function save(items) {
  localStorage.setItem(STORE, JSON.stringify(items));
  document.getElementById("queued-count").textContent = items.filter((i) => i.state === "queued").length;
  document.getElementById("synced-count").textContent = items.filter((i) => i.state === "synced").length;
}

async function send(item) {
  const response = await fetch(config.captureUrl, {
    method: "POST",
    credentials: "same-origin",
    headers: {
      Accept: "application/json",
      "Content-Type": "application/json",
      "X-CSRFToken": cookie("csrftoken"),
    },
    body: JSON.stringify(item.body),
  });
  const data = await response.json().catch(() => null);
  return { status: response.status, data };
}

// Send the queue one idea after the other; stop at the first network failure (the
// rest waits for the next "online" event or the next tap on "Send now").
async function sync() {
  if (syncing) return;
  syncing = true;
  try {
    const items = load();
    for (const item of items.filter((i) => i.state === "queued")) {
      let answer;
      try {
        answer = await send(item);
      } catch {
        say(t.offline);
        break;
      }
      if (answer.status === 200 || answer.status === 201) {
        item.state = "synced";
        item.contribution = answer.data.contribution;
      } else if (answer.status === 409) {
        item.state = "conflict";
        say(t.conflict);
      } else if (answer.status === 400) {
        item.state = "refused";
        item.errors = answer.data;
        say(`${t.refused} ${JSON.stringify(answer.data)}`);
      } else {
        break; // signed out, rate limited, server down: keep it queued
      }
      save(items);
    }
    if (!items.some((i) => i.state === "queued")) say(t.synced);
  } finally {
    syncing = false;
  }
}

const map = new MapLibreMap({
  container: "capture-map",
  style: config.styleUrl,
  center: config.center,
  zoom: config.zoom,
  maxZoom: 19,
  attributionControl: { compact: true },
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
  const items = load();
  items.push({
    state: "queued",
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
  save(items);
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
save(load());
if (navigator.onLine) sync();
// Keeps this page and what it loaded (scripts, map style, tiles, fonts) for a reload
// without network; capture-sw.js answers from this cache when the network fails.
async function keepForOffline() {
  await navigator.serviceWorker.register(config.serviceWorkerUrl, {
    scope: config.serviceWorkerScope,
  });
  await navigator.serviceWorker.ready;
  const cache = await caches.open("workshop-capture-v1");
  const loaded = performance
    .getEntriesByType("resource")
    .map((entry) => entry.name)
    .filter((url) => url.startsWith(location.origin) && !url.includes("/api/"));
  await Promise.all([location.href, ...loaded].map((url) => cache.add(url).catch(() => null)));
  document.body.dataset.offlineReady = "true";
}
if ("serviceWorker" in navigator && "caches" in window) {
  map.once("idle", () => keepForOffline().catch(() => null));
}
