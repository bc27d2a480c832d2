// SPDX-License-Identifier: AGPL-3.0-or-later
// The map's search box: the server's GET form (frontend-less, its results page) made
// live. It asks our API (communes, zones, ideas, règlement pages: our own data) and,
// only when an administrator turned it on, the Géoplateforme's geocoder for addresses,
// then flies the map to the chosen place. Also mounts the basemap switcher and the
// embed snippet's copy button.
import { mountBasemaps } from "./basemaps.js";
import { element } from "./dom.js";

async function getJson(url, credentials = "same-origin") {
  try {
    const response = await fetch(url, { headers: { Accept: "application/json" }, credentials });
    return response.ok ? await response.json() : null;
  } catch {
    return null;
  }
}

// The Géoplateforme's addresses as our groups: a label, the city, a point.
async function addresses(config, query) {
  // The geocoder takes 3 to 200 characters starting with a letter or a digit.
  if (!config.addressUrl || query.length < 3 || !/^[\p{L}\p{N}]/u.test(query)) return null;
  const url = `${config.addressUrl}?${new URLSearchParams({ q: query, limit: "5", index: "address" })}`;
  const data = await getJson(url, "omit");
  const features = data?.features || [];
  if (!features.length) return null;
  return {
    kind: "addresses",
    label: config.strings.address,
    results: features.map((feature) => ({
      label: feature.properties.label,
      detail: config.strings.address,
      url: "",
      bbox: null,
      center: feature.geometry.coordinates,
    })),
  };
}

// Where the map is, on its container, for whoever reads it (the browser tests).
function recordView(map) {
  const container = map.getContainer();
  const center = map.getCenter();
  container.dataset.center = `${center.lng.toFixed(5)},${center.lat.toFixed(5)}`;
  container.dataset.zoom = map.getZoom().toFixed(2);
}

export function mountSearch(map, config) {
  const form = document.getElementById("map-search");
  const input = document.getElementById("map-search-q");
  const results = document.getElementById("map-search-results");
  if (!form || !input || !results) return;
  const t = config.strings;
  const status = element("p", { class: "visually-hidden", role: "status", "aria-live": "polite" });
  form.append(status);
  // Onto the map, in its top right corner above the zoom buttons, so that the box takes
  // no room from the map (without JavaScript it stays above, where the page put it).
  const box = element("div", { class: "maplibregl-ctrl find-search-ctrl" });
  box.append(form);
  map.addControl({ onAdd: () => box, onRemove: () => box.remove() }, "top-right");
  box.parentElement.prepend(box);

  function goTo(hit) {
    if (hit.bbox) {
      const [west, south, east, north] = hit.bbox;
      map.fitBounds([[west, south], [east, north]], { padding: 40, maxZoom: 17 });
    } else if (hit.center) {
      map.flyTo({ center: hit.center, zoom: 17 });
    }
    map.once("moveend", () => {
      recordView(map);
      status.textContent = t.movedTo.replace("%s", hit.label);
    });
  }

  function render(groups) {
    results.replaceChildren();
    results.hidden = false;
    if (!groups.length) {
      results.append(element("p", {}, t.nothing));
      status.textContent = t.nothing;
      return;
    }
    let count = 0;
    for (const group of groups) {
      const list = element("ul", {});
      for (const hit of group.results) {
        count += 1;
        const text = hit.detail ? `${hit.label} — ${hit.detail}` : hit.label;
        const place = hit.bbox || hit.center;
        list.append(
          element(
            "li",
            {},
            place
              ? element("button", { type: "button", class: "link", onclick: () => goTo(hit) }, text)
              : element("span", {}, text),
            hit.url ? [" ", element("a", { href: hit.url }, "↗", element("span", { class: "visually-hidden" }, hit.label))] : null,
          ),
        );
      }
      results.append(element("section", { class: "map-search-group" }, element("h2", {}, group.label), list));
    }
    status.textContent = t.found.replace("%s", String(count));
  }

  form.addEventListener("submit", async (event) => {
    const query = input.value.trim();
    if (query.length < 2) return; // the browser says why (minlength), the page too
    event.preventDefault();
    status.textContent = t.searching;
    const [ours, theirs] = await Promise.all([
      getJson(`${config.searchUrl}?${new URLSearchParams({ q: query })}`),
      addresses(config, query),
    ]);
    if (ours === null) {
      status.textContent = t.failed;
      return;
    }
    const groups = [...ours.groups, ...(theirs ? [theirs] : [])];
    render(groups);
    const first = groups[0]?.results.find((hit) => hit.bbox || hit.center);
    if (first) goTo(first);
  });
}

function mountEmbedCopy(strings) {
  const button = document.getElementById("embed-copy");
  const code = document.getElementById("embed-code");
  const said = document.getElementById("embed-copied");
  if (!button || !code) return;
  button.hidden = false;
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(code.value);
    } catch {
      code.select();
      document.execCommand("copy");
    }
    if (said) said.textContent = strings.copied;
  });
}

// One call from the map page: the search box, the basemaps and layers, the embed code.
export function mountFinding(map) {
  const found = document.getElementById("find-config");
  if (!found) return;
  const config = JSON.parse(found.textContent);
  mountSearch(map, config);
  // Into the page's legend when it has one (the concertation's map), else a control.
  mountBasemaps(map, config.strings, document.querySelector("[data-find-legend], details.layers"));
  mountEmbedCopy(config.strings);
  map.on("moveend", () => recordView(map));
  recordView(map);
}
