// SPDX-License-Identifier: AGPL-3.0-or-later
// The geometry a map question's widget needs without a library: where the perimeter
// lies (its bounds, whether a tapped point is inside it, so that a resident learns at
// once rather than on sending), rings turned to RFC 7946's right-hand rule, and the
// answer written as the GeoJSON FeatureCollection the answering page reads.

// The polygons of a GeoJSON document (a geometry, a Feature or a FeatureCollection),
// each as its rings.
export function polygonsOf(document) {
  if (!document) return [];
  if (document.type === "FeatureCollection") return document.features.flatMap((feature) => polygonsOf(feature));
  if (document.type === "Feature") return polygonsOf(document.geometry);
  if (document.type === "Polygon") return [document.coordinates];
  if (document.type === "MultiPolygon") return document.coordinates;
  if (document.type === "GeometryCollection") return document.geometries.flatMap((geometry) => polygonsOf(geometry));
  return [];
}

export function boundsOf(polygons) {
  let west = Infinity;
  let south = Infinity;
  let east = -Infinity;
  let north = -Infinity;
  for (const polygon of polygons) {
    for (const [x, y] of polygon[0] || []) {
      west = Math.min(west, x);
      east = Math.max(east, x);
      south = Math.min(south, y);
      north = Math.max(north, y);
    }
  }
  return west <= east ? [[west, south], [east, north]] : null;
}

function inRing([x, y], ring) {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

// Inside one polygon's outer ring and outside its holes. No perimeter known: anywhere
// (the server checks anyway).
export function inside(point, polygons) {
  if (!polygons.length) return true;
  return polygons.some(([outer, ...holes]) => inRing(point, outer) && !holes.some((hole) => inRing(point, hole)));
}

// Twice the signed area (positive when counterclockwise, in longitude/latitude).
function signedArea(ring) {
  let sum = 0;
  for (let i = 0; i < ring.length - 1; i++) sum += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1];
  return sum;
}

// A closed outer ring, counterclockwise as RFC 7946 asks, from the vertices tapped.
export function outerRing(vertices) {
  const ring = [...vertices, vertices[0]];
  return signedArea(ring) < 0 ? ring.reverse() : ring;
}

function rounded(coordinates) {
  return Array.isArray(coordinates[0]) ? coordinates.map(rounded) : coordinates.map((value) => Math.round(value * 1e6) / 1e6);
}

// The answer as the hidden input carries it: drawn features with their geometry, picks
// with their id and no geometry; a follow-up choice and comment only when given.
export function featureCollection(features) {
  return {
    type: "FeatureCollection",
    features: features.map((feature) => {
      const properties = {};
      if (feature.pick !== undefined) properties.id = feature.pick;
      if (feature.choice) properties.choice = Number(feature.choice);
      if (feature.comment.trim()) properties.comment = feature.comment;
      const geometry = feature.geometry ? { type: feature.geometry.type, coordinates: rounded(feature.geometry.coordinates) } : null;
      return { type: "Feature", geometry, properties };
    }),
  };
}

// The features of a hidden input's value (as the server gave it back), or none.
export function readFeatures(value, pickKind) {
  let document;
  try {
    document = JSON.parse(value);
  } catch {
    return [];
  }
  if (!document || !Array.isArray(document.features)) return [];
  return document.features.map((feature) => {
    const properties = feature.properties || {};
    return {
      geometry: pickKind ? null : feature.geometry,
      pick: pickKind ? properties.id : undefined,
      choice: properties.choice ? String(properties.choice) : "",
      comment: properties.comment || "",
    };
  }).filter((feature) => (pickKind ? feature.pick !== undefined && feature.pick !== null : feature.geometry));
}
