// SPDX-License-Identifier: AGPL-3.0-or-later
// Copies the browser builds of the npm packages and our page modules into dist/, which
// Django serves as static files (whitenoise adds the cache-busting names). No bundler:
// the pages are native ES modules importing MapLibre's own module build.
import { cpSync, mkdirSync } from "node:fs";

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
  ["src/map", "dist/map"],
];
for (const [from, to] of vendored) {
  mkdirSync(to.substring(0, to.lastIndexOf("/")), { recursive: true });
  cpSync(from, to, { recursive: true });
}
console.log(`front-end assets built: ${vendored.length} entries in frontend/dist/`);
