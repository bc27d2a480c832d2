// SPDX-License-Identifier: AGPL-3.0-or-later
// Proposing an idea: place first, then write. The map fills the screen with a crosshair
// in its centre; a point is validated where the crosshair is ("Valider l'emplacement"),
// a line or an area takes a point per tap (or "Ajouter ce point" at the crosshair, from
// the keyboard), "Annuler le dernier point" and "Terminer". Only then the form: title,
// text, themes, up to three photos (previewed, removable), and the ideas nearby that say
// something similar, linked, while one types.
import { Marker } from "../vendor/maplibre-gl/maplibre-gl.mjs";
import { api, cookie } from "../common/api.js";
import { element, firstError, swatch } from "./dom.js";

const MAX_PHOTOS = 3;
const DRAFT_COLOUR = "#b35c00";

export function createProposal({ map, config, panel, announce, refreshContributions, refreshList, focusContribution }) {
  const t = config.strings;
  const mapArea = document.querySelector(".map-area");
  let placing = false;
  let kind = config.accepted[0];
  let marker = null;
  let vertices = [];
  let bar = null;
  let crosshair = null;

  function geometry() {
    if (kind === "point") {
      const { lng, lat } = marker.getLngLat();
      return { type: "Point", coordinates: [lng, lat] };
    }
    if (kind === "line") return { type: "LineString", coordinates: vertices };
    return { type: "Polygon", coordinates: [[...vertices, vertices[0]]] };
  }

  function drawDraft() {
    const features = vertices.map((coordinates) => ({ type: "Feature", properties: {}, geometry: { type: "Point", coordinates } }));
    if (vertices.length > 1) {
      const ring = kind === "area" && vertices.length > 2 ? [...vertices, vertices[0]] : vertices;
      features.push({ type: "Feature", properties: {}, geometry: { type: "LineString", coordinates: ring } });
    }
    const data = { type: "FeatureCollection", features };
    if (!map.getSource("draft")) {
      map.addSource("draft", { type: "geojson", data });
      map.addLayer({ id: "draft-line", type: "line", source: "draft", filter: ["==", "$type", "LineString"], paint: { "line-color": DRAFT_COLOUR, "line-width": 3, "line-dasharray": [2, 1] } });
      map.addLayer({ id: "draft-vertex", type: "circle", source: "draft", filter: ["==", "$type", "Point"], paint: { "circle-color": DRAFT_COLOUR, "circle-radius": 6, "circle-stroke-color": "#fff", "circle-stroke-width": 2 } });
    } else {
      map.getSource("draft").setData(data);
    }
  }

  function clearDraft() {
    marker?.remove();
    marker = null;
    vertices = [];
    if (map.getSource("draft")) drawDraft();
  }

  async function zoneUnder(lngLat, output) {
    const query = new URLSearchParams({ lon: lngLat.lng.toFixed(6), lat: lngLat.lat.toFixed(6) });
    const found = await api(`${config.lookupUrl}?${query}`);
    output.textContent = found.ok && found.data?.zone
      ? `${t.zone} ${found.data.zone.libelle} (${found.data.zone.typezone})`
      : t.noZone;
  }

  // --- placing, on a map that fills the screen -------------------------------------

  function setFullScreen(on) {
    document.body.classList.toggle("placing", on);
    map.resize();
  }

  function onMapClick(event) {
    if (!placing) return;
    if (kind === "point") map.easeTo({ center: event.lngLat });
    else addVertex(event.lngLat);
  }

  function onMoveEnd() {
    if (placing && kind === "point") zoneUnder(map.getCenter(), bar.zone);
  }

  function addVertex(lngLat) {
    vertices.push(lngLat.toArray());
    drawDraft();
    zoneUnder(lngLat, bar.zone);
    updateBar();
  }

  function updateBar() {
    if (!bar) return;
    const needed = kind === "line" ? 2 : 3;
    bar.undo.disabled = vertices.length === 0;
    bar.finish.disabled = vertices.length < needed;
    bar.count.textContent = kind === "point" ? "" : `${vertices.length} ${t.points}`;
  }

  function buildBar() {
    const zone = element("p", { class: "zone-under", "aria-live": "polite" }, "");
    const hint = element("p", { class: "hint" });
    const count = element("p", { class: "count", "aria-live": "polite" });
    const validate = element("button", { type: "button", id: "place-validate", onclick: () => finishPlacing() }, t.validatePlace);
    const addHere = element("button", { type: "button", class: "secondary", onclick: () => addVertex(map.getCenter()) }, t.addPoint);
    const undo = element("button", { type: "button", class: "secondary", onclick: () => { vertices.pop(); drawDraft(); updateBar(); } }, t.undoPoint);
    const finish = element("button", { type: "button", id: "place-finish", onclick: () => finishPlacing() }, t.finish);
    const cancel = element("button", { type: "button", class: "secondary", onclick: () => stop() }, t.cancel);
    const kinds = config.accepted.length > 1
      ? element("fieldset", { class: "kinds" }, element("legend", {}, t.kind), config.accepted.map((value) =>
        element("label", { class: "check" }, element("input", {
          type: "radio", name: "kind", value, checked: value === kind,
          onchange: () => { kind = value; clearDraft(); showKind(); },
        }), config.kinds[value])))
      : null;
    const pointActions = element("div", { class: "actions" }, validate, cancel);
    const lineActions = element("div", { class: "actions" }, addHere, undo, finish, cancel.cloneNode(true));
    lineActions.lastChild.addEventListener("click", () => stop());
    const node = element("section", { id: "placing", class: "placing-bar", "aria-label": t.placeTitle },
      element("h2", { id: "placing-title", tabindex: "-1" }, t.placeTitle), kinds, hint, zone, count, pointActions, lineActions);
    bar = { node, zone, hint, count, undo, finish, pointActions, lineActions, validate };
    return node;
  }

  function showKind() {
    const point = kind === "point";
    bar.hint.textContent = point ? t.placeHintPoint : kind === "line" ? t.placeHintLine : t.placeHintArea;
    bar.pointActions.hidden = !point;
    bar.lineActions.hidden = point;
    crosshair.hidden = false;
    updateBar();
    if (point) zoneUnder(map.getCenter(), bar.zone);
  }

  function start({ keep = false } = {}) {
    if (!config.signedIn) {
      window.location.href = config.loginUrl;
      return;
    }
    const previous = keep ? marker?.getLngLat() : null;
    if (panel.isOpen()) panel.closePanel(); // which discards the draft
    clearDraft();
    if (previous) map.jumpTo({ center: previous });
    placing = true;
    crosshair = element("div", { class: "crosshair", "aria-hidden": "true" });
    map.getContainer().append(crosshair);
    mapArea.append(buildBar());
    setFullScreen(true);
    showKind();
    drawDraft();
    map.on("click", onMapClick);
    map.on("moveend", onMoveEnd);
    bar.node.querySelector("h2").focus();
  }

  function leavePlacing() {
    placing = false;
    map.off("click", onMapClick);
    map.off("moveend", onMoveEnd);
    crosshair?.remove();
    bar?.node.remove();
    crosshair = null;
    bar = null;
    setFullScreen(false);
  }

  function stop() {
    leavePlacing();
    clearDraft();
    document.getElementById("propose")?.focus();
  }

  function finishPlacing() {
    if (kind === "point") {
      marker = new Marker({ color: DRAFT_COLOUR }).setLngLat(map.getCenter()).addTo(map);
    } else if (vertices.length < (kind === "line" ? 2 : 3)) {
      return;
    }
    const where = bar.zone.textContent;
    leavePlacing();
    openForm(where);
  }

  // --- the form, once placed ---------------------------------------------------------

  function openForm(where) {
    const errors = {};
    const field = (name, label, control) => {
      errors[name] = element("p", { class: "errorlist", id: `idea-${name}-error`, role: "alert" });
      control.setAttribute("aria-describedby", `idea-${name}-error`);
      return element("div", { class: "field" }, element("label", { for: control.id }, label), control, errors[name]);
    };
    const title = element("input", { id: "idea-title", name: "title", maxlength: 140, required: true });
    const text = element("textarea", { id: "idea-text", name: "text", rows: 5, required: true });
    const themes = element("fieldset", { id: "idea-themes" }, element("legend", {}, t.themes),
      config.themes.map((theme) => element("label", { class: "check" },
        element("input", { type: "checkbox", name: "themes", value: theme.id }),
        swatch(theme.colour), theme.name)));
    errors.themes = element("p", { class: "errorlist", id: "idea-themes-error", role: "alert" });
    errors.geometry = element("p", { class: "errorlist", id: "idea-geometry-error", role: "alert" });
    const photos = photoPicker(errors);
    const similar = element("section", { class: "similar", "aria-live": "polite", "aria-label": t.similarTitle });
    const draft = geometry();
    const watchSimilar = similarWatcher(draft, title, text, similar);
    title.addEventListener("input", watchSimilar);
    text.addEventListener("input", watchSimilar);
    const submit = element("button", { type: "submit" }, t.send);
    const form = element("form", {
      id: "idea-form",
      novalidate: true,
      onsubmit: async (event) => {
        event.preventDefault();
        for (const node of Object.values(errors)) node.textContent = "";
        const body = {
          title: title.value,
          text: text.value,
          themes: [...themes.querySelectorAll("input:checked")].map((input) => Number(input.value)),
          geometry: draft,
        };
        submit.disabled = true;
        const answer = await api(config.contributionsUrl, { method: "POST", body });
        if (!answer.ok) {
          submit.disabled = false;
          for (const [name, messages] of Object.entries(answer.data || {})) {
            const target = errors[name] || errors.geometry;
            target.textContent = Array.isArray(messages) ? messages.join(" ") : String(messages);
          }
          announce(t.checkForm);
          return;
        }
        const failed = await photos.upload(answer.data.id);
        clearDraft();
        announce(failed ? `${t.thanks} ${failed}` : t.thanks);
        refreshContributions();
        focusContribution(answer.data); // come close enough to see it drawn, and open it
        refreshList();
      },
    },
    element("p", { class: "zone-under" }, where),
    element("div", { class: "actions" }, element("button", { type: "button", class: "secondary", onclick: () => start({ keep: kind === "point" }) }, t.changePlace)),
    errors.geometry,
    field("title", t.title, title),
    field("text", t.text, text),
    similar,
    themes, errors.themes,
    photos.node,
    element("div", { class: "actions" }, submit,
      element("button", { type: "button", class: "secondary", onclick: () => panel.closePanel() }, t.cancel)));
    panel.showPanel(t.propose, form);
  }

  function similarWatcher(draft, title, text, output) {
    let timer = null;
    const [lon, lat] = draft.type === "Point" ? draft.coordinates : draft.type === "LineString" ? draft.coordinates[0] : draft.coordinates[0][0];
    return () => {
      clearTimeout(timer);
      timer = setTimeout(async () => {
        const words = `${title.value} ${text.value}`.trim();
        if (words.length < 4) return output.replaceChildren();
        const query = new URLSearchParams({ lon: lon.toFixed(6), lat: lat.toFixed(6), title: title.value, text: text.value });
        const found = await api(`${config.similarUrl}?${query}`);
        const features = found.ok ? found.data.features || found.data : [];
        if (!features.length) return output.replaceChildren();
        output.replaceChildren(
          element("h3", {}, t.similarTitle),
          element("p", {}, t.similarHint),
          element("ul", {}, features.map((feature) => element("li", {},
            element("a", { href: config.ideaUrl.replace("/0/", `/${feature.id}/`), target: "_blank", rel: "noopener" }, feature.properties.title),
            ` (${feature.properties.votes_for} ${t.supports})`))),
        );
      }, 400);
    };
  }

  function photoPicker(errors) {
    const chosen = [];
    errors.photos = element("p", { class: "errorlist", id: "idea-photos-error", role: "alert" });
    const input = element("input", { type: "file", id: "idea-photos", name: "photos", accept: "image/jpeg,image/png,image/webp", multiple: true, "aria-describedby": "idea-photos-help idea-photos-error" });
    const previews = element("ul", { class: "photo-previews" });
    const render = () => {
      previews.replaceChildren(...chosen.map((item, index) => element("li", {},
        element("img", { src: item.preview, alt: `${t.photo} ${index + 1}`, width: 96, height: 96 }),
        element("button", { type: "button", class: "secondary", onclick: () => { chosen.splice(index, 1); render(); } }, `${t.removePhoto} ${index + 1}`))));
      input.disabled = chosen.length >= MAX_PHOTOS;
    };
    input.addEventListener("change", () => {
      errors.photos.textContent = "";
      for (const file of input.files) {
        if (chosen.length >= MAX_PHOTOS) {
          errors.photos.textContent = t.tooManyPhotos;
          break;
        }
        // A data: URL (the CSP allows data: images, not blob: ones).
        const item = { file, preview: "" };
        chosen.push(item);
        const reader = new FileReader();
        reader.addEventListener("load", () => { item.preview = reader.result; render(); });
        reader.readAsDataURL(file);
      }
      input.value = "";
      render();
    });
    const node = element("div", { class: "field photos" },
      element("label", { for: "idea-photos" }, t.photos),
      element("p", { class: "helptext", id: "idea-photos-help" }, t.photosHelp),
      input, previews, errors.photos);
    async function upload(id) {
      const problems = [];
      for (const item of chosen) {
        const body = new FormData();
        body.append("image", item.file);
        const response = await fetch(`${config.contributionsUrl}${id}/photos/`, {
          method: "POST",
          body,
          credentials: "same-origin",
          headers: { Accept: "application/json", "X-CSRFToken": cookie("csrftoken") },
        });
        if (!response.ok) problems.push(firstError(await response.json().catch(() => null), t.failed));
      }
      return problems.join(" ");
    }
    return { node, upload };
  }

  document.getElementById("propose")?.addEventListener("click", () => start());
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && placing) stop();
  });
  // The panel closed on a form not sent: its draft goes with it.
  const discard = () => {
    if (!placing) clearDraft();
  };
  return { isPlacing: () => placing, stop, discard };
}
