// SPDX-License-Identifier: AGPL-3.0-or-later
// Starts the admin's map widgets (carto_concertation/core/widgets.py) from the options the
// page holds as JSON, as Django's template did in an inline script: OpenLayers from our
// static files, over the territory's communes read from our API, nothing from elsewhere.
/* global MapWidget, ol */
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  for (const wrapper of document.querySelectorAll(".dj_map_wrapper[data-map-options]")) {
    const options = JSON.parse(document.getElementById(wrapper.dataset.mapOptions).textContent);
    options.base_layer = new ol.layer.Vector({
      source: new ol.source.Vector({ url: options.communes_url, format: new ol.format.GeoJSON() }),
      style: new ol.style.Style({
        fill: new ol.style.Fill({ color: "rgba(240, 236, 226, 0.6)" }),
        stroke: new ol.style.Stroke({ color: "#8a7f6a", width: 1 }),
      }),
    });
    window[options.module] = new MapWidget(options);
  }
});
