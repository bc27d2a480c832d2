// SPDX-License-Identifier: AGPL-3.0-or-later
// Copies the browser builds of the npm packages and our page modules into dist/, which
// Django serves as static files (whitenoise adds the cache-busting names). No bundler:
// the pages are native ES modules importing MapLibre's own module build.
import { cpSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";

const vendored = [
  ["node_modules/ol/dist/ol.js", "dist/vendor/ol/ol.js"],
  // ol.js names its source map; Django's manifest storage (production) needs it there.
  ["node_modules/ol/dist/ol.js.map", "dist/vendor/ol/ol.js.map"],
  ["node_modules/ol/ol.css", "dist/vendor/ol/ol.css"],
  ["node_modules/ol/LICENSE.md", "dist/vendor/ol/LICENSE.md"],
  ["node_modules/maplibre-gl/dist/maplibre-gl.mjs", "dist/vendor/maplibre-gl/maplibre-gl.mjs"],
  ["node_modules/maplibre-gl/dist/maplibre-gl-worker.mjs", "dist/vendor/maplibre-gl/maplibre-gl-worker.mjs"],
  ["node_modules/maplibre-gl/dist/maplibre-gl.css", "dist/vendor/maplibre-gl/maplibre-gl.css"],
  ["node_modules/maplibre-gl/LICENSE.txt", "dist/vendor/maplibre-gl/LICENSE.txt"],
  // Leaflet is what folium's maps run on: the bilan inlines these files so that the
  // report opens offline and makes no request outside the server.
  ["node_modules/leaflet/dist/leaflet.js", "dist/vendor/leaflet/leaflet.js"],
  ["node_modules/leaflet/dist/leaflet.js.map", "dist/vendor/leaflet/leaflet.js.map"],
  ["node_modules/leaflet/dist/leaflet.css", "dist/vendor/leaflet/leaflet.css"],
  ["node_modules/leaflet/dist/images", "dist/vendor/leaflet/images"],
  ["node_modules/leaflet/LICENSE", "dist/vendor/leaflet/LICENSE"],
  // Every page module (map/, and one folder per page that has its own).
  ["src", "dist"],
];
for (const [from, to] of vendored) {
  mkdirSync(dirname(to), { recursive: true });
  cpSync(from, to, { recursive: true });
}
console.log(`front-end assets built: ${vendored.length} entries in frontend/dist/`);
