// SPDX-License-Identifier: AGPL-3.0-or-later
// The merge page's small map: the two ideas' places over the space's own style (our
// tiles only). The page lists the same places in words for whoever reads it without.
import { LngLatBounds, Map as MapLibreMap, Marker, NavigationControl } from "../vendor/maplibre-gl/maplibre-gl.mjs";

const container = document.getElementById("merge-map");
const places = JSON.parse(document.getElementById("merge-places").textContent);
const config = JSON.parse(document.getElementById("merge-config").textContent);

if (container && places.length) {
  const bounds = new LngLatBounds();
  places.forEach((place) => bounds.extend([place.lon, place.lat]));
  const map = new MapLibreMap({
    container,
    style: config.style,
    locale: config.locale,
    bounds,
    fitBoundsOptions: { padding: 60, maxZoom: 17 },
    attributionControl: { compact: true },
  });
  map.addControl(new NavigationControl({ showCompass: false }));
  const colours = ["#a4161a", "#0b4f8a"];
  places.forEach((place, index) => {
    new Marker({ color: colours[index % colours.length] })
      .setLngLat([place.lon, place.lat])
      .addTo(map);
  });
  map.once("load", () => document.body.setAttribute("data-map-ready", ""));
}
