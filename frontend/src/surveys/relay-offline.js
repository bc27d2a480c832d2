// SPDX-License-Identifier: AGPL-3.0-or-later
// The relay's entry page, offline too. The form carries a key made on the server; the
// page works without this script (a normal POST). With it, each entry is first kept in
// IndexedDB under its key, then sent: the very form POST the page makes (the server
// reads it as without JavaScript), so there is one reading of the answers, the server's.
// Without network, or when the sending fails, the entry waits and goes on the "online"
// event and at the next page load with network; the count waiting shows above the form. The server
// answers a second sending of the same key with the same response, so a sync cut after
// the server recorded it, or a second click, never makes a twin.
import { cookie } from "../common/api.js";

const form = document.getElementById("relay-form");
const queueBox = document.getElementById("relay-queue");
const waitingCount = document.getElementById("relay-waiting");
const queueMessage = document.getElementById("relay-queue-message");
const DB_NAME = "carto-survey-relay";
const STORE = "entries";
// The words shown, in the page's language (the view's json_script).
const strings = JSON.parse(document.getElementById("relay-strings").textContent);

function openDb() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: "key" });
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function withStore(mode, action) {
  const db = await openDb();
  return new Promise((resolve, reject) => {
    const transaction = db.transaction(STORE, mode);
    const result = action(transaction.objectStore(STORE));
    transaction.oncomplete = () => resolve(result.result);
    transaction.onerror = () => reject(transaction.error);
  });
}

const keep = (entry) => withStore("readwrite", (store) => store.put(entry));
const forget = (key) => withStore("readwrite", (store) => store.delete(key));
const kept = () => withStore("readonly", (store) => store.getAll());

function newKey() {
  if (crypto.randomUUID) return crypto.randomUUID();
  // Outside a secure context: an RFC 4122 version 4 UUID from the same random source.
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

async function showCounts(note = "") {
  const entries = (await kept()).filter((entry) => entry.url === location.pathname);
  const waiting = entries.filter((entry) => entry.state === "queued").length;
  const refused = entries.filter((entry) => entry.state === "refused").length;
  waitingCount.textContent = String(waiting);
  queueMessage.textContent = [note, refused ? `${strings.refused} ${refused}` : ""].filter(Boolean).map((text) => ` — ${text}`).join("");
  queueBox.hidden = !waiting && !refused && !note;
}

// Sends one entry as the page's form POST, the CSRF token of now (a login in between
// changes it). "sent" (the server recorded it, or had already), "refused" (400, 409:
// nothing written), or "failed" (no network, signed out, server error: it waits).
async function send(entry) {
  const body = new URLSearchParams(entry.body);
  body.delete("csrfmiddlewaretoken");
  let response;
  try {
    response = await fetch(entry.url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": cookie("csrftoken") },
      body,
    });
  } catch {
    return { outcome: "failed" };
  }
  const done = response.ok && new URL(response.url).searchParams.get("fait") === entry.key;
  if (done) return { outcome: "sent", url: response.url };
  if (response.status === 400 || response.status === 409) return { outcome: "refused" };
  return { outcome: "failed" };
}

let syncing = false;

// Sends the waiting entries of this page, the oldest first; stops at the first failure.
async function sync() {
  if (syncing) return;
  syncing = true;
  let sent = 0;
  try {
    const waiting = (await kept())
      .filter((entry) => entry.url === location.pathname && entry.state === "queued")
      .sort((a, b) => a.recordedAt - b.recordedAt);
    for (const entry of waiting) {
      const { outcome } = await send(entry);
      if (outcome === "failed") {
        await showCounts(strings.kept);
        return;
      }
      if (outcome === "sent") {
        await forget(entry.key);
        sent += 1;
      } else {
        await keep({ ...entry, state: "refused" });
      }
    }
    await showCounts(sent ? strings.sent : "");
  } finally {
    syncing = false;
  }
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const entry = {
    key: form.elements.key.value,
    url: location.pathname,
    body: new URLSearchParams(new FormData(form)).toString(),
    recordedAt: Date.now(),
    state: "queued",
  };
  await keep(entry);
  const { outcome, url } = navigator.onLine ? await send(entry) : { outcome: "failed" };
  if (outcome === "sent") {
    await forget(entry.key);
    location.assign(url);
  } else if (outcome === "refused") {
    // The form again with the server's reasons: the page's own POST, nothing was written.
    await forget(entry.key);
    form.submit();
  } else {
    // Kept here: a fresh form (a new key) for the next paper form.
    form.reset();
    form.elements.key.value = newKey();
    await showCounts(strings.kept);
  }
});

// A page opened again (from this device's copy without network, say) holds the key of
// an entry that may be sent already: each page load types under a key of its own.
form.elements.key.value = newKey();
window.addEventListener("online", sync);
// Opened without network (from this device's copy), the browser knows: no doomed sending.
showCounts().then(() => navigator.onLine && sync());

// Without network the page opens again from this device: the workshops' service worker
// (network first, the kept copy without network; never the API), served under
// /consultations/saisie/ so that its scope covers these pages, keeps it and its scripts.
const OFFLINE_CACHE = "workshop-capture-v1";
if ("serviceWorker" in navigator && "caches" in window) {
  navigator.serviceWorker
    .register(form.dataset.serviceWorker, { scope: form.dataset.serviceWorkerScope })
    .then(() => navigator.serviceWorker.ready)
    .then(async () => {
      const cache = await caches.open(OFFLINE_CACHE);
      const loaded = performance.getEntriesByType("resource").map((entry) => entry.name);
      const wanted = [location.pathname, ...loaded]
        .map((url) => new URL(url, location.href))
        .filter((url) => url.origin === location.origin && !url.pathname.startsWith("/api/"));
      await Promise.all(wanted.map((url) => cache.add(url.href).catch(() => null)));
      document.body.dataset.offlineReady = "true";
    })
    .catch(() => null);
}
