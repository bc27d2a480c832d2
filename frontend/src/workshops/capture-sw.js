// SPDX-License-Identifier: AGPL-3.0-or-later
// The service worker of the workshop pages (scope /workshops/): every GET of the site
// a workshop page or its map worker (served under /workshops/ for that) makes — the
// page, its scripts and styles, the map's style, TileJSON and tiles — goes to the
// network first and is kept; without network the kept copy answers.
// So a tablet reloaded in a village hall without network still opens the capture page
// it opened before, with its queue. The API is never cached: captures are the page's.
// Django answers vary on the cookie and the language: the kept copy is this tablet's.
const CACHE = "workshop-capture-v1";

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

self.addEventListener("fetch", (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (
    request.method !== "GET" ||
    url.origin !== self.location.origin ||
    url.pathname.startsWith("/api/")
  ) {
    return;
  }
  event.respondWith(
    caches.open(CACHE).then((cache) =>
      fetch(request)
        .then((response) => {
          if (response.ok) cache.put(request, response.clone());
          return response;
        })
        .catch(async () => (await cache.match(request, { ignoreVary: true })) || Response.error()),
    ),
  );
});
