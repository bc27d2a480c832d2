// SPDX-License-Identifier: AGPL-3.0-or-later
// What a map question's map draws: the perimeter, the communes for context, the zones
// or communes one picks from (the picked ones filled), the features drawn and the line
// or area being drawn. Every source is GeoJSON from this server; no glyph, no sprite, so
// the style asks nothing elsewhere (a basemap joins only through a style an
// administrator configured, given as data-style).

const DRAWN = "#b35c00";
const PICKED = "#0b4f8a";
const OUTLINE = "#5b5b6b";

// The style when the page gives none: a plain background under our own layers.
export const PLAIN_STYLE = {
  version: 8,
  sources: {},
  layers: [{ id: "background", type: "background", paint: { "background-color": "#f4f1ea" } }],
};

const EMPTY = { type: "FeatureCollection", features: [] };

export function addContext(map, { perimeter, communes }) {
  if (communes) {
    map.addSource("smq-communes", { type: "geojson", data: communes });
    map.addLayer({ id: "smq-communes-line", type: "line", source: "smq-communes", paint: { "line-color": OUTLINE, "line-width": 1 } });
  }
  if (perimeter) {
    map.addSource("smq-perimeter", { type: "geojson", data: perimeter });
    map.addLayer({ id: "smq-perimeter-line", type: "line", source: "smq-perimeter", paint: { "line-color": "#1a1a1a", "line-width": 2.5, "line-dasharray": [3, 2] } });
  }
}

// The zones or communes to pick: every one lightly filled (a tap anywhere inside picks
// it), the picked ones strongly.
export const PICK_LAYER = "smq-picks-fill";

export function addPicks(map, places) {
  map.addSource("smq-picks", { type: "geojson", data: places });
  map.addLayer({ id: PICK_LAYER, type: "fill", source: "smq-picks", paint: { "fill-color": "#ffffff", "fill-opacity": 0.35 } });
  map.addLayer({ id: "smq-picks-line", type: "line", source: "smq-picks", paint: { "line-color": OUTLINE, "line-width": 1 } });
  map.addLayer({ id: "smq-picked-fill", type: "fill", source: "smq-picks", filter: ["in", ["get", "smq_id"], ["literal", []]], paint: { "fill-color": PICKED, "fill-opacity": 0.5 } });
  map.addLayer({ id: "smq-picked-line", type: "line", source: "smq-picks", filter: ["in", ["get", "smq_id"], ["literal", []]], paint: { "line-color": PICKED, "line-width": 3 } });
}

export function showPicked(map, ids) {
  const filter = ["in", ["get", "smq_id"], ["literal", ids.map(String)]];
  map.setFilter("smq-picked-fill", filter);
  map.setFilter("smq-picked-line", filter);
}

// Lines and areas drawn (the points are DOM markers, which a finger drags), and the one
// being drawn, dashed, with its vertices.
export function addDrawing(map) {
  map.addSource("smq-drawn", { type: "geojson", data: EMPTY });
  map.addLayer({ id: "smq-drawn-fill", type: "fill", source: "smq-drawn", filter: ["==", ["geometry-type"], "Polygon"], paint: { "fill-color": DRAWN, "fill-opacity": 0.3 } });
  map.addLayer({ id: "smq-drawn-line", type: "line", source: "smq-drawn", filter: ["!=", ["geometry-type"], "Point"], paint: { "line-color": DRAWN, "line-width": 4 } });
  map.addSource("smq-draft", { type: "geojson", data: EMPTY });
  map.addLayer({ id: "smq-draft-line", type: "line", source: "smq-draft", filter: ["==", ["geometry-type"], "LineString"], paint: { "line-color": DRAWN, "line-width": 3, "line-dasharray": [2, 1] } });
  map.addLayer({ id: "smq-draft-vertex", type: "circle", source: "smq-draft", filter: ["==", ["geometry-type"], "Point"], paint: { "circle-color": DRAWN, "circle-radius": 7, "circle-stroke-color": "#fff", "circle-stroke-width": 2 } });
}

export function showDrawing(map, features, vertices, closing) {
  map.getSource("smq-drawn")?.setData({
    type: "FeatureCollection",
    features: features.filter((feature) => feature.geometry && feature.geometry.type !== "Point")
      .map((feature) => ({ type: "Feature", properties: {}, geometry: feature.geometry })),
  });
  const draft = vertices.map((coordinates) => ({ type: "Feature", properties: {}, geometry: { type: "Point", coordinates } }));
  if (vertices.length > 1) {
    const line = closing && vertices.length > 2 ? [...vertices, vertices[0]] : vertices;
    draft.push({ type: "Feature", properties: {}, geometry: { type: "LineString", coordinates: line } });
  }
  map.getSource("smq-draft")?.setData({ type: "FeatureCollection", features: draft });
}
