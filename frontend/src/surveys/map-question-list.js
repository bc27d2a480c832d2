// SPDX-License-Identifier: AGPL-3.0-or-later
// The list alternative of a map question (".survey-map-list", rendered by the server for
// pages without JavaScript), kept in step with the map. Zones and communes: its boxes
// (value: the zone's or commune's id) and each pick's follow-up fields
// ("<code>-choice-<id>", "<code>-comment-<id>") are the map's twin, both ways. Points,
// lines and areas: its places cannot say a point tapped anywhere, so it is disabled while
// the map holds an answer (the server reads the hidden GeoJSON then). Its "<code>-clear"
// box, which keeps or drops an earlier map answer on a page without JavaScript, is hidden:
// here the map says it (emptied, the answer goes).

export function listTwin({ list, code, pickKind }) {
  const names = new Map(); // the zones' or communes' names by id, once loaded
  const clear = list.querySelector(`input[name="${code}-clear"]`);
  const clearing = clear ? [clear, ...list.querySelectorAll(`label[for="${clear.id}"]`)] : [];
  for (const node of clearing) node.hidden = true;
  if (clear) clear.disabled = true;
  const pattern = new RegExp(`^${code}-(choice|comment)-(.+)$`);

  function controls() {
    return [...list.querySelectorAll("input, select, textarea")].filter((control) => control.type !== "hidden");
  }

  function pickBox(control) {
    return (control.type === "checkbox" || control.type === "radio") && names.has(control.value);
  }

  function followUpFields(pick) {
    return ["choice", "comment"].map((field) => list.querySelector(`[name="${code}-${field}-${pick}"]`));
  }

  return {
    names,
    // The follow-up question's own words, as the list writes them.
    followUpLabel: list.querySelector(`label[for^="${code}-choice-"]`)?.textContent.trim() || "",

    // Whether the list holds an answer of its own (a page sent back after a list answer).
    answered() {
      return controls().some((control) =>
        control.type === "checkbox" || control.type === "radio" ? control.checked && control !== clear : control.value !== "");
    },

    // A pick's follow-up as the list holds it.
    followUps(pick) {
      const [choice, comment] = followUpFields(pick);
      return { choice: choice?.value || "", comment: comment?.value || "" };
    },

    // The picks the list's ticked boxes make, with their follow-ups.
    picks() {
      return controls().filter((control) => pickBox(control) && control.checked)
        .map((control) => ({ pick: Number(control.value), ...this.followUps(control.value) }));
    },

    sync(features, mode) {
      const picked = new Set(features.map((feature) => String(feature.pick)));
      for (const control of controls()) {
        if (pickKind) {
          if (pickBox(control)) control.checked = picked.has(control.value);
        } else if (control !== clear) {
          control.disabled = mode === "map" && features.length > 0;
        }
      }
      if (!pickKind) return;
      for (const feature of features) {
        const [choice, comment] = followUpFields(feature.pick);
        if (choice) choice.value = feature.choice;
        if (comment) comment.value = feature.comment;
      }
    },

    // As without JavaScript: every field usable, the clear box back.
    restore() {
      for (const control of controls()) control.disabled = false;
      for (const node of clearing) node.hidden = false;
    },

    firstControl() {
      return controls().find((control) => !control.disabled);
    },

    // Zones and communes: a box ticked or unticked (`onBox(id, checked, isRadio)`), a
    // follow-up edited (`onFollowUp(id, field, value)`).
    listen({ onBox, onFollowUp }) {
      if (!pickKind) return;
      const edited = (event) => {
        const match = event.target.name?.match(pattern);
        if (match) onFollowUp(match[2], match[1], event.target.value);
        return Boolean(match);
      };
      list.addEventListener("input", edited);
      list.addEventListener("change", (event) => {
        if (!edited(event) && pickBox(event.target)) onBox(event.target.value, event.target.checked, event.target.type === "radio");
      });
    },
  };
}
