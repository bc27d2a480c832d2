// SPDX-License-Identifier: AGPL-3.0-or-later
// The map questions of a questionnaire, on a phone and on a desktop, by touch, mouse or
// keyboard. The answering page works without it: each map question is a fieldset
// (class "survey-map-question", its rules in data attributes) holding a hidden
// "<code>-geojson" input and the list alternative (".survey-map-list"). This module puts
// a map above the list: a tap places a point, a vertex of a line or an area, or picks the
// zone or commune under it; a crosshair at the map's centre, moved with the arrows, does
// the same with Enter or "Ajouter ici". Each answer gets its follow-up choice and comment
// under the map (map-question-items.js); the answer is written into the hidden input at
// every change, which the server then reads instead of the list, and the list follows
// (map-question-list.js). "Je préfère choisir dans une liste" hides the map and hands the
// answer back to the list.
import { Map as MapLibreMap, Marker, NavigationControl } from "../vendor/maplibre-gl/maplibre-gl.mjs";
import { element } from "../map/dom.js";
import { boundsOf, featureCollection, inside, outerRing, polygonsOf, readFeatures } from "./map-question-geo.js";
import { renderItems } from "./map-question-items.js";
import { PICK_LAYER, PLAIN_STYLE, addContext, addDrawing, addPicks, showDrawing, showPicked } from "./map-question-layers.js";
import { listTwin } from "./map-question-list.js";
import { strings } from "./map-question-strings.js";

const t = strings();
const PICK_KINDS = new Set(["zones", "communes"]);
const VERTICES_NEEDED = { line: 2, area: 3 };
// The arrows move the crosshair 80 pixels at once (16 with Shift, to place finely): our
// own steps, where MapLibre's eased pans cancel each other when keys come fast.
const STEPS = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
let uid = 0;

async function geojson(url) {
  if (!url) return null;
  try {
    const response = await fetch(url, { headers: { Accept: "application/geo+json, application/json" }, credentials: "same-origin" });
    return response.ok ? await response.json() : null;
  } catch {
    return null;
  }
}

// The zones or communes one picks from, each with its id in the property the layers
// filter on; their names by id into `names`.
function pickPlaces(document, kind, names) {
  const features = (document?.features || []).map((feature) => {
    const properties = feature.properties || {};
    const id = String(feature.id ?? properties.id);
    const name = kind === "zones" ? [properties.libelle, properties.libelong].filter(Boolean).join(" — ") : properties.name;
    names.set(id, name || id);
    return { ...feature, properties: { ...properties, smq_id: id } };
  });
  return { type: "FeatureCollection", features };
}

function enhance(fieldset) {
  const { kind, code } = fieldset.dataset;
  const max = Number(fieldset.dataset.max) || 0;
  const min = Number(fieldset.dataset.min) || 0;
  const pickKind = PICK_KINDS.has(kind);
  const markerChoices = JSON.parse(fieldset.dataset.markerChoices || "[]");
  const hidden = fieldset.querySelector(`input[type=hidden][name="${code}-geojson"]`);
  const listNode = fieldset.querySelector(".survey-map-list");
  if (!hidden || !listNode || !(kind in t.hint)) return;
  const list = listTwin({ list: listNode, code, pickKind });
  const prefix = `smq-${code}`;
  const given = hidden.value;
  let features = readFeatures(given, pickKind).map((feature) => ({ ...feature, uid: ++uid }));
  let vertices = []; // the line or area being drawn
  let mode = "map";
  let map = null;
  let polygons = []; // the perimeter's
  const markers = new Map(); // uid → the point's Marker

  // --- the widget, between the hidden input and the list -----------------------------
  const limits = [min ? t.atLeast(min) : "", max ? t.atMost(max) : ""].filter(Boolean).join(" ");
  const hint = element("p", { class: "smq-hint", id: `${prefix}-hint` }, t.hint[kind], limits ? ` ${limits}` : "");
  const container = element("div", { class: "smq-map", id: `${prefix}-map` });
  const status = element("p", { class: "smq-status", role: "status", "aria-live": "polite" });
  const button = (label, onclick, extra = {}) => element("button", { type: "button", class: "smq-button", onclick, ...extra }, label);
  // Usable once the map is there.
  const addHere = button(pickKind ? t.pickHere : t.addHere, () => actAt(map.getCenter()), { id: `${prefix}-add`, disabled: true });
  const undo = pickKind ? null : button(t.undo, undoLast, { id: `${prefix}-undo`, class: "smq-button secondary" });
  const finish = kind in VERTICES_NEEDED ? button(t.finish, finishDrawing, { id: `${prefix}-finish` }) : null;
  const items = element("ol", { class: "smq-items", "aria-label": t.itemsLabel });
  const widget = element("div", { class: "smq" }, hint, container, element("div", { class: "smq-actions" }, addHere, undo, finish), status, items);
  const toggle = button(t.toList, () => switchMode(), { class: "smq-button secondary smq-toggle", id: `${prefix}-toggle` });
  const note = element("p", { class: "smq-list-note" });
  hidden.after(widget, element("div", { class: "smq-switch" }, toggle), note);

  let saying = null;
  function announce(text) {
    // Emptied first, so that the same words said twice are said again (a timer, not a
    // frame: the map's software rendering may hold frames back on a slow machine).
    clearTimeout(saying);
    status.textContent = "";
    saying = setTimeout(() => { status.textContent = text; }, 30);
  }

  function nameOf(feature, index) {
    if (pickKind) return list.names.get(String(feature.pick)) || `${t.item[kind]} ${feature.pick}`;
    return `${t.item[kind]} ${index + 1}`;
  }

  function full() {
    return max > 0 && features.length >= max;
  }

  // The answer into the hidden input, the list, the map and the buttons.
  function write() {
    hidden.value = mode === "map" && features.length ? JSON.stringify(featureCollection(features)) : "";
    list.sync(features, mode);
    note.textContent = mode === "list" ? t.listMode : pickKind ? t.listNotePicks : features.length ? t.listNoteMap : "";
    if (undo) undo.disabled = kind === "points" ? features.length === 0 : vertices.length === 0;
    if (finish) finish.disabled = vertices.length < VERTICES_NEEDED[kind];
    if (pickKind && map?.getLayer(PICK_LAYER)) showPicked(map, features.map((feature) => feature.pick));
    if (!pickKind && map?.getSource("smq-drawn")) showDrawing(map, features, vertices, kind === "area");
  }

  function render() {
    renderItems(items, features, {
      prefix, kind, t, nameOf, markerChoices,
      withComment: fieldset.dataset.markerComment === "1", followUpLabel: list.followUpLabel,
      onEdit: (feature, field, value) => { feature[field] = value; write(); },
      onMove: movePoint,
      onRemove: removeFeature,
    });
    features.forEach((feature, index) => {
      const number = markers.get(feature.uid)?.getElement().querySelector("span");
      if (number) number.textContent = String(index + 1);
    });
  }

  function add(feature, message) {
    features.push(feature);
    render();
    write();
    announce(message(nameOf(feature, features.length - 1)));
  }

  function removeFeature(feature) {
    const index = features.indexOf(feature);
    const name = nameOf(feature, index);
    features = features.filter((other) => other !== feature);
    markers.get(feature.uid)?.remove();
    markers.delete(feature.uid);
    render();
    write();
    announce(pickKind ? t.unpicked(name) : t.removed(name));
    const next = items.children[Math.min(index, items.children.length - 1)];
    (next?.querySelector("button:last-child") || addHere).focus();
  }

  // --- points ----------------------------------------------------------------------------
  function addMarker(feature) {
    const node = element("div", { class: "smq-marker", "aria-hidden": "true" }, element("span", {}, String(features.indexOf(feature) + 1)));
    const marker = new Marker({ element: node, draggable: true }).setLngLat(feature.geometry.coordinates).addTo(map);
    node.addEventListener("click", (event) => {
      event.stopPropagation();
      items.querySelector(`[data-uid="${feature.uid}"]`)?.querySelector("select, textarea, button")?.focus();
    });
    marker.on("dragend", () => {
      const point = marker.getLngLat().toArray();
      if (!inside(point, polygons)) {
        marker.setLngLat(feature.geometry.coordinates);
        return announce(t.outside);
      }
      feature.geometry = { type: "Point", coordinates: point };
      write();
      announce(t.moved(nameOf(feature, features.indexOf(feature))));
    });
    markers.set(feature.uid, marker);
  }

  function movePoint(feature, point = map.getCenter().toArray()) {
    if (!inside(point, polygons)) return announce(t.outside);
    feature.geometry = { type: "Point", coordinates: point };
    markers.get(feature.uid).setLngLat(point);
    write();
    announce(t.moved(nameOf(feature, features.indexOf(feature))));
  }

  function placePoint(point) {
    if (max === 1 && features.length === 1) return movePoint(features[0], point); // one point: a tap moves it
    if (full()) return announce(t.full(max));
    const feature = { uid: ++uid, geometry: { type: "Point", coordinates: point }, choice: "", comment: "" };
    addMarker(feature);
    add(feature, t.placed);
  }

  // --- lines and areas -------------------------------------------------------------------
  function addVertex(point) {
    if (vertices.length === 0 && full()) return announce(t.full(max));
    vertices.push(point);
    write();
    announce(t.vertex(vertices.length));
  }

  function finishDrawing() {
    const needed = VERTICES_NEEDED[kind];
    if (vertices.length < needed) return announce(t.needMore(needed));
    const geometry = kind === "line" ? { type: "LineString", coordinates: vertices } : { type: "Polygon", coordinates: [outerRing(vertices)] };
    vertices = [];
    add({ uid: ++uid, geometry, choice: "", comment: "" }, t.finished);
  }

  function undoLast() {
    if (kind === "points") return features.length ? removeFeature(features.at(-1)) : announce(t.nothingToUndo);
    if (!vertices.length) return announce(t.nothingToUndo);
    vertices.pop();
    write();
    announce(t.vertexUndone(vertices.length));
  }

  // --- zones and communes ----------------------------------------------------------------
  function togglePick(id) {
    const existing = features.find((feature) => String(feature.pick) === id);
    if (existing) return removeFeature(existing);
    if (max === 1) features = []; // one pick only: a new one replaces it
    if (full()) {
      write(); // the list's box just ticked is unticked again
      return announce(t.full(max));
    }
    add({ uid: ++uid, pick: Number(id), geometry: null, ...list.followUps(id) }, t.picked);
  }

  function pickUnder(lngLat) {
    if (!map.getLayer(PICK_LAYER)) return null;
    const [found] = map.queryRenderedFeatures(map.project(lngLat), { layers: [PICK_LAYER] });
    return found ? String(found.properties.smq_id) : null;
  }

  list.listen({
    onBox: (id, checked) => {
      if (checked !== features.some((feature) => String(feature.pick) === id)) togglePick(id);
    },
    onFollowUp: (id, field, value) => {
      const feature = features.find((other) => String(other.pick) === id);
      if (!feature) return;
      feature[field] = value;
      const mirror = document.getElementById(`${prefix}-${feature.uid}-${field}`);
      if (mirror) mirror.value = value;
      write();
    },
  });

  // --- what a tap, Enter or "Ajouter ici" does, and the keys -------------------------------
  function actAt(lngLat) {
    if (pickKind) {
      const id = pickUnder(lngLat);
      return id ? togglePick(id) : announce(t.nothingHere);
    }
    const point = [lngLat.lng, lngLat.lat];
    if (!inside(point, polygons)) return announce(t.outside);
    if (kind === "points") placePoint(point);
    else addVertex(point);
  }

  function onKey(event) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.key in STEPS) {
      const [x, y] = STEPS[event.key];
      const step = event.shiftKey ? 16 : 80;
      map.panBy([x * step, y * step], { duration: 0 });
      if (pickKind) {
        const id = pickUnder(map.getCenter());
        announce(id ? t.under(list.names.get(id)) : t.nothingHere);
      }
    } else if (event.key === "+" || event.key === "=") {
      map.zoomIn({ duration: 0 });
    } else if (event.key === "-" || event.key === "_") {
      map.zoomOut({ duration: 0 });
    } else if (event.key === "Enter") {
      actAt(map.getCenter());
    } else {
      return;
    }
    event.preventDefault();
  }

  function switchMode({ byUser = true } = {}) {
    mode = mode === "map" ? "list" : "map";
    widget.hidden = mode === "list";
    toggle.textContent = mode === "map" ? t.toList : t.toMap;
    write();
    if (!byUser) return;
    announce(mode === "map" ? t.mapMode : t.listMode);
    if (mode === "list") list.firstControl()?.focus();
    else map?.resize();
  }

  // --- the map ---------------------------------------------------------------------------
  // No map to draw: the question goes back to what it is without JavaScript (the list,
  // the answer given before, and what the fieldset's <noscript> would have sent).
  function fallBack() {
    widget.remove();
    toggle.parentElement.remove();
    hidden.value = given;
    list.restore();
    for (const fallback of fieldset.querySelectorAll("noscript")) fallback.insertAdjacentHTML("afterend", fallback.textContent);
    note.textContent = t.failed;
  }

  async function start() {
    const [perimeter, communes, zones] = await Promise.all([
      geojson(fieldset.dataset.perimeter),
      geojson(fieldset.dataset.communes),
      kind === "zones" ? geojson(fieldset.dataset.zones) : null,
    ]);
    polygons = polygonsOf(perimeter);
    const places = pickKind ? pickPlaces(kind === "zones" ? zones : communes, kind, list.names) : null;
    if (pickKind && !features.length) {
      // The list's ticks (a page sent back) are the answer to start from.
      features = list.picks().map((pick) => ({ ...pick, uid: ++uid, geometry: null }));
    }
    // The zones or communes one picks from fill the map; else the perimeter does.
    const bounds = (places && boundsOf(polygonsOf(places))) || boundsOf(polygons) || boundsOf(polygonsOf(communes));
    if (pickKind && !places.features.length) return fallBack(); // nothing to pick on a map
    try {
      map = new MapLibreMap({
        container,
        style: fieldset.dataset.style || PLAIN_STYLE,
        ...(bounds ? { bounds, fitBoundsOptions: { padding: 16 } } : { center: [2.35, 46.6], zoom: 5 }),
        maxZoom: 19,
        dragRotate: false,
        doubleClickZoom: false, // two quick taps are two points, not a zoom
        pitchWithRotate: false,
        keyboard: false, // our own keys (onKey)
        // In a form one scrolls through: one finger (or the wheel) scrolls the page, two
        // fingers (or Ctrl + wheel) move the map; a tap still places.
        cooperativeGestures: true,
        attributionControl: { compact: true },
        locale: t.mapLocale,
      });
    } catch {
      return fallBack(); // no WebGL
    }
    map.touchZoomRotate.disableRotation();
    map.addControl(new NavigationControl({ showCompass: false }), "top-right");
    const canvas = map.getCanvas();
    // Named after its question: two maps on a page are two distinct regions.
    const question = fieldset.querySelector("legend")?.textContent.trim() || code;
    canvas.setAttribute("aria-label", t.mapLabel(question));
    canvas.setAttribute("aria-describedby", hint.id);
    canvas.addEventListener("keydown", onKey);
    container.append(element("div", { class: "smq-crosshair", "aria-hidden": "true" }));
    map.on("click", (event) => {
      if (!event.originalEvent.target.closest?.(".smq-marker")) actAt(event.lngLat);
    });
    map.on("load", () => {
      addContext(map, { perimeter, communes: kind === "communes" ? null : communes });
      if (pickKind) addPicks(map, places);
      else addDrawing(map);
      if (kind === "points") features.forEach(addMarker);
      render();
      write();
      addHere.disabled = false;
      fieldset.dataset.mapReady = "true";
    });
  }

  render();
  write();
  // A page sent back with a list answer (and none on the map) opens on the list.
  if (!pickKind && !features.length && list.answered()) switchMode({ byUser: false });
  start();
}

for (const fieldset of document.querySelectorAll("fieldset.survey-map-question")) enhance(fieldset);
