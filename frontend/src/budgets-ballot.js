// SPDX-License-Identifier: AGPL-3.0-or-later
// The ballot builder: the projects on the ballot as markers on a map, a tap on a marker
// (or in the list) adds the project (approval), gives it one more point (cumulative) or
// the next rank (ordinal); the envelope or the points left are shown as the voter chooses.
// The page works without it: the list is the server's plain form, which this module
// drives (it ticks the same boxes and fills the same numbers), so what is sent is the same.
import { Map as MapLibreMap, Marker, NavigationControl, LngLatBounds } from "./vendor/maplibre-gl/maplibre-gl.mjs";

const config = JSON.parse(document.getElementById("ballot-config").textContent);
const form = document.getElementById("ballot-form");
const left = document.getElementById("ballot-left");
const container = document.getElementById("ballot-map");
const lang = document.documentElement.lang || "fr";
const markers = new Map(); // project number -> marker element

const fill = (text, values) => text.replace(/%\((\w+)\)s/g, (_, key) => values[key]);
const euros = (amount) => amount.toLocaleString(lang);
const field = (project) => form.elements[project.field];
const districtField = form.elements.district;

function value(project) {
  const input = field(project);
  if (!input) return 0;
  if (config.type === "approval") return input.checked ? 1 : 0;
  return Number.parseInt(input.value, 10) || 0;
}

function onBallot(project) {
  // Split per district: the voter's district's ballot alone, once they chose it.
  const district = districtField ? districtField.value : "";
  return !config.splitByDistrict || !district || String(project.district) === district;
}

function envelope() {
  const district = districtField ? districtField.value : "";
  return (config.splitByDistrict && config.districtEnvelopes[district]) || config.envelope;
}

function update() {
  const chosen = config.projects.filter((p) => value(p) > 0 && onBallot(p));
  let amount;
  if (config.type === "cumulative") {
    amount = config.maxPointsTotal - chosen.reduce((sum, p) => sum + value(p), 0);
    left.textContent = config.maxPointsTotal ? fill(config.strings.pointsLeft, { points: amount }) : "";
  } else {
    amount = envelope() - chosen.reduce((sum, p) => sum + p.cost, 0);
    left.textContent =
      amount >= 0
        ? fill(config.strings.envelopeLeft, { amount: euros(amount) })
        : fill(config.strings.overEnvelope, { amount: euros(-amount) });
  }
  left.dataset.left = String(amount);
  left.classList.toggle("over", amount < 0);
  left.hidden = false;
  for (const project of config.projects) {
    const shown = onBallot(project);
    const item = form.querySelector(`li.project[data-number="${project.number}"]`);
    if (item) item.hidden = !shown;
    const marker = markers.get(project.number);
    if (!marker) continue;
    const n = value(project);
    marker.hidden = !shown;
    marker.classList.toggle("chosen", n > 0);
    marker.setAttribute("aria-pressed", n > 0 ? "true" : "false");
    marker.textContent = config.type === "approval" || n === 0 ? String(project.number) : `${project.number}·${n}`;
    const values = { title: project.title, cost: euros(project.cost) };
    const action = fill(n > 0 && config.type === "approval" ? config.strings.remove : config.strings.add, values);
    // The name starts with the text shown on the marker (WCAG 2.5.3, label in name).
    marker.setAttribute("aria-label", `${marker.textContent} — ${action}`);
  }
}

function tap(project) {
  const input = field(project);
  if (!input) return;
  if (config.type === "approval") {
    input.checked = !input.checked;
  } else if (config.type === "cumulative") {
    // One more point each tap, back to none past the project's (or the ballot's) limit.
    const used = config.projects.reduce((sum, p) => sum + value(p), 0);
    const next = value(project) + 1;
    const most = config.maxPointsPerProject || Infinity;
    const room = config.maxPointsTotal ? config.maxPointsTotal - used : Infinity;
    input.value = next > most || room <= 0 ? "" : String(next);
  } else {
    // Ranked: the next rank; tapped again, unranked and the ranks after it move up.
    const rank = value(project);
    if (rank) {
      input.value = "";
      for (const other of config.projects) {
        if (value(other) > rank) field(other).value = String(value(other) - 1);
      }
    } else {
      input.value = String(Math.max(0, ...config.projects.map(value)) + 1);
    }
  }
  update();
}

function mapStart() {
  const placed = config.projects.filter((p) => p.lonlat);
  if (!placed.length) return;
  container.hidden = false;
  const map = new MapLibreMap({
    container,
    // The districts on a plain background: nothing is fetched outside the page.
    style: {
      version: 8,
      sources: { districts: { type: "geojson", data: config.districts } },
      layers: [
        { id: "background", type: "background", paint: { "background-color": "#f3f1ea" } },
        { id: "districts", type: "fill", source: "districts", paint: { "fill-color": "#dfe9d8", "fill-opacity": 0.8 } },
        { id: "districts-outline", type: "line", source: "districts", paint: { "line-color": "#5a6b4f", "line-width": 1.5 } },
      ],
    },
    attributionControl: false,
    maxZoom: 19,
  });
  map.addControl(new NavigationControl({ showCompass: false }), "top-right");
  map.getCanvas().setAttribute("aria-label", config.strings.mapLabel);
  const bounds = new LngLatBounds();
  for (const project of placed) {
    bounds.extend(project.lonlat);
    const element = document.createElement("button");
    element.type = "button";
    element.className = "ballot-marker";
    element.dataset.number = String(project.number);
    // A touch acts at once (the map's own touch handling may swallow the click after it),
    // and is the marker's alone: quick taps on markers are not the map's double-tap zoom.
    for (const kind of ["touchstart", "dblclick", "mousedown"]) {
      element.addEventListener(kind, (event) => event.stopPropagation());
    }
    element.addEventListener("touchend", (event) => {
      event.preventDefault();
      event.stopPropagation();
      tap(project);
    });
    element.addEventListener("click", (event) => {
      event.stopPropagation();
      tap(project);
    });
    markers.set(project.number, element);
    new Marker({ element }).setLngLat(project.lonlat).addTo(map);
  }
  map.fitBounds(bounds, { padding: 48, maxZoom: 16, duration: 0 });
  map.on("load", () => {
    document.body.dataset.mapReady = "true";
  });
}

form.addEventListener("change", update);
form.addEventListener("input", update);
mapStart();
update();
