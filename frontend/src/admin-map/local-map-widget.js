// SPDX-License-Identifier: AGPL-3.0-or-later
// Starts the admin's map widgets (carto_concertation/core/widgets.py) from the options the
// page holds as JSON, as Django's template did in an inline script: OpenLayers from our
// static files, over the territory's communes read from our API, nothing from elsewhere.
/* global MapWidget, ol */
"use strict";

// An empty map opens on the extent of what another field names (a concertation's
// perimeter on its territory's), and follows that field while nothing is drawn.
function followExtent(widget, options) {
  const field = document.getElementById(options.fit_field);
  const fit = () => {
    const extent = field && options.fit_extents[field.value];
    if (!extent || widget.featureCollection.getLength() > 0) return;
    const view = widget.map.getView();
    view.fit(ol.proj.transformExtent(extent, "EPSG:4326", view.getProjection()), {
      padding: [16, 16, 16, 16],
    });
  };
  fit();
  // The map may take its size after this ran (a slow page): fit again once it has it.
  widget.map.once("change:size", fit);
  field?.addEventListener("change", fit);
}

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
    const widget = new MapWidget(options);
    window[options.module] = widget;
    if (options.fit_extents && options.fit_field) followExtent(widget, options);
  }
});
