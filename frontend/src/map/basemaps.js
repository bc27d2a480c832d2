// SPDX-License-Identifier: AGPL-3.0-or-later
// The basemap switcher and the toggles of the concertation's own layers, built from the
// style's metadata (tiles/styles.py): "carto:basemaps" lists the basemaps an
// administrator turned on (none by default: then no switcher, and no request leaves the
// server), "carto:layers" the context layers and raster plans a planner chose.
import { element } from "./dom.js";

function setVisible(map, ids, visible) {
  for (const id of ids) {
    if (map.getLayer(id)) map.setLayoutProperty(id, "visibility", visible ? "visible" : "none");
  }
}

function visible(map, id) {
  return map.getLayer(id) && map.getLayoutProperty(id, "visibility") !== "none";
}

let counter = 0;

// The form of the switcher and toggles; null when the style offers nothing to switch.
export function layerControls(map, strings) {
  const metadata = map.getStyle().metadata || {};
  const basemaps = metadata["carto:basemaps"] || [];
  const chosen = metadata["carto:layers"] || [];
  if (!basemaps.length && !chosen.length) return null;
  const prefix = `find-${++counter}`;
  const form = element("form", { class: "find-layers", "aria-label": strings.basemaps });
  form.addEventListener("submit", (event) => event.preventDefault());
  const bases = basemaps.filter((basemap) => !basemap.overlay);
  const overlays = basemaps.filter((basemap) => basemap.overlay);
  if (bases.length) {
    const choose = (id) => {
      setVisible(map, bases.map((basemap) => basemap.id), false);
      if (id) setVisible(map, [id], true);
    };
    const none = !bases.some((basemap) => visible(map, basemap.id));
    form.append(
      element(
        "fieldset",
        {},
        element("legend", {}, strings.basemapTitle),
        [{ id: "", label: strings.noBasemap }, ...bases].map((basemap, index) => {
          const id = `${prefix}-base-${index}`;
          return element(
            "div",
            { class: "check" },
            element("input", {
              type: "radio",
              name: `${prefix}-base`,
              id,
              value: basemap.id,
              checked: basemap.id ? visible(map, basemap.id) : none,
              onchange: () => choose(basemap.id),
            }),
            element("label", { for: id }, basemap.label),
          );
        }),
      ),
    );
  }
  const toggles = (title, entries, key) =>
    element(
      "fieldset",
      {},
      element("legend", {}, title),
      entries.map((entry, index) => {
        const id = `${prefix}-${key}-${index}`;
        const layers = entry.layers || [entry.id];
        const swatch = entry.colour ? element("span", { class: "find-swatch", "aria-hidden": "true" }) : null;
        if (swatch) swatch.style.background = entry.colour; // CSSOM: the CSP allows it
        return element(
          "div",
          { class: "check" },
          element("input", {
            type: "checkbox",
            id,
            "data-layer": entry.id,
            checked: layers.some((layer) => visible(map, layer)),
            onchange: (event) => setVisible(map, layers, event.target.checked),
          }),
          element("label", { for: id }, swatch, entry.label || entry.title),
        );
      }),
    );
  if (overlays.length) form.append(toggles(strings.overlaysTitle, overlays, "overlay"));
  if (chosen.length) form.append(toggles(strings.layersTitle, chosen, "layer"));
  return form;
}

// A MapLibre control (top right, under the zoom buttons) folding the switcher, or the
// form put into `container` (the page's legend).
export function mountBasemaps(map, strings, container = null) {
  const mount = () => {
    const form = layerControls(map, strings);
    if (!form) return;
    if (container) {
      container.append(form);
      return;
    }
    const box = element(
      "details",
      { class: "maplibregl-ctrl maplibregl-ctrl-group find-control" },
      element("summary", {}, strings.basemaps),
      form,
    );
    map.addControl({ onAdd: () => box, onRemove: () => box.remove() }, "top-right");
  };
  if (map.isStyleLoaded()) mount();
  else map.once("load", mount);
}
