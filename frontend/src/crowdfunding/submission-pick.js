// SPDX-License-Identifier: AGPL-3.0-or-later
// The crowdfunding submission form's map: a tap (or a drag of the marker) fills the
// longitude and latitude the form without JavaScript asks for. The form works without
// it: the porteur types the coordinates or chooses the commune.
import { Map as MapLibreMap, Marker, NavigationControl, GeolocateControl } from "../vendor/maplibre-gl/maplibre-gl.mjs";

const config = JSON.parse(document.getElementById("crowdfunding-submission-config").textContent);
const area = document.getElementById("pick-map-area");
const longitude = document.getElementById("id_longitude");
const latitude = document.getElementById("id_latitude");
const status = document.getElementById("map-status");

if (area && longitude && latitude) {
  area.hidden = false;
  const typed = longitude.value !== "" && latitude.value !== "";
  const start = typed ? [Number(longitude.value), Number(latitude.value)] : config.center;
  const map = new MapLibreMap({
    container: "map",
    style: config.style,
    center: start,
    zoom: typed ? 16 : config.zoom,
    maxZoom: 19,
    attributionControl: { compact: true },
  });
  map.addControl(new NavigationControl({ visualizePitch: false }), "top-right");
  map.addControl(new GeolocateControl({ trackUserLocation: false }), "top-right");
  map.getCanvas().setAttribute("aria-label", config.strings.mapLabel);
  const marker = new Marker({ draggable: true });
  const put = (lngLat) => {
    longitude.value = lngLat.lng.toFixed(6);
    latitude.value = lngLat.lat.toFixed(6);
    marker.setLngLat(lngLat).addTo(map);
    status.textContent = config.strings.placed;
  };
  if (typed) put({ lng: start[0], lat: start[1] });
  else status.textContent = config.strings.placeHint;
  map.on("click", (event) => put(event.lngLat));
  marker.on("dragend", () => put(marker.getLngLat()));
  map.on("load", () => { document.body.dataset.mapReady = "true"; });
}
