// SPDX-License-Identifier: AGPL-3.0-or-later
// Each answer given on the map, listed under it: its name (numbered like its marker, or
// the zone's or commune's), its follow-up choice and comment, and real buttons to move a
// point to the crosshair or to remove it (the only way to reach a marker without a
// pointer, the markers themselves being hidden from assistive technologies).
import { element } from "../map/dom.js";

export function renderItems(items, features, { prefix, kind, t, markerChoices, withComment, followUpLabel, nameOf, onEdit, onMove, onRemove }) {
  const button = (label, onclick, extra = {}) => element("button", { type: "button", class: "smq-button secondary", onclick, ...extra }, label);
  items.replaceChildren(...features.map((feature, index) => {
    const name = nameOf(feature, index);
    const id = `${prefix}-${feature.uid}`;
    const fields = [];
    if (markerChoices.length) {
      const select = element("select", { id: `${id}-choice`, onchange: (event) => onEdit(feature, "choice", event.target.value) },
        element("option", { value: "" }, t.none),
        markerChoices.map((choice) => element("option", { value: String(choice.id), selected: String(choice.id) === feature.choice }, choice.label)));
      const label = `${followUpLabel || t.followUp} — ${name}`;
      fields.push(element("div", { class: "smq-field" }, element("label", { for: select.id }, label), select));
    }
    if (withComment) {
      const comment = element("textarea", { id: `${id}-comment`, rows: 2, maxlength: 2000, oninput: (event) => onEdit(feature, "comment", event.target.value) });
      comment.value = feature.comment;
      fields.push(element("div", { class: "smq-field" }, element("label", { for: comment.id }, t.comment(name)), comment));
    }
    const context = () => element("span", { class: "visually-hidden" }, ` ${name}`);
    const actions = element("div", { class: "smq-actions" },
      kind === "points" ? button([t.moveHere, context()], () => onMove(feature), { id: `${id}-move` }) : null,
      button([t.remove, context()], () => onRemove(feature), { id: `${id}-remove` }));
    return element("li", { class: "smq-item", id, "data-uid": feature.uid }, element("p", { class: "smq-item-title" }, name), fields, actions);
  }));
}
