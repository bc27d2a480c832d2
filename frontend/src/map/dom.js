// SPDX-License-Identifier: AGPL-3.0-or-later
// Small DOM helpers shared by the map page's modules (no framework, CSP-safe).

export function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === null || value === undefined) continue;
    if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined && child !== false) {
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
  }
  return node;
}

// A colour sample; its colour set through the CSSOM, which the CSP allows (a style
// attribute it refuses).
export function swatch(colour) {
  const sample = element("span", { class: "swatch", "aria-hidden": "true" });
  sample.style.background = colour;
  return sample;
}

export function firstError(data, fallback) {
  if (!data) return fallback;
  if (typeof data.detail === "string") return data.detail;
  const [first] = Object.values(data);
  return Array.isArray(first) ? first.join(" ") : String(first);
}

// A date as the page's language writes it (the API gives ISO 8601).
export function dateText(iso, withTime = false) {
  if (!iso) return "";
  const options = withTime
    ? { day: "numeric", month: "long", year: "numeric", hour: "2-digit", minute: "2-digit" }
    : { day: "numeric", month: "long", year: "numeric" };
  return new Date(iso).toLocaleString(document.documentElement.lang || undefined, options);
}

export function timeElement(iso, withTime = false) {
  return element("time", { datetime: iso }, dateText(iso, withTime));
}

// Share a link: the phone's own share sheet when there is one, else the clipboard.
export async function shareLink({ title, url }, status, strings) {
  if (navigator.share) {
    try {
      await navigator.share({ title, url });
      return;
    } catch (error) {
      if (error?.name === "AbortError") return;
    }
  }
  try {
    await navigator.clipboard.writeText(url);
    status.textContent = strings.linkCopied;
  } catch {
    status.textContent = `${strings.linkToCopy} ${url}`;
  }
}
