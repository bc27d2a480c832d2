// SPDX-License-Identifier: AGPL-3.0-or-later
// Copies the browser builds of the npm packages the pages use into dist/, which
// Django serves as static files (whitenoise adds the cache-busting names).
import { cpSync, mkdirSync } from "node:fs";

const vendored = [
  ["node_modules/ol/dist/ol.js", "dist/vendor/ol/ol.js"],
  ["node_modules/ol/ol.css", "dist/vendor/ol/ol.css"],
  ["node_modules/ol/LICENSE.md", "dist/vendor/ol/LICENSE.md"],
];
for (const [from, to] of vendored) {
  mkdirSync(to.substring(0, to.lastIndexOf("/")), { recursive: true });
  cpSync(from, to);
}
console.log(`front-end assets built: ${vendored.length} files in frontend/dist/`);
