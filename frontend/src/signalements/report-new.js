// SPDX-License-Identifier: AGPL-3.0-or-later
// Filing a report on a phone: place first. The map fills the screen with a crosshair
// ("Valider l'emplacement", as the ideas' propose.js places a point); then the form: the
// category as a tree (parent, then child), its extra questions, and the open reports of
// that category within a few metres, each with "Moi aussi" rather than a twin. The form
// is the server's own (the page without JavaScript files the same way): this module
// fills its longitude and latitude and shows what fits.
import { Map as MapLibreMap, NavigationControl, GeolocateControl } from "../vendor/maplibre-gl/maplibre-gl.mjs";
import { api, cookie } from "../common/api.js";
import { element } from "../map/dom.js";

const config = JSON.parse(document.getElementById("signalements-config").textContent);
const t = config.strings;
const MAX_PHOTOS = 3;
const form = document.getElementById("report-form");
const area = document.getElementById("place-map-area");
const longitude = document.getElementById("id_longitude");
const latitude = document.getElementById("id_latitude");
const typed = document.getElementById("place-typed");
const chosen = document.getElementById("place-chosen");
const nearby = document.getElementById("nearby");
const categoryInput = document.querySelector("#report-form input[name=category]");
const byId = new Map(config.categories.map((category) => [category.id, category]));

let map = null;
let bar = null;
let crosshair = null;

// --- the open reports of the category near the place ---------------------------------

function followForm(id) {
  if (!config.signedIn) {
    // An address follows from the report's page, where it is asked for.
    return element("a", { href: config.reportUrl.replace("/0/", `/${id}/`) + "#follow-title" }, t.meToo);
  }
  return element("form", { method: "post", action: config.followUrl.replace("/0/", `/${id}/`) },
    element("input", { type: "hidden", name: "csrfmiddlewaretoken", value: cookie("csrftoken") }),
    element("button", { type: "submit", class: "me-too" }, t.meToo));
}

async function showNearby(lng, lat) {
  const targets = [nearby, bar?.nearby].filter(Boolean);
  const category = Number(categoryInput.value);
  if (!category || !byId.has(category)) {
    targets.forEach((target) => target.replaceChildren());
    return;
  }
  const query = new URLSearchParams({ category, longitude: lng.toFixed(6), latitude: lat.toFixed(6) });
  const found = await api(`${config.nearbyUrl}?${query}`);
  const features = found.ok ? found.data?.features || [] : [];
  for (const target of targets) {
    target.replaceChildren(...(features.length ? [
      element("h2", {}, t.nearbyTitle),
      element("p", {}, t.nearbyHint),
      element("ul", {}, features.map((feature) => {
        const id = feature.id ?? feature.properties.id;
        const p = feature.properties;
        return element("li", {},
          element("p", {}, element("strong", {}, p.category_name), ` · ${p.state_label} · ${Math.round(p.distance_m)} m`),
          element("p", {}, p.description?.length > 140 ? `${p.description.slice(0, 140)}…` : p.description),
          element("p", {}, element("a", { href: config.reportUrl.replace("/0/", `/${id}/`) }, t.reportPage), " ", followForm(id)));
      })),
    ] : []));
  }
}

function placed() {
  return longitude.value !== "" && latitude.value !== "";
}

function nearbyOfPlace() {
  if (placed()) showNearby(Number(longitude.value), Number(latitude.value));
}

// --- placing, on a map that fills the screen -------------------------------------------

function ensureMap() {
  if (map) return map;
  map = new MapLibreMap({
    container: "map",
    style: config.styleUrl,
    center: placed() ? [Number(longitude.value), Number(latitude.value)] : config.center,
    zoom: placed() ? 17 : config.zoom,
    maxZoom: 19,
    attributionControl: { compact: true },
  });
  map.addControl(new NavigationControl({ visualizePitch: false }), "top-right");
  map.addControl(new GeolocateControl({ trackUserLocation: false }), "top-right");
  map.getCanvas().setAttribute("aria-label", t.mapLabel);
  map.on("click", (event) => map.easeTo({ center: event.lngLat }));
  map.on("moveend", () => {
    if (bar) showNearby(map.getCenter().lng, map.getCenter().lat);
  });
  map.on("load", () => { document.body.dataset.mapReady = "true"; });
  return map;
}

function startPlacing() {
  area.hidden = false;
  document.body.classList.add("placing");
  ensureMap().resize();
  crosshair = element("div", { class: "crosshair", "aria-hidden": "true" });
  map.getContainer().append(crosshair);
  const title = element("h2", { id: "placing-title", tabindex: "-1" }, t.placeTitle);
  const validate = element("button", { type: "button", id: "place-validate", onclick: validatePlace }, t.validatePlace);
  const cancel = element("button", { type: "button", class: "secondary", onclick: () => stopPlacing() }, t.cancel);
  const list = element("section", { class: "nearby", "aria-live": "polite" });
  bar = { node: element("section", { id: "placing", class: "placing-bar", "aria-labelledby": "placing-title" },
    title, element("p", { class: "hint" }, t.placeHint), element("div", { class: "actions" }, validate, cancel), list), nearby: list };
  area.append(bar.node);
  title.focus();
  showNearby(map.getCenter().lng, map.getCenter().lat);
}

function stopPlacing() {
  crosshair?.remove();
  bar?.node.remove();
  crosshair = null;
  bar = null;
  document.body.classList.remove("placing");
  area.hidden = true;
  showForm();
}

function validatePlace() {
  const { lng, lat } = map.getCenter();
  longitude.value = lng.toFixed(6);
  latitude.value = lat.toFixed(6);
  stopPlacing();
  markPlaced();
  nearbyOfPlace();
  document.getElementById("new-title").setAttribute("tabindex", "-1");
  document.getElementById("new-title").focus();
}

function markPlaced() {
  chosen.hidden = false;
  typed.hidden = true;
}

function showForm() {
  document.getElementById("category-step")?.remove();
  form.hidden = false;
}

// --- the category as a tree, and its questions -------------------------------------------

function questionField(question) {
  const id = `id_q-${question.code}`;
  let control;
  if (question.kind === "choice") {
    control = element("select", { id, name: `q-${question.code}`, required: question.required },
      element("option", { value: "" }, "—"),
      question.choices.map((choice) => element("option", { value: choice.key }, choice.name)));
  } else if (question.kind === "number") {
    control = element("input", { id, name: `q-${question.code}`, type: "number", step: "any", inputmode: "decimal", required: question.required });
  } else {
    control = element("input", { id, name: `q-${question.code}`, type: "text", maxlength: 500, required: question.required });
  }
  return element("div", { class: "field" },
    element("label", { for: id }, question.label, question.required ? element("span", { "aria-hidden": "true" }, " *") : null),
    control);
}

function chooseLeaf(category) {
  categoryInput.value = category ? category.id : "";
  document.getElementById("questions").replaceChildren(...(category ? category.questions.map(questionField) : []));
  nearbyOfPlace();
}

function mountTree(container) {
  const parents = config.categories.filter((category) => !category.parent);
  const childrenOf = (id) => config.categories.filter((category) => category.parent === id);
  const parentSelect = element("select", { id: "category-parent" },
    element("option", { value: "" }, t.choose), parents.map((category) => element("option", { value: category.id }, category.name)));
  const childSelect = element("select", { id: "category-child" });
  const childField = element("div", { class: "field", hidden: true }, element("label", { for: "category-child" }, t.subcategory), childSelect);
  parentSelect.addEventListener("change", () => {
    const parent = byId.get(Number(parentSelect.value));
    const children = parent ? childrenOf(parent.id) : [];
    childField.hidden = children.length === 0;
    childSelect.replaceChildren(element("option", { value: "" }, t.choose),
      ...children.map((category) => element("option", { value: category.id }, category.name)));
    chooseLeaf(children.length ? null : parent);
  });
  childSelect.addEventListener("change", () => chooseLeaf(byId.get(Number(childSelect.value))));
  container.append(element("div", { class: "field" }, element("label", { for: "category-parent" }, t.parentCategory), parentSelect), childField);
}

// --- photos: three at most, said at once ---------------------------------------------------

const photos = document.getElementById("id_photos");
photos?.addEventListener("change", () => {
  photos.setCustomValidity(photos.files.length > MAX_PHOTOS ? t.tooManyPhotos : "");
  photos.reportValidity();
});

// --- start -----------------------------------------------------------------------------------

document.getElementById("place-change").addEventListener("click", startPlacing);
const tree = document.getElementById("category-tree");
if (tree) mountTree(tree);
if (placed()) {
  // The form came back (a field to correct): the place is kept.
  showForm();
  markPlaced();
  nearbyOfPlace();
} else if (form.querySelector(".errorlist")) {
  showForm(); // placed by commune, to correct
} else {
  showForm();
  startPlacing();
}
